import type { Client } from 'graphql-ws';
import type { TestHub } from './hub';

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Subscriber {
  client: Client;
  /** Every `next` payload, in order of arrival. */
  results: any[];
  errors: any[];
  completed: boolean;
  /** The event objects of the root field, for results without errors. */
  events(field?: string): any[];
  /** Waits for at least `n` results. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  dispose(): void;
}

/**
 * Subscribes through a real graphql-ws client and resolves once the hub holds the
 * subscription (so that events written afterwards are this subscriber's to receive).
 */
export async function subscribe(t: TestHub, token: string, query: string, variables: Record<string, unknown> = {}, client?: Client): Promise<Subscriber> {
  const before = t.hub.stats().subscriptions;
  const c = client ?? t.ws(token);
  const s: Subscriber = {
    client: c,
    results: [],
    errors: [],
    completed: false,
    events: (field) => s.results.filter((r) => !r.errors).map((r) => r.data[field ?? Object.keys(r.data)[0]]),
    waitFor: (n, timeoutMs = 10_000) => until(() => s.results.length >= n, `${n} result(s), have ${s.results.length}`, timeoutMs),
    dispose: () => undefined,
  };
  s.dispose = c.subscribe(
    { query, variables },
    {
      next: (v) => {
        s.results.push(v);
      },
      error: (e) => {
        s.errors.push(e);
      },
      complete: () => {
        s.completed = true;
      },
    },
  );
  await until(() => t.hub.stats().subscriptions > before || s.results.length > 0 || s.errors.length > 0 || s.completed, 'the hub to hold the subscription');
  return s;
}
