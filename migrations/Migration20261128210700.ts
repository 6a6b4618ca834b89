import { Migration } from '@mikro-orm/migrations';

export class Migration20261128210700 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "joint_operation" drop constraint "joint_operation_code_name_unique";`);

    this.addSql(`alter table "joint_operation" add constraint "joint_operation_lead_code_name_unique" unique ("lead_agency_code", "code_name");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "joint_operation" drop constraint "joint_operation_lead_code_name_unique";`);

    this.addSql(`alter table "joint_operation" add constraint "joint_operation_code_name_unique" unique ("code_name");`);
  }

}
