import { Migration } from '@mikro-orm/migrations';

/**
 * Identifiers partners can be matched on (issue 20): an alert's air waybill and parcel
 * tracking numbers (SHIPMENT_IDENTIFIERS), a party's phone and e-mail (PARTY_IDENTITY). All
 * optional. (The generator also proposed agency.joined_at, agency.left_at and alert.shared_at:
 * Migration20261204181000_h4 added them by hand without the snapshot, which now has them.)
 */
export class Migration20261205120527_h23 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "alert" add column "air_waybill" varchar(12) null, add column "tracking_numbers" text[] null, ` +
        `add column "consignor_phone" varchar(40) null, add column "consignor_email" varchar(254) null, ` +
        `add column "consignee_phone" varchar(40) null, add column "consignee_email" varchar(254) null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "alert" drop column "air_waybill", drop column "tracking_numbers", drop column "consignor_phone", ` +
        `drop column "consignor_email", drop column "consignee_phone", drop column "consignee_email";`,
    );
  }
}
