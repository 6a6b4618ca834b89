import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { AgencyType } from '../agencies/agency.type';
import { AlertType } from '../alerts/alert.types';
import { DisclosureStatus, FieldClass, IdentifierKind } from '../common/enums';
import { DateTime } from '../common/scalars';
import { PartyRole } from './match-key.entity';

@InputType('IdentifierProbeInput')
export class IdentifierProbeInput {
  @Field(() => IdentifierKind)
  kind!: IdentifierKind;

  @Field(() => String, { description: 'the identifier as the officer has it, in any of the spellings the hub treats as one (docs/correlation.md)' })
  value!: string;

  @Field(() => String, {
    nullable: true,
    description: "ISO 3166-1 alpha-2 country whose numbering plan a phone number without its country code is read in; default the prober's agency's (GD: CN, HK: HK, MO: MO). Phones only.",
  })
  country?: string | null;
}

@ObjectType('IdentifierHit', { description: 'an alert that holds the probed identifier; never its value' })
export class IdentifierHitType {
  @Field(() => AgencyType, { description: 'the agency that holds the alert (its originator)' })
  agency!: AgencyType;

  @Field(() => FieldClass, { description: 'the class of the field the identifier matched in' })
  fieldClass!: FieldClass;

  @Field(() => PartyRole, { nullable: true, description: 'the party it names (PARTY_IDENTITY); null for shipment identifiers' })
  role!: PartyRole | null;

  /** Set for an open hit (see alert); the field resolver reads the reference from it. */
  @Field(() => String, {
    nullable: true,
    description:
      "the alert's reference, when the viewer may see the alert and is granted the matched class on it (always on its own agency's alerts); else null and handle is set",
  })
  reference!: string | null;

  @Field(() => AlertType, { nullable: true, description: 'the alert, as the viewer may see it (the same projection as alert(id)), under the same condition as reference' })
  alert!: AlertType | null;

  @Field(() => String, {
    nullable: true,
    description:
      "an opaque handle when the viewer may not see the alert or not the matched class on it: name it in requestDisclosureByHandle within 30 days; it works for the viewer's agency alone and says nothing by itself (two handles of one alert differ)",
  })
  handle!: string | null;
}

@ObjectType('IdentifierMatch')
export class IdentifierMatchType {
  @Field(() => IdentifierKind)
  kind!: IdentifierKind;

  @Field(() => String, { description: 'the value as it was sent' })
  value!: string;

  @Field(() => String, {
    nullable: true,
    description: 'the one spelling the value was matched in; null when nothing usable is left of it (an empty value, a phone of no numbering plan, an air waybill without 11 digits): it was not looked up, hits is empty and it did not count against the quota',
  })
  normalized!: string | null;

  @Field(() => [IdentifierHitType], { description: 'every alert of any agency that holds the identifier; empty: no hit' })
  hits!: IdentifierHitType[];
}

@ObjectType('ProbeQuota', { description: "the viewer's allowance of probed values (matchIdentifiers) for the current UTC day" })
export class ProbeQuotaType {
  @Field(() => Int, { description: 'values a day (HUB_PROBE_DAILY_LIMIT)' })
  limit!: number;

  @Field(() => Int, { description: 'values probed today' })
  used!: number;

  @Field(() => Int)
  remaining!: number;

  @Field(() => DateTime, { description: 'the next UTC midnight, when used goes back to 0' })
  resetsAt!: Date;
}

@ObjectType('HandleDisclosureRequest', {
  description:
    "a disclosure request the viewer's agency made through a hit handle, as the requester sees it: the alert stays hidden until the holder approves, and while the grant lasts",
})
export class HandleDisclosureRequestType {
  @Field(() => ID)
  id!: string;

  @Field(() => AgencyType, { description: 'the agency that holds the alert and decides' })
  holderAgency!: AgencyType;

  @Field(() => IdentifierKind, { description: "the kind of identifier the handle's hit matched" })
  kind!: IdentifierKind;

  @Field(() => FieldClass, { description: "the class of the handle's hit" })
  fieldClass!: FieldClass;

  @Field(() => [FieldClass], { description: 'the classes asked for' })
  fieldClasses!: FieldClass[];

  @Field(() => String)
  justification!: string;

  @Field(() => String)
  requestedBy!: string;

  @Field(() => DisclosureStatus)
  status!: DisclosureStatus;

  @Field(() => String, { nullable: true, description: "the holder's note on its decision" })
  decisionNote!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime, { nullable: true })
  decidedAt!: Date | null;

  @Field(() => DateTime, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => AlertType, { nullable: true, description: 'the alert, with CORE and the classes granted, while the request is APPROVED; null when PENDING, DENIED or EXPIRED' })
  alert!: AlertType | null;
}
