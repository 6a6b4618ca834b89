import { Migration } from '@mikro-orm/migrations';

/**
 * The event log's prune horizon: the last position pruning removed. A resume position at or
 * after it (and not older than the retention window) can be replayed without a gap, whether
 * or not a row sits exactly there, so the check tells nothing about rows a caller cannot see.
 */
export class Migration20261128231500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "hub_event_horizon" (
      "id" int primary key default 1 check ("id" = 1),
      "tx" xid8 not null default '0',
      "row_id" bigint not null default 0
    );`);
    this.addSql(`insert into "hub_event_horizon" ("id") values (1);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "hub_event_horizon";`);
  }
}
