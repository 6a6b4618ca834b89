import { Migration } from '@mikro-orm/migrations';

/**
 * The access log keeps no foreign keys (see AccessLogRow): its rows outlive what they name,
 * and the key checks were two thirds of the cost of its inserts, the busiest of the hub.
 */
export class Migration20261129030959 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "alert_access_log" drop constraint "alert_access_log_alert_id_foreign";`);
    this.addSql(`alter table "alert_access_log" drop constraint "alert_access_log_agency_code_foreign";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "alert_access_log" add constraint "alert_access_log_alert_id_foreign" foreign key ("alert_id") references "alert" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "alert_access_log" add constraint "alert_access_log_agency_code_foreign" foreign key ("agency_code") references "agency" ("code") on update cascade;`);
  }
}
