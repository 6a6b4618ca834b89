import { Migration } from '@mikro-orm/migrations';

/**
 * Secrets every hub process on this database must share, by name: the first hub to start
 * without a row writes a random value and every other reads that one (see
 * src/events/event-cursor.ts). Event cursors are sealed with keys drawn from `event-cursor`,
 * so they stay valid across restarts and on every instance. Made by the hub rather than here:
 * pgcrypto may not be installed, and random() is no source of keys.
 */
export class Migration20261204190500_h9 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "hub_secret" ("name" text not null primary key, "value" bytea not null, "created_at" timestamptz not null default now());`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "hub_secret";`);
  }
}
