import { Migration } from '@mikro-orm/migrations';

/**
 * The event log (transactional outbox) behind alertEvents and operationEvents.
 *
 * Rows are written in the same transaction as the change they record, so a rolled-back
 * change leaves no event. `tx` is the writing transaction's id: a reader delivers only rows
 * whose transaction is older than every transaction still in progress
 * (`pg_snapshot_xmin(pg_current_snapshot())`), in (tx, id) order. Below that horizon no row
 * can appear any more, so a position (tx, id) never skips a transaction that took its
 * sequence number early and committed late.
 *
 * The trigger sends `NOTIFY hub_event, '<id>'`; PostgreSQL delivers it only when the writing
 * transaction commits. The payload is the id alone: the table is the record.
 */
export class Migration20261128221000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "hub_event" (
      "id" bigserial primary key,
      "tx" xid8 not null default pg_current_xact_id(),
      "stream" text not null check ("stream" in ('alert', 'operation')),
      "kind" text not null,
      "alert_id" uuid null,
      "operation_id" uuid null,
      "result_id" uuid null,
      "occurred_at" timestamptz not null default clock_timestamp(),
      check (("stream" = 'alert') = ("alert_id" is not null)),
      check (("stream" = 'operation') = ("operation_id" is not null))
    );`);
    this.addSql(`create index "hub_event_position_idx" on "hub_event" ("tx", "id");`);
    this.addSql(`create index "hub_event_occurred_at_idx" on "hub_event" ("occurred_at");`);
    this.addSql(`create function hub_event_notify() returns trigger language plpgsql as $$
      begin
        perform pg_notify('hub_event', new.id::text);
        return null;
      end $$;`);
    this.addSql(`create trigger "hub_event_notify" after insert on "hub_event" for each row execute function hub_event_notify();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "hub_event" cascade;`);
    this.addSql(`drop function if exists hub_event_notify();`);
  }
}
