import { Migration } from '@mikro-orm/migrations';

export class Migration20261128204147 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "joint_operation" ("id" uuid not null, "code_name" varchar(100) not null, "objective" text not null, "lead_agency_code" varchar(16) not null, "status" text check ("status" in ('PLANNED', 'ACTIVE', 'CONCLUDED', 'CANCELLED')) not null default 'PLANNED', "starts_on" timestamptz not null, "ends_on" timestamptz null, "closed_at" timestamptz null, "target_channels" text[] not null, "target_categories" text[] not null, "target_ports" text[] not null, "created_by" varchar(200) not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "joint_operation_pkey" primary key ("id"));`);
    this.addSql(`alter table "joint_operation" add constraint "joint_operation_code_name_unique" unique ("code_name");`);

    this.addSql(`create table "joint_operation_participant" ("operation_id" uuid not null, "agency_code" varchar(16) not null, constraint "joint_operation_participant_pkey" primary key ("operation_id", "agency_code"));`);

    this.addSql(`create table "joint_operation_alert" ("operation_id" uuid not null, "alert_id" uuid not null, constraint "joint_operation_alert_pkey" primary key ("operation_id", "alert_id"));`);

    this.addSql(`create table "operation_result" ("id" uuid not null, "operation_id" uuid not null, "reporting_agency_code" varchar(16) not null, "reported_by" varchar(200) not null, "reported_at" timestamptz not null, "cases_opened" int not null, "notes" text null, "corrects_id" uuid null, constraint "operation_result_pkey" primary key ("id"));`);
    this.addSql(`alter table "operation_result" add constraint "operation_result_corrects_id_unique" unique ("corrects_id");`);
    this.addSql(`create index "operation_result_operation_idx" on "operation_result" ("operation_id", "reported_at");`);

    this.addSql(`create table "operation_result_alert" ("result_id" uuid not null, "alert_id" uuid not null, constraint "operation_result_alert_pkey" primary key ("result_id", "alert_id"));`);

    this.addSql(`create table "operation_task" ("id" uuid not null, "operation_id" uuid not null, "assigned_agency_code" varchar(16) not null, "title" varchar(200) not null, "description" text null, "due_at" timestamptz null, "status" text check ("status" in ('OPEN', 'IN_PROGRESS', 'DONE')) not null default 'OPEN', "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "operation_task_pkey" primary key ("id"));`);
    this.addSql(`create index "operation_task_operation_id_index" on "operation_task" ("operation_id");`);

    this.addSql(`create table "seizure" ("id" uuid not null, "result_id" uuid not null, "position" smallint not null, "category" text check ("category" in ('BAGS', 'SHOES', 'CLOTHING', 'ELECTRONICS', 'INTEGRATED_CIRCUITS', 'AUDIO_EQUIPMENT', 'WATCHES_JEWELLERY', 'COSMETICS', 'PHARMACEUTICALS', 'TOYS', 'TOBACCO', 'OTHER')) not null, "infringement" text check ("infringement" in ('TRADEMARK', 'PATENT', 'COPYRIGHT', 'DESIGN')) not null, "channel" text check ("channel" in ('SEA_CONTAINER', 'AIR_CARGO', 'LAND_BORDER', 'CROSS_BORDER_ECOMMERCE', 'POSTAL_EXPRESS', 'PASSENGER')) not null, "pieces" int not null, "place" varchar(100) null, constraint "seizure_pkey" primary key ("id"));`);
    this.addSql(`alter table "seizure" add constraint "seizure_result_id_position_unique" unique ("result_id", "position");`);

    this.addSql(`create table "seizure_rights_holder" ("seizure_id" uuid not null, "rights_holder_id" uuid not null, constraint "seizure_rights_holder_pkey" primary key ("seizure_id", "rights_holder_id"));`);

    this.addSql(`alter table "joint_operation" add constraint "joint_operation_lead_agency_code_foreign" foreign key ("lead_agency_code") references "agency" ("code") on update cascade;`);

    this.addSql(`alter table "joint_operation_participant" add constraint "joint_operation_participant_operation_id_foreign" foreign key ("operation_id") references "joint_operation" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "joint_operation_participant" add constraint "joint_operation_participant_agency_code_foreign" foreign key ("agency_code") references "agency" ("code") on update cascade on delete cascade;`);

    this.addSql(`alter table "joint_operation_alert" add constraint "joint_operation_alert_operation_id_foreign" foreign key ("operation_id") references "joint_operation" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "joint_operation_alert" add constraint "joint_operation_alert_alert_id_foreign" foreign key ("alert_id") references "alert" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "operation_result" add constraint "operation_result_operation_id_foreign" foreign key ("operation_id") references "joint_operation" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "operation_result" add constraint "operation_result_reporting_agency_code_foreign" foreign key ("reporting_agency_code") references "agency" ("code") on update cascade;`);
    this.addSql(`alter table "operation_result" add constraint "operation_result_corrects_id_foreign" foreign key ("corrects_id") references "operation_result" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "operation_result_alert" add constraint "operation_result_alert_result_id_foreign" foreign key ("result_id") references "operation_result" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "operation_result_alert" add constraint "operation_result_alert_alert_id_foreign" foreign key ("alert_id") references "alert" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "operation_task" add constraint "operation_task_operation_id_foreign" foreign key ("operation_id") references "joint_operation" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "operation_task" add constraint "operation_task_assigned_agency_code_foreign" foreign key ("assigned_agency_code") references "agency" ("code") on update cascade;`);

    this.addSql(`alter table "seizure" add constraint "seizure_result_id_foreign" foreign key ("result_id") references "operation_result" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "seizure_rights_holder" add constraint "seizure_rights_holder_seizure_id_foreign" foreign key ("seizure_id") references "seizure" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "seizure_rights_holder" add constraint "seizure_rights_holder_rights_holder_id_foreign" foreign key ("rights_holder_id") references "rights_holder" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "alert" add column "distribution_operation_id" uuid null;`);
    this.addSql(`alter table "alert" add constraint "alert_distribution_operation_id_foreign" foreign key ("distribution_operation_id") references "joint_operation" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "joint_operation_participant" drop constraint "joint_operation_participant_operation_id_foreign";`);

    this.addSql(`alter table "alert" drop constraint "alert_distribution_operation_id_foreign";`);

    this.addSql(`alter table "joint_operation_alert" drop constraint "joint_operation_alert_operation_id_foreign";`);

    this.addSql(`alter table "operation_result" drop constraint "operation_result_operation_id_foreign";`);

    this.addSql(`alter table "operation_task" drop constraint "operation_task_operation_id_foreign";`);

    this.addSql(`alter table "operation_result" drop constraint "operation_result_corrects_id_foreign";`);

    this.addSql(`alter table "operation_result_alert" drop constraint "operation_result_alert_result_id_foreign";`);

    this.addSql(`alter table "seizure" drop constraint "seizure_result_id_foreign";`);

    this.addSql(`alter table "seizure_rights_holder" drop constraint "seizure_rights_holder_seizure_id_foreign";`);

    this.addSql(`drop table if exists "joint_operation" cascade;`);

    this.addSql(`drop table if exists "joint_operation_participant" cascade;`);

    this.addSql(`drop table if exists "joint_operation_alert" cascade;`);

    this.addSql(`drop table if exists "operation_result" cascade;`);

    this.addSql(`drop table if exists "operation_result_alert" cascade;`);

    this.addSql(`drop table if exists "operation_task" cascade;`);

    this.addSql(`drop table if exists "seizure" cascade;`);

    this.addSql(`drop table if exists "seizure_rights_holder" cascade;`);

    this.addSql(`alter table "alert" drop column "distribution_operation_id";`);
  }

}
