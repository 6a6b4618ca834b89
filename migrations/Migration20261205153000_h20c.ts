import { Migration } from '@mikro-orm/migrations';

/** Alerts that share a key of one kind with more published holders than this are correlated with this many (see src/correlation/correlate.ts). */
const FAN_LIMIT = 50;

/**
 * Correlations (issue 20, point 3; src/correlation/correlate.ts): two alerts that share a match
 * key of one kind, stored once from each side, so that each originator reads its own rows by
 * its agency and each row has an id of its own. A correlation that ends (the shared key is gone)
 * keeps its row with `ended_at`, so that the event saying so can still be rendered; live rows are
 * unique per (alert, other alert, kind). The event log takes a third stream, 'correlation',
 * whose rows name the correlation.
 *
 * Correlations of the alerts keyed already are made here, with the same bound as on publish:
 * each alert correlated with at most FAN_LIMIT holders of a key published before it.
 */
export class Migration20261205153000_h20c extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "correlation" ("id" uuid not null default gen_random_uuid() primary key, ` +
        `"alert_id" uuid not null, "agency_code" varchar(16) not null, "other_alert_id" uuid not null, "other_agency_code" varchar(16) not null, ` +
        `"kind" text check ("kind" in ('CONTAINER', 'BILL_OF_LADING', 'AIR_WAYBILL', 'TRACKING_NUMBER', 'PARTY_NAME', 'ADDRESS', 'PHONE', 'COMPANY_REGISTRATION', 'EMAIL')) not null, ` +
        `"field_class" text check ("field_class" in ('CORE', 'SHIPMENT_IDENTIFIERS', 'PARTY_IDENTITY', 'SOURCE', 'OPERATIONAL')) not null, ` +
        `"same_agency" boolean generated always as ("agency_code" = "other_agency_code") stored, ` +
        `"created_at" timestamptz not null default clock_timestamp(), "ended_at" timestamptz null, ` +
        `constraint "correlation_two_alerts" check ("alert_id" <> "other_alert_id"));`,
    );
    this.addSql(`create unique index "correlation_live_idx" on "correlation" ("alert_id", "other_alert_id", "kind") where "ended_at" is null;`);
    this.addSql(`create index "correlation_other_idx" on "correlation" ("other_alert_id") where "ended_at" is null;`);
    this.addSql(`create index "correlation_agency_idx" on "correlation" ("agency_code", "created_at" desc, "id" desc) where "ended_at" is null;`);
    this.addSql(`create index "correlation_ended_idx" on "correlation" ("ended_at") where "ended_at" is not null;`);
    this.addSql(`alter table "correlation" add constraint "correlation_alert_id_foreign" foreign key ("alert_id") references "alert" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "correlation" add constraint "correlation_other_alert_id_foreign" foreign key ("other_alert_id") references "alert" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "hub_event" add column "correlation_id" uuid null;`);
    this.addSql(`alter table "hub_event" drop constraint "hub_event_stream_check";`);
    this.addSql(`alter table "hub_event" add constraint "hub_event_stream_check" check ("stream" in ('alert', 'operation', 'correlation'));`);
    this.addSql(`alter table "hub_event" add constraint "hub_event_correlation_check" check (("stream" = 'correlation') = ("correlation_id" is not null));`);

    // The pairs of the alerts keyed before this release: holder j of a key is correlated with
    // the FAN_LIMIT holders published just before it, as publishing them one by one would have.
    this.addSql(
      `with ranked as (
         select alert_id, agency_code, kind, field_class, key,
                row_number() over (partition by kind, key order by published_at nulls first, alert_id) as r
           from match_key),
       pairs as (
         select distinct n.alert_id, n.agency_code, o.alert_id as other_alert_id, o.agency_code as other_agency_code, n.kind, n.field_class
           from ranked n join ranked o on o.kind = n.kind and o.key = n.key and o.alert_id <> n.alert_id and o.r < n.r and o.r >= n.r - ${FAN_LIMIT})
       insert into "correlation" ("alert_id", "agency_code", "other_alert_id", "other_agency_code", "kind", "field_class")
       select alert_id, agency_code, other_alert_id, other_agency_code, kind, field_class from pairs
       union
       select other_alert_id, other_agency_code, alert_id, agency_code, kind, field_class from pairs
       on conflict do nothing;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "hub_event" where "stream" = 'correlation';`);
    this.addSql(`alter table "hub_event" drop constraint "hub_event_correlation_check";`);
    this.addSql(`alter table "hub_event" drop constraint "hub_event_stream_check";`);
    this.addSql(`alter table "hub_event" add constraint "hub_event_stream_check" check ("stream" in ('alert', 'operation'));`);
    this.addSql(`alter table "hub_event" drop column "correlation_id";`);
    this.addSql(`drop table if exists "correlation" cascade;`);
  }
}
