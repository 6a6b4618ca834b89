import { Migration } from '@mikro-orm/migrations';

/**
 * Match keys (issue 20, src/correlation): keyed hashes of each alert's normalized identifiers,
 * and the secret every alert was last keyed with (match_key_state, one row), so that a hub
 * started with another HUB_MATCH_KEY_SECRET, or on alerts stored before this release, re-keys
 * them all at start-up. No value is stored here: a key is 32 bytes of HMAC, a secret id 8.
 */
export class Migration20261205122245_h23 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "match_key" ("id" bigserial primary key, "alert_id" uuid not null, "agency_code" varchar(16) not null, ` +
        `"kind" text check ("kind" in ('CONTAINER', 'BILL_OF_LADING', 'AIR_WAYBILL', 'TRACKING_NUMBER', 'PARTY_NAME', 'ADDRESS', 'PHONE', 'COMPANY_REGISTRATION', 'EMAIL')) not null, ` +
        `"field_class" text check ("field_class" in ('CORE', 'SHIPMENT_IDENTIFIERS', 'PARTY_IDENTITY', 'SOURCE', 'OPERATIONAL')) not null, ` +
        `"role" text check ("role" in ('CONSIGNOR', 'CONSIGNEE')) null, "key" bytea not null, "secret_id" bytea not null, "published_at" timestamptz null, ` +
        `constraint "match_key_key_length" check (octet_length("key") = 32), constraint "match_key_secret_id_length" check (octet_length("secret_id") = 8));`,
    );
    this.addSql(`create index "match_key_alert_id_idx" on "match_key" ("alert_id");`);
    this.addSql(`create index "match_key_kind_key_idx" on "match_key" ("kind", "key");`);
    this.addSql(
      `alter table "match_key" add constraint "match_key_alert_id_foreign" foreign key ("alert_id") references "alert" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `create table "match_key_state" ("id" smallint not null primary key default 1 check ("id" = 1), "secret_id" bytea not null, "keyed_at" timestamptz not null default now());`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "match_key_state";`);
    this.addSql(`drop table if exists "match_key" cascade;`);
  }
}
