import { CombinedGraphQLErrors } from '@apollo/client';

/** What the hub said no with: its `extensions.code`, its message, and the input path it names. */
export function hubError(e: unknown): { code?: string; message: string; field?: string } {
  if (CombinedGraphQLErrors.is(e)) {
    const first = e.errors[0];
    return { code: first?.extensions?.code as string | undefined, message: first?.message ?? e.message, field: first?.extensions?.field as string | undefined };
  }
  return { message: e instanceof Error ? e.message : String(e) };
}
