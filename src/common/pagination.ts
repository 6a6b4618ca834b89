import { Field, ObjectType } from 'type-graphql';
import { BadUserInputError } from './errors';

@ObjectType('PageInfo', { simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** Largest page a list returns; a larger `first` is BAD_USER_INPUT rather than silently cut. */
export const MAX_PAGE_SIZE = 100;

/** @throws BadUserInputError when `first` is below 0 or above MAX_PAGE_SIZE. */
export function checkFirst(first: number, max = MAX_PAGE_SIZE): number {
  if (!Number.isInteger(first) || first < 0 || first > max) {
    throw new BadUserInputError(`first must be between 0 and ${max}`, 'first');
  }
  return first;
}

/** What a cursor encodes: a kind tag and keyset values (see encodeCursor). */
export interface CursorPosition {
  kind: string;
  values: readonly unknown[];
}

/**
 * Opaque cursors: a kind tag and a JSON array of keyset values, base64url-encoded. The
 * content is checked by the caller's decoder; anything that does not decode is BAD_USER_INPUT.
 */
export function encodeCursor(kind: string, values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify([kind, ...values]), 'utf8').toString('base64url');
}

/** @throws BadUserInputError for a cursor that is not one this hub made for `kind`. */
export function decodeCursor(kind: string, cursor: string, argName = 'after'): unknown[] {
  const bad = () => new BadUserInputError(`${argName} is not a valid cursor`, argName);
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed[0] !== kind) throw bad();
  return parsed.slice(1);
}

/** The PageInfo of a forward page: `after` given means there was a page before it. */
export function forwardPageInfo(edges: readonly { cursor: string }[], hasNextPage: boolean, after: string | null | undefined): PageInfo {
  return Object.assign(new PageInfo(), {
    hasNextPage,
    hasPreviousPage: after != null,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges.at(-1)?.cursor ?? null,
  });
}
