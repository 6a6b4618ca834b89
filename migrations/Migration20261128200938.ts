import { Migration } from '@mikro-orm/migrations';

export class Migration20261128200938 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "alert_access_log" ("id" bigserial primary key, "alert_id" uuid not null, "at" timestamptz not null, "agency_code" varchar(16) not null, "subject" varchar(200) not null, "disclosed" text[] not null, "via" varchar(20) not null);`);
    this.addSql(`create index "alert_access_log_alert_idx" on "alert_access_log" ("alert_id", "id");`);

    this.addSql(`create table "disclosure_request" ("id" uuid not null, "alert_id" uuid not null, "requesting_agency_code" varchar(16) not null, "requested_by" varchar(200) not null, "field_classes" text[] not null, "justification" text not null, "status" text check ("status" in ('PENDING', 'APPROVED', 'DENIED', 'EXPIRED')) not null default 'PENDING', "decided_by" varchar(200) null, "decided_at" timestamptz null, "expires_at" timestamptz null, "decision_note" text null, "created_at" timestamptz not null, constraint "disclosure_request_pkey" primary key ("id"));`);
    this.addSql(`create index "disclosure_request_grant_idx" on "disclosure_request" ("alert_id", "requesting_agency_code", "status");`);

    this.addSql(`create table "sharing_agreement" ("from_agency_code" varchar(16) not null, "to_agency_code" varchar(16) not null, "field_classes" text[] not null, "updated_at" timestamptz not null, "updated_by" varchar(200) not null, constraint "sharing_agreement_pkey" primary key ("from_agency_code", "to_agency_code"));`);

    this.addSql(`alter table "alert_access_log" add constraint "alert_access_log_alert_id_foreign" foreign key ("alert_id") references "alert" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "alert_access_log" add constraint "alert_access_log_agency_code_foreign" foreign key ("agency_code") references "agency" ("code") on update cascade;`);

    this.addSql(`alter table "disclosure_request" add constraint "disclosure_request_alert_id_foreign" foreign key ("alert_id") references "alert" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "disclosure_request" add constraint "disclosure_request_requesting_agency_code_foreign" foreign key ("requesting_agency_code") references "agency" ("code") on update cascade;`);

    this.addSql(`alter table "sharing_agreement" add constraint "sharing_agreement_from_agency_code_foreign" foreign key ("from_agency_code") references "agency" ("code") on update cascade;`);
    this.addSql(`alter table "sharing_agreement" add constraint "sharing_agreement_to_agency_code_foreign" foreign key ("to_agency_code") references "agency" ("code") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "alert_access_log" cascade;`);

    this.addSql(`drop table if exists "disclosure_request" cascade;`);

    this.addSql(`drop table if exists "sharing_agreement" cascade;`);
  }

}
