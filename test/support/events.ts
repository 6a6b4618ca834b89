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

const open = new Set<Subscriber>();

/** Disposes every subscriber `subscribe` made and has not disposed (for afterEach: a failed test leaves none behind). */
export function disposeAll(): void {
  for (const s of open) s.dispose();
  open.clear();
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
 * subscription (so that events written afterwards, and only they, are this subscriber's).
 */
export async function subscribe(t: TestHub, token: string, query: string, variables: Record<string, unknown> = {}, client?: Client): Promise<Subscriber> {
  // Events committed before this point are not this subscriber's to count (see quiesce).
  if (!variables.since) await t.quiesce();
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
  const unsubscribe = c.subscribe(
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
  s.dispose = () => {
    open.delete(s);
    unsubscribe();
  };
  open.add(s);
  await until(() => t.hub.stats().subscriptions > before || s.results.length > 0 || s.errors.length > 0 || s.completed, 'the hub to hold the subscription');
  return s;
}
