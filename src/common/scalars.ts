import { GraphQLScalarType, type ValueNode } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { isDateTimeInRange } from './date-range';
import { BadUserInputError } from './errors';
import { inputPathOf } from './input-paths';

function inRange(value: unknown, field: string | undefined): Date {
  const date = value as Date;
  if (!isDateTimeInRange(date.getTime())) {
    throw new BadUserInputError(`${field ?? 'the date'} must be a time between the years 1 and 9999 (UTC)`, field);
  }
  return date;
}

/**
 * graphql-scalars' DateTime (same name, description and serialisation, so the schema does not
 * change) that refuses instants outside years 1 to 9999 when a value comes in, for every
 * argument and input field at once. A literal's error names its argument path (see
 * input-paths.ts); a variable's is named by the transports' variable check.
 * @throws BadUserInputError for an instant out of range; graphql-scalars' errors otherwise.
 */
export const DateTime = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  parseValue: (value) => inRange(DateTimeResolver.parseValue(value), undefined),
  parseLiteral: (ast: ValueNode, variables) => inRange(DateTimeResolver.parseLiteral(ast, variables), inputPathOf(ast)),
});
