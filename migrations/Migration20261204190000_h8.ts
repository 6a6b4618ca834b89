import { Migration } from '@mikro-orm/migrations';

/**
 * An agency taken out of the trust file or suspended in it has left the hub: the time is kept
 * so that its return is told apart from a restart, and rejoining sets joined_at anew. Every
 * agency here now is taken as present; the first start with the new code records those that
 * are not in its trust file.
 */
export class Migration20261204190000_h8 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "agency" add column "left_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "agency" drop column "left_at";`);
  }
}
