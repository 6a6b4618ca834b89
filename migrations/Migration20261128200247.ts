import { Migration } from '@mikro-orm/migrations';

export class Migration20261128200247 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "alert_history" ("id" bigserial primary key, "alert_id" uuid not null, "at" timestamptz not null, "agency_code" varchar(16) not null, "subject" varchar(200) not null, "kind" text check ("kind" in ('CREATED', 'UPDATED', 'PUBLISHED', 'STATUS_CHANGED', 'DISTRIBUTION_CHANGED', 'WITHDRAWN')) not null, "from_status" text check ("from_status" in ('DRAFT', 'PUBLISHED', 'UNDER_INSPECTION', 'SEIZED', 'CLEARED', 'CLOSED', 'WITHDRAWN')) null, "to_status" text check ("to_status" in ('DRAFT', 'PUBLISHED', 'UNDER_INSPECTION', 'SEIZED', 'CLEARED', 'CLOSED', 'WITHDRAWN')) not null, "note" text null);`);
    this.addSql(`create index "alert_history_alert_at_idx" on "alert_history" ("alert_id", "at");`);

    this.addSql(`alter table "alert_history" add constraint "alert_history_alert_id_foreign" foreign key ("alert_id") references "alert" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "alert_history" add constraint "alert_history_agency_code_foreign" foreign key ("agency_code") references "agency" ("code") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "alert_history" cascade;`);
  }

}
