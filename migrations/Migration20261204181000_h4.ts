import { Migration } from '@mikro-orm/migrations';

/**
 * ALL_PARTNERS means the partners when the alert was published or last shared: an agency
 * added to the trust file later saw every older alert at once. Agencies get the time they
 * joined and alerts the time their distribution was last decided; visibleAlertSql compares
 * the two. Nobody loses what it could see: agencies already here joined no later than the
 * oldest alert, and alerts were shared when published (drafts: when created).
 */
export class Migration20261204181000_h4 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "agency" add column "joined_at" timestamptz null;`);
    this.addSql(`update "agency" set "joined_at" = least("created_at", coalesce((select min("created_at") from "alert"), "created_at"));`);
    this.addSql(`alter table "agency" alter column "joined_at" set not null;`);
    this.addSql(`alter table "alert" add column "shared_at" timestamptz null;`);
    this.addSql(`update "alert" set "shared_at" = greatest("created_at", "published_at");`);
    this.addSql(`alter table "alert" alter column "shared_at" set not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "alert" drop column "shared_at";`);
    this.addSql(`alter table "agency" drop column "joined_at";`);
  }
}
