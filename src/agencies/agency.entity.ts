import { Entity, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';

/** A customs administration that takes part in the hub. Rows come from the trust configuration. */
@Entity({ tableName: 'agency' })
export class Agency {
  [PrimaryKeyProp]?: 'code';

  @PrimaryKey({ type: 'string', length: 16 })
  code!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 200 })
  jurisdiction!: string;

  /** The token issuer that speaks for this agency; unique, so one issuer is one agency. */
  @Property({ type: 'string', length: 500, unique: true })
  issuer!: string;

  @Property({ columnType: 'timestamptz', type: 'Date' })
  createdAt: Date = new Date();

  /**
   * When the agency became a partner. ALL_PARTNERS means the partners when the alert was
   * published or last shared: an alert shared before this moment is not this agency's until
   * its originator shares it again (see visibleAlertSql).
   */
  @Property({ columnType: 'timestamptz', type: 'Date' })
  joinedAt: Date = new Date();

  /**
   * When the agency left: taken out of the trust file or suspended in it. Null while it is a
   * partner. While it has left its tokens are refused and it is no partner of anything new;
   * coming back sets joinedAt anew (see syncAgencies).
   */
  @Property({ columnType: 'timestamptz', type: 'Date', nullable: true })
  leftAt?: Date | null;
}
