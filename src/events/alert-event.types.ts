import { Field, ObjectType } from 'type-graphql';
import { DateTime } from '../common/scalars';
import { AlertType } from '../alerts/alert.types';
import { AlertEventKind } from '../common/enums';

@ObjectType('AlertEvent')
export class AlertEventType {
  @Field(() => String)
  cursor!: string;

  @Field(() => AlertEventKind)
  kind!: AlertEventKind;

  @Field(() => DateTime)
  occurredAt!: Date;

  /** The alert as this subscriber may see it at delivery. */
  @Field(() => AlertType)
  alert!: AlertType;
}
