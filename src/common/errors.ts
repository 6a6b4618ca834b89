import { GraphQLError } from 'graphql';

/** The error codes a client may see in `extensions.code`. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL_SERVER_ERROR';

/**
 * Base of every error the hub means a client to read. Anything else that escapes a
 * resolver is unexpected: it is logged in full and reaches the client as a generic error.
 */
export class HubError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
    this.name = 'HubError';
  }
}

export class BadUserInputError extends HubError {
  /** @param field the input path that is wrong, e.g. `input.containerNumbers[1]` */
  constructor(message: string, field?: string) {
    super('BAD_USER_INPUT', message, field ? { field } : {});
  }
}

export class UnauthenticatedError extends HubError {
  constructor(message = 'a valid bearer token is required') {
    super('UNAUTHENTICATED', message, { http: { status: 401 } });
  }
}

export class ForbiddenError extends HubError {
  constructor(message = 'not allowed') {
    super('FORBIDDEN', message);
  }
}

export class NotFoundError extends HubError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} not found`);
  }
}

export class ConflictError extends HubError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

/** A subject over its request budget; HTTP answers 429 with Retry-After. */
export class TooManyRequestsError extends HubError {
  constructor(readonly retryAfterSeconds: number) {
    super('TOO_MANY_REQUESTS', `too many requests: retry after ${retryAfterSeconds} s`, { retryAfter: retryAfterSeconds, http: { status: 429 } });
  }
}

export function isHubError(e: unknown): e is HubError {
  return e instanceof HubError;
}
