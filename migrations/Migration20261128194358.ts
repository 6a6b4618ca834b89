import { Migration } from '@mikro-orm/migrations';

export class Migration20261128194358 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "agency" ("code" varchar(16) not null, "name" varchar(200) not null, "jurisdiction" varchar(200) not null, "issuer" varchar(500) not null, "created_at" timestamptz not null, constraint "agency_pkey" primary key ("code"));`);
    this.addSql(`alter table "agency" add constraint "agency_issuer_unique" unique ("issuer");`);

    this.addSql(`create table "alert" ("id" uuid not null, "reference" varchar(32) not null, "origin_agency_code" varchar(16) not null, "created_by" varchar(200) not null, "status" text check ("status" in ('DRAFT', 'PUBLISHED', 'UNDER_INSPECTION', 'SEIZED', 'CLEARED', 'CLOSED', 'WITHDRAWN')) not null default 'DRAFT', "title" varchar(200) not null, "summary" text not null, "risk_level" text check ("risk_level" in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')) not null, "channel" text check ("channel" in ('SEA_CONTAINER', 'AIR_CARGO', 'LAND_BORDER', 'CROSS_BORDER_ECOMMERCE', 'POSTAL_EXPRESS', 'PASSENGER')) not null, "direction" text check ("direction" in ('IMPORT', 'EXPORT', 'TRANSIT')) not null, "infringements" text[] not null, "modus_operandi" text[] not null, "port_of_loading" varchar(5) null, "port_of_discharge" varchar(5) null, "origin_country" varchar(2) null, "destination_country" varchar(2) null, "expected_arrival" timestamptz null, "distribution_scope" text check ("distribution_scope" in ('ORIGINATOR_ONLY', 'SELECTED_AGENCIES', 'ALL_PARTNERS', 'OPERATION')) not null default 'ORIGINATOR_ONLY', "container_numbers" text[] null, "bill_of_lading" varchar(64) null, "conveyance_reference" varchar(100) null, "consignor_name" varchar(200) null, "consignor_address" varchar(500) null, "consignor_country" varchar(2) null, "consignor_identifier" varchar(100) null, "consignee_name" varchar(200) null, "consignee_address" varchar(500) null, "consignee_country" varchar(2) null, "consignee_identifier" varchar(100) null, "source_kind" varchar(100) null, "source_reliability" text check ("source_reliability" in ('A', 'B', 'C', 'D', 'E', 'F')) null, "source_credibility" smallint null, "source_reference" varchar(200) null, "operational_notes" text null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "published_at" timestamptz null, constraint "alert_pkey" primary key ("id"));`);
    this.addSql(`alter table "alert" add constraint "alert_reference_unique" unique ("reference");`);
    this.addSql(`create index "alert_published_at_idx" on "alert" ("published_at", "id");`);
    this.addSql(`create index "alert_origin_status_idx" on "alert" ("origin_agency_code", "status");`);

    this.addSql(`create table "alert_distribution_agency" ("alert_id" uuid not null, "agency_code" varchar(16) not null, constraint "alert_distribution_agency_pkey" primary key ("alert_id", "agency_code"));`);

    this.addSql(`create table "alert_reference_counter" ("agency_code" varchar(16) not null, "year" smallint not null, "last_number" int not null, constraint "alert_reference_counter_pkey" primary key ("agency_code", "year"));`);

    this.addSql(`create table "alert_goods_line" ("id" uuid not null, "alert_id" uuid not null, "position" smallint not null, "category" text check ("category" in ('BAGS', 'SHOES', 'CLOTHING', 'ELECTRONICS', 'INTEGRATED_CIRCUITS', 'AUDIO_EQUIPMENT', 'WATCHES_JEWELLERY', 'COSMETICS', 'PHARMACEUTICALS', 'TOYS', 'TOBACCO', 'OTHER')) not null, "description" varchar(500) not null, "hs_code" varchar(10) null, "quantity" int not null, "unit" varchar(20) not null, constraint "alert_goods_line_pkey" primary key ("id"));`);
    this.addSql(`create index "alert_goods_line_alert_id_index" on "alert_goods_line" ("alert_id");`);

    this.addSql(`create table "rights_holder" ("id" uuid not null, "name" varchar(200) not null, "created_at" timestamptz not null, constraint "rights_holder_pkey" primary key ("id"));`);
    this.addSql(`create index "rights_holder_name_index" on "rights_holder" ("name");`);

    this.addSql(`create table "ipr_recordation" ("id" uuid not null, "rights_holder_id" uuid not null, "type" text check ("type" in ('TRADEMARK', 'PATENT', 'COPYRIGHT', 'DESIGN')) not null, "recordation_number" varchar(64) not null, "mark" varchar(200) not null, "valid_until" timestamptz null, constraint "ipr_recordation_pkey" primary key ("id"));`);
    this.addSql(`alter table "ipr_recordation" add constraint "ipr_recordation_type_recordation_number_unique" unique ("type", "recordation_number");`);

    this.addSql(`create table "alert_rights_holder" ("alert_id" uuid not null, "rights_holder_id" uuid not null, constraint "alert_rights_holder_pkey" primary key ("alert_id", "rights_holder_id"));`);

    this.addSql(`alter table "alert" add constraint "alert_origin_agency_code_foreign" foreign key ("origin_agency_code") references "agency" ("code") on update cascade;`);

    this.addSql(`alter table "alert_distribution_agency" add constraint "alert_distribution_agency_alert_id_foreign" foreign key ("alert_id") references "alert" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "alert_distribution_agency" add constraint "alert_distribution_agency_agency_code_foreign" foreign key ("agency_code") references "agency" ("code") on update cascade on delete cascade;`);

    this.addSql(`alter table "alert_goods_line" add constraint "alert_goods_line_alert_id_foreign" foreign key ("alert_id") references "alert" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "ipr_recordation" add constraint "ipr_recordation_rights_holder_id_foreign" foreign key ("rights_holder_id") references "rights_holder" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "alert_rights_holder" add constraint "alert_rights_holder_alert_id_foreign" foreign key ("alert_id") references "alert" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "alert_rights_holder" add constraint "alert_rights_holder_rights_holder_id_foreign" foreign key ("rights_holder_id") references "rights_holder" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "alert" drop constraint "alert_origin_agency_code_foreign";`);

    this.addSql(`alter table "alert_distribution_agency" drop constraint "alert_distribution_agency_agency_code_foreign";`);

    this.addSql(`alter table "alert_distribution_agency" drop constraint "alert_distribution_agency_alert_id_foreign";`);

    this.addSql(`alter table "alert_goods_line" drop constraint "alert_goods_line_alert_id_foreign";`);

    this.addSql(`alter table "alert_rights_holder" drop constraint "alert_rights_holder_alert_id_foreign";`);

    this.addSql(`alter table "ipr_recordation" drop constraint "ipr_recordation_rights_holder_id_foreign";`);

    this.addSql(`alter table "alert_rights_holder" drop constraint "alert_rights_holder_rights_holder_id_foreign";`);

    this.addSql(`drop table if exists "agency" cascade;`);

    this.addSql(`drop table if exists "alert" cascade;`);

    this.addSql(`drop table if exists "alert_distribution_agency" cascade;`);

    this.addSql(`drop table if exists "alert_reference_counter" cascade;`);

    this.addSql(`drop table if exists "alert_goods_line" cascade;`);

    this.addSql(`drop table if exists "rights_holder" cascade;`);

    this.addSql(`drop table if exists "ipr_recordation" cascade;`);

    this.addSql(`drop table if exists "alert_rights_holder" cascade;`);
  }

}
