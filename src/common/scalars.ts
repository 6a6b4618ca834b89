import { GraphQLScalarType, type ValueNode } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { BadUserInputError } from './errors';
import { inputPathOf } from './input-paths';

/** Epoch milliseconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (Date.UTC reads year 1 as 1901). */
const EARLIEST = -62_135_596_800_000;
const LATEST = 253_402_300_799_999;

function inRange(value: unknown, field: string | undefined): Date {
  const date = value as Date;
  const ms = date.getTime();
  // PostgreSQL has no year 0, and years past 9999 do not round-trip through ISO 8601's four digits.
  if (Number.isNaN(ms) || ms < EARLIEST || ms > LATEST) {
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
