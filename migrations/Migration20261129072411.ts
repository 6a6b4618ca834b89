import { Migration } from '@mikro-orm/migrations';

/**
 * The access log stores one row per read with every subject it was shown to (see
 * AccessLogRow) instead of one row per subject: a subscription event for a group of hundreds
 * of officers was hundreds of rows, written before the event could go out. Each existing row
 * becomes a read shown to its one subject.
 */
export class Migration20261129072411 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "alert_access_log" add column "subjects" text[];`);
    this.addSql(`update "alert_access_log" set "subjects" = array["subject"]::text[];`);
    this.addSql(`alter table "alert_access_log" alter column "subjects" set not null;`);
    this.addSql(`alter table "alert_access_log" drop column "subject";`);
  }

  override async down(): Promise<void> {
    // A row per subject again: the first keeps the row, each other subject gets a row of its own.
    this.addSql(`alter table "alert_access_log" add column "subject" varchar(200);`);
    this.addSql(
      `insert into "alert_access_log" ("alert_id", "at", "agency_code", "subject", "subjects", "disclosed", "via")
       select l."alert_id", l."at", l."agency_code", s.subject, '{}', l."disclosed", l."via"
         from "alert_access_log" l cross join lateral unnest(l."subjects") with ordinality as s(subject, ord)
        where s.ord > 1
        order by l."id", s.ord;`,
    );
    this.addSql(`update "alert_access_log" set "subject" = "subjects"[1] where "subject" is null;`);
    this.addSql(`delete from "alert_access_log" where "subject" is null;`);
    this.addSql(`alter table "alert_access_log" alter column "subject" set not null;`);
    this.addSql(`alter table "alert_access_log" drop column "subjects";`);
  }
}
