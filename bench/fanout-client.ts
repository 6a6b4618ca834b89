/**
 * A client process of bench/fanout.ts (forked by it, never run by hand): holds its share of
 * the subscribers, each on its own WebSocket, speaking graphql-transport-ws directly over `ws`
 * (connection_init, connection_ack, subscribe, next; pong to ping), which costs a client far
 * less than a graphql-ws `createClient` per socket. It records, for every event received,
 * the delay from the event's `occurredAt` (set by PostgreSQL inside the publishing
 * transaction, just before its commit) to the moment its message arrived here.
 */
import WebSocket from 'ws';

/** One subscriber: its socket authenticates with `token`. */
export interface SubscriberSpec {
  token: string;
  /** The hub's graphql-ws URL for this subscriber, when not the connect message's `url`. */
  url?: string;
}

/** From bench/fanout.ts to a client. */
export type ToClient =
  | { type: 'connect'; url: string; query: string; subscribers: SubscriberSpec[]; concurrency: number; timeoutMs: number }
  /** How many subscribers have received each of these titles so far. */
  | { type: 'count'; titles: string[] }
  | { type: 'report' }
  | { type: 'close' };

/** Per event title: receipt delays in ms, one per subscriber that got it. */
export type Latencies = Record<string, number[]>;

/** From a client to bench/fanout.ts. */
export type FromClient =
  | { type: 'progress'; opened: number; failed: number }
  | { type: 'connected'; opened: number; failed: number; failures: string[]; ms: number }
  | { type: 'counts'; counts: number[]; cpuSeconds: number }
  | {
      type: 'report';
      latencies: Latencies;
      /** Per event title: receipts by a subscriber that already had that cursor. */
      duplicates: Record<string, number>;
      /** `next` messages with errors, and `error` messages. */
      errors: number;
      errorSamples: string[];
      /** Titles that arrived under more than one cursor (they must not). */
      inconsistentCursors: string[];
      /** Per event title: its `occurredAt`, in ms since the epoch. */
      occurredAt: Record<string, number>;
      /** Sockets the hub closed, by close code. */
      closes: Record<string, number>;
      cpuSeconds: number;
      rssKb: number;
    }
  | { type: 'closed' };

/** The alertEvents payload the benchmark's document selects. */
interface AlertEventPayload {
  cursor: string;
  occurredAt: string;
  alert: { title: string };
}

const SUBSCRIPTION_ID = '1';
const ERROR_SAMPLES = 5;

class Subscriber {
  socket?: WebSocket;
  readonly cursors = new Set<string>();
  constructor(readonly spec: SubscriberSpec) {}
}

const subscribers: Subscriber[] = [];
const latencies = new Map<string, number[]>();
/** The first receipt of each title: its cursor (every later one must match) and occurredAt. */
const firstSeen = new Map<string, { cursor: string; occurredAt: number }>();
const inconsistentCursors = new Set<string>();
const closes: Record<string, number> = {};
const errorSamples: string[] = [];
const duplicates: Record<string, number> = {};
let errors = 0;
let closing = false;

function cpuSeconds(): number {
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1e6;
}

function send(message: FromClient): void {
  process.send!(message);
}

function noteError(text: string): void {
  errors++;
  if (errorSamples.length < ERROR_SAMPLES) errorSamples.push(text.slice(0, 500));
}

/** Records one `next` message; the receipt time is taken before anything else. */
function received(sub: Subscriber, payload: { data?: { alertEvents?: AlertEventPayload }; errors?: unknown[] }): void {
  const now = Date.now();
  const event = payload.data?.alertEvents;
  if (payload.errors?.length || !event) {
    noteError(JSON.stringify(payload));
    return;
  }
  const title = event.alert.title;
  if (sub.cursors.has(event.cursor)) {
    duplicates[title] = (duplicates[title] ?? 0) + 1;
    return;
  }
  sub.cursors.add(event.cursor);
  const occurredAt = Date.parse(event.occurredAt);
  const known = firstSeen.get(title);
  if (known === undefined) firstSeen.set(title, { cursor: event.cursor, occurredAt });
  else if (known.cursor !== event.cursor) inconsistentCursors.add(title);
  let list = latencies.get(title);
  if (!list) latencies.set(title, (list = []));
  list.push(now - occurredAt);
}

/**
 * Opens one subscriber's socket and sends its subscription once the hub has acknowledged the
 * connection. Resolves then; rejects if the socket closes or times out first.
 */
function open(sub: Subscriber, url: string, query: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    sub.socket = socket;
    let subscribed = false;
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`no connection_ack in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${sub.spec.token}` } })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: any };
      switch (message.type) {
        case 'next':
          received(sub, message.payload);
          break;
        case 'connection_ack':
          clearTimeout(timer);
          socket.send(JSON.stringify({ id: SUBSCRIPTION_ID, type: 'subscribe', payload: { query } }));
          subscribed = true;
          resolve();
          break;
        case 'ping':
          socket.send(JSON.stringify({ type: 'pong' }));
          break;
        case 'error':
          noteError(JSON.stringify(message.payload));
          break;
        case 'complete':
          noteError('the hub completed the subscription');
          break;
      }
    });
    socket.on('error', (err) => {
      if (!subscribed) {
        clearTimeout(timer);
        reject(err);
      }
    });
    socket.on('close', (code, reason) => {
      if (!subscribed) {
        clearTimeout(timer);
        reject(new Error(`closed ${code} ${String(reason)}`));
      } else if (!closing) {
        closes[code] = (closes[code] ?? 0) + 1;
      }
    });
  });
}

/** Opens every subscriber, `concurrency` handshakes at a time, reporting progress every 2 % or so. */
async function connectAll(message: Extract<ToClient, { type: 'connect' }>): Promise<void> {
  const started = Date.now();
  for (const spec of message.subscribers) subscribers.push(new Subscriber(spec));
  let next = 0;
  let opened = 0;
  let failed = 0;
  const failures: string[] = [];
  const step = Math.max(50, Math.floor(subscribers.length / 50));
  const lane = async () => {
    while (next < subscribers.length) {
      const sub = subscribers[next++];
      try {
        await open(sub, sub.spec.url ?? message.url, message.query, message.timeoutMs);
        opened++;
      } catch (e) {
        failed++;
        if (failures.length < ERROR_SAMPLES) failures.push((e as Error).message);
      }
      if ((opened + failed) % step === 0) send({ type: 'progress', opened, failed });
    }
  };
  await Promise.all(Array.from({ length: Math.min(message.concurrency, subscribers.length) }, lane));
  send({ type: 'connected', opened, failed, failures, ms: Date.now() - started });
}

async function closeAll(): Promise<void> {
  closing = true;
  await Promise.all(
    subscribers.map(
      (s) =>
        new Promise<void>((resolve) => {
          const socket = s.socket;
          if (!socket || socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.close(1000, 'benchmark done');
          setTimeout(() => {
            socket.terminate();
            resolve();
          }, 5000).unref();
        }),
    ),
  );
}

process.on('message', (message: ToClient) => {
  switch (message.type) {
    case 'connect':
      void connectAll(message);
      break;
    case 'count':
      send({ type: 'counts', counts: message.titles.map((t) => latencies.get(t)?.length ?? 0), cpuSeconds: cpuSeconds() });
      break;
    case 'report':
      send({
        type: 'report',
        latencies: Object.fromEntries(latencies),
        duplicates,
        errors,
        errorSamples,
        inconsistentCursors: [...inconsistentCursors],
        occurredAt: Object.fromEntries([...firstSeen].map(([title, seen]) => [title, seen.occurredAt])),
        closes,
        cpuSeconds: cpuSeconds(),
        rssKb: Math.round(process.memoryUsage.rss() / 1024),
      });
      break;
    case 'close':
      void closeAll().then(() => {
        send({ type: 'closed' });
        process.disconnect();
      });
      break;
  }
});
// The parent going away (a crash, Ctrl-C) must not leave sockets open.
process.on('disconnect', () => {
  if (!closing) process.exit(0);
});
