import { Migration } from '@mikro-orm/migrations';

/**
 * The probe (issue 20, point 2; src/correlation/probe.service.ts): each officer's count of
 * values probed per UTC day (probe_quota), and disclosure requests made through a hit handle
 * (via_handle, with the kind and class of the hit), whose approval also makes the one alert
 * visible to the requester; the partial index finds an agency's such grants.
 */
export class Migration20261205151653 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "probe_quota" ("agency_code" varchar(16) not null, "subject" varchar(200) not null, "day" date not null, "used" int not null check ("used" >= 0), constraint "probe_quota_pkey" primary key ("agency_code", "subject", "day"));`);

    this.addSql(`alter table "disclosure_request" add column "via_handle" boolean not null default false, add column "matched_kind" text check ("matched_kind" in ('CONTAINER', 'BILL_OF_LADING', 'AIR_WAYBILL', 'TRACKING_NUMBER', 'PARTY_NAME', 'ADDRESS', 'PHONE', 'COMPANY_REGISTRATION', 'EMAIL')) null, add column "matched_field_class" text check ("matched_field_class" in ('CORE', 'SHIPMENT_IDENTIFIERS', 'PARTY_IDENTITY', 'SOURCE', 'OPERATIONAL')) null;`);
    this.addSql(`create index "disclosure_request_handle_grant_idx" on "disclosure_request" ("requesting_agency_code", "alert_id") where "via_handle" and "status" = 'APPROVED';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "probe_quota" cascade;`);

    this.addSql(`drop index "disclosure_request_handle_grant_idx";`);
    this.addSql(`alter table "disclosure_request" drop column "via_handle", drop column "matched_kind", drop column "matched_field_class";`);
  }

}
