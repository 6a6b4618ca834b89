import { Field, ID, InputType, Int } from 'type-graphql';
import { DateTime } from '../common/scalars';
import {
  AlertOrderField,
  AlertStatus,
  DistributionScope,
  GoodsCategory,
  InfringementType,
  ModusOperandi,
  OrderDirection,
  RiskLevel,
  SourceReliability,
  TradeDirection,
  TransportChannel,
} from '../common/enums';

@InputType('GoodsLineInput')
export class GoodsLineInput {
  @Field(() => GoodsCategory)
  category!: GoodsCategory;

  @Field(() => String)
  description!: string;

  @Field(() => String, { nullable: true })
  hsCode?: string | null;

  @Field(() => Int)
  quantity!: number;

  @Field(() => String)
  unit!: string;
}

@InputType('PartyInput')
export class PartyInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  address?: string | null;

  @Field(() => String, { nullable: true })
  country?: string | null;

  @Field(() => String, { nullable: true })
  identifier?: string | null;

  @Field(() => String, { nullable: true, description: "a phone number; without a country code, of the party's country, else of your agency's" })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;
}

@InputType('IntelligenceSourceInput')
export class IntelligenceSourceInput {
  @Field(() => String)
  kind!: string;

  @Field(() => SourceReliability)
  reliability!: SourceReliability;

  @Field(() => Int)
  credibility!: number;

  @Field(() => String, { nullable: true })
  reference?: string | null;
}

@InputType('DistributionInput')
export class DistributionInput {
  @Field(() => DistributionScope)
  scope!: DistributionScope;

  @Field(() => [ID], { nullable: true })
  agencies?: string[] | null;

  @Field(() => ID, { nullable: true })
  operationId?: string | null;
}

/** Fields shared by create and update; on update, absent means unchanged and null clears. */
@InputType('AlertFieldsInputBase')
abstract class AlertFieldsInput {
  @Field(() => [ModusOperandi], { nullable: true })
  modusOperandi?: ModusOperandi[] | null;

  @Field(() => [ID], { nullable: true })
  rightsHolderIds?: string[] | null;

  @Field(() => String, { nullable: true })
  portOfLoading?: string | null;

  @Field(() => String, { nullable: true })
  portOfDischarge?: string | null;

  @Field(() => String, { nullable: true })
  originCountry?: string | null;

  @Field(() => String, { nullable: true })
  destinationCountry?: string | null;

  @Field(() => DateTime, { nullable: true })
  expectedArrival?: Date | null;

  @Field(() => [String], { nullable: true })
  containerNumbers?: string[] | null;

  @Field(() => String, { nullable: true })
  billOfLading?: string | null;

  @Field(() => String, { nullable: true })
  conveyanceReference?: string | null;

  @Field(() => String, { nullable: true, description: 'IATA air waybill: 3-digit prefix and 8 digits, e.g. 160-12345675' })
  airWaybill?: string | null;

  @Field(() => [String], { nullable: true })
  trackingNumbers?: string[] | null;

  @Field(() => PartyInput, { nullable: true })
  consignor?: PartyInput | null;

  @Field(() => PartyInput, { nullable: true })
  consignee?: PartyInput | null;

  @Field(() => IntelligenceSourceInput, { nullable: true })
  source?: IntelligenceSourceInput | null;

  @Field(() => String, { nullable: true })
  operationalNotes?: string | null;
}

@InputType('CreateAlertInput')
export class CreateAlertInput extends AlertFieldsInput {
  @Field(() => String)
  title!: string;

  @Field(() => String)
  summary!: string;

  @Field(() => RiskLevel)
  riskLevel!: RiskLevel;

  @Field(() => TransportChannel)
  channel!: TransportChannel;

  @Field(() => TradeDirection)
  direction!: TradeDirection;

  @Field(() => [GoodsLineInput])
  goods!: GoodsLineInput[];

  @Field(() => [InfringementType])
  infringements!: InfringementType[];

  @Field(() => DistributionInput, { nullable: true })
  distribution?: DistributionInput | null;
}

@InputType('UpdateAlertInput')
export class UpdateAlertInput extends AlertFieldsInput {
  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field(() => RiskLevel, { nullable: true })
  riskLevel?: RiskLevel | null;

  @Field(() => [GoodsLineInput], { nullable: true })
  goods?: GoodsLineInput[] | null;

  @Field(() => [InfringementType], { nullable: true })
  infringements?: InfringementType[] | null;
}

@InputType('AlertFilter')
export class AlertFilter {
  @Field(() => [AlertStatus], { nullable: true })
  status?: AlertStatus[] | null;

  @Field(() => RiskLevel, { nullable: true })
  riskLevelAtLeast?: RiskLevel | null;

  @Field(() => [TransportChannel], { nullable: true })
  channel?: TransportChannel[] | null;

  @Field(() => [GoodsCategory], { nullable: true })
  goodsCategory?: GoodsCategory[] | null;

  @Field(() => [ID], { nullable: true })
  originAgency?: string[] | null;

  @Field(() => String, { nullable: true, description: 'matches portOfLoading or portOfDischarge' })
  port?: string | null;

  @Field(() => String, { nullable: true, description: 'full-text search over title, summary and goods descriptions' })
  text?: string | null;

  @Field(() => String, { nullable: true })
  containerNumber?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "an alert's reference: the partner reference (e.g. GD-7KQ2M9XC4T1B) of any alert the viewer may see, or a register " +
      "reference (e.g. GD-2026-000123) of the viewer's own agency. Another agency's register reference matches nothing, " +
      'exactly as a reference that does not exist',
  })
  reference?: string | null;

  @Field(() => ID, { nullable: true })
  operationId?: string | null;

  @Field(() => DateTime, { nullable: true })
  publishedAfter?: Date | null;

  @Field(() => DateTime, { nullable: true })
  publishedBefore?: Date | null;
}

@InputType('AlertOrder')
export class AlertOrder {
  @Field(() => AlertOrderField)
  field!: AlertOrderField;

  @Field(() => OrderDirection)
  direction!: OrderDirection;
}
