/**
 * A client process of bench/fanout.ts (forked by it, never run by hand): holds its share of
 * the subscribers, each on its own WebSocket, speaking graphql-transport-ws directly
 * (connection_init, connection_ack, subscribe, next; pong to ping) over the lean client in
 * lean-websocket.ts, which costs a client far less than a graphql-ws `createClient`, or even
 * `ws`, per socket. It records, for every event received, the delay from the event's
 * `occurredAt` (set by PostgreSQL inside the publishing transaction, just before its commit)
 * to the moment its message arrived here.
 *
 * The clients share the hub's two cores, so what they do while events arrive delays the hub
 * and each other. Once a socket is subscribed, its messages are therefore only stamped with
 * their arrival time and kept as bytes; they are checked (UTF-8, JSON, cursor, duplicates)
 * and counted in a drain that runs when no message has come for QUIET_MS, or before any
 * count or report. The figures are the same; the reading of them is moved out of the way.
 */
import { isUtf8 } from 'node:buffer';
import { connectLean, type LeanWebSocket } from './lean-websocket';

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
      /** Per event title: its cursor (the first one seen). */
      cursors: Record<string, string>;
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
/**
 * A drain runs once no message has arrived for this long. Between the sockets of one event the
 * hub can pause for tens of milliseconds (another group rendering), and a drain then would
 * take CPU from the delivery it measures; events in phase 1 come a second apart.
 */
const QUIET_MS = 250;
/** Messages read per event-loop turn in a drain, so that arrivals are still stamped on time. */
const DRAIN_SLICE = 1000;

class Subscriber {
  socket?: LeanWebSocket;
  /** Receipts per event, by the event's number in `eventNumbers`: a second one is a duplicate. */
  receipts = new Uint8Array(64);
  /** Called once when the socket has closed. */
  closed?: () => void;
  constructor(
    readonly spec: SubscriberSpec,
    /** Its place in `subscribers`. */
    readonly index: number,
  ) {}
}

/** Each event (title) gets a number on its first receipt, so that a subscriber's receipts fit in a byte array. */
const eventNumbers = new Map<string, number>();

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

/**
 * Messages of subscribed sockets not yet read, kept without an object each: their bytes copied
 * into one growing arena, and per message its subscriber, arrival time (ms) and place in the
 * arena in typed arrays. Kept as Buffers, a burst's 50,000 messages per client outlived the
 * young generation and set off full garbage collections in the middle of the next delivery,
 * pausing this client for 10-30 ms each while the hub's frames waited in its sockets: measured
 * as the hub's delay (up to 200 ms past the hub's last write, traced).
 */
class Pending {
  // Zero-filled, so their pages are the process's before the first delivery, not faulted in during it.
  bytes = Buffer.allocUnsafe(64 * 1024 * 1024).fill(0);
  used = 0;
  count = 0;
  subs = new Int32Array(256 * 1024);
  at = new Float64Array(256 * 1024);
  start = new Int32Array(256 * 1024);
  end = new Int32Array(256 * 1024);

  push(sub: number, at: number, data: Buffer): void {
    if (this.used + data.length > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + data.length));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    if (this.count === this.subs.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.subs = grow(this.subs);
      this.at = grow(this.at);
      this.start = grow(this.start);
      this.end = grow(this.end);
    }
    this.subs[this.count] = sub;
    this.at[this.count] = at;
    this.start[this.count] = this.used;
    this.used += data.copy(this.bytes, this.used);
    this.end[this.count] = this.used;
    this.count++;
  }

  message(i: number): Buffer {
    return this.bytes.subarray(this.start[i], this.end[i]);
  }

  clear(): void {
    this.used = 0;
    this.count = 0;
  }
}

/** Two arenas: arrivals go to one while a drain reads the other. */
let pending = new Pending();
let spare = new Pending();
let lastArrival = 0;
let draining: Promise<void> | undefined;

function arrived(sub: Subscriber, data: Buffer, at: number): void {
  lastArrival = at;
  pending.push(sub.index, at, data);
}

/** Resolves once no message has arrived for QUIET_MS (counting must not get in a delivery's way). */
async function quiet(): Promise<void> {
  for (let wait = QUIET_MS; wait > 0; wait = lastArrival + QUIET_MS - Date.now()) await new Promise((r) => setTimeout(r, wait));
}

/**
 * Reads every pending message, a slice per event-loop turn, then (with --expose-gc) collects
 * the garbage of reading them while nothing arrives, rather than in the next delivery.
 */
function drain(): Promise<void> {
  draining ??= (async () => {
    let read = 0;
    while (pending.count) {
      const batch = pending;
      pending = spare;
      for (let i = 0; i < batch.count; i++) {
        if (i > 0 && i % DRAIN_SLICE === 0) await new Promise((r) => setImmediate(r));
        const data = batch.message(i);
        const sub = subscribers[batch.subs[i]];
        read++;
        if (!isUtf8(data)) {
          noteError('a message that is not UTF-8');
          continue;
        }
        handle(sub, JSON.parse(data.toString()), batch.at[i]);
      }
      batch.clear();
      spare = batch;
    }
    if (read && Date.now() - lastArrival >= QUIET_MS) globalThis.gc?.();
  })().finally(() => (draining = undefined));
  return draining;
}

setInterval(() => {
  if (pending.count && Date.now() - lastArrival >= QUIET_MS) void drain();
}, QUIET_MS / 5).unref();

/** One message of a subscribed socket, which arrived at `at`. */
function handle(sub: Subscriber, message: { type: string; payload?: any }, at: number): void {
  switch (message.type) {
    case 'next':
      received(sub, message.payload, at);
      break;
    case 'ping':
      sub.socket?.send(JSON.stringify({ type: 'pong' }));
      break;
    case 'error':
      noteError(JSON.stringify(message.payload));
      break;
    case 'complete':
      noteError('the hub completed the subscription');
      break;
    default:
      noteError(`unexpected message ${message.type}`);
  }
}

/** Records one `next` message that arrived at `now`. */
function received(sub: Subscriber, payload: { data?: { alertEvents?: AlertEventPayload }; errors?: unknown[] }, now: number): void {
  const event = payload.data?.alertEvents;
  if (payload.errors?.length || !event) {
    noteError(JSON.stringify(payload));
    return;
  }
  const title = event.alert.title;
  let number = eventNumbers.get(title);
  if (number === undefined) eventNumbers.set(title, (number = eventNumbers.size));
  if (number >= sub.receipts.length) {
    const grown = new Uint8Array(Math.max(number + 1, sub.receipts.length * 2));
    grown.set(sub.receipts);
    sub.receipts = grown;
  }
  if (sub.receipts[number]++ > 0) {
    duplicates[title] = (duplicates[title] ?? 0) + 1;
    return;
  }
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
async function open(sub: Subscriber, url: string, query: string, timeoutMs: number): Promise<void> {
  let subscribed = false;
  let acknowledged!: () => void;
  let refused!: (e: Error) => void;
  const ack = new Promise<void>((resolve, reject) => {
    acknowledged = resolve;
    refused = reject;
  });
  const socket = await connectLean(
    url,
    'graphql-transport-ws',
    {
      message(data, at) {
        if (subscribed) return arrived(sub, data, at);
        const message = JSON.parse(String(data)) as { type: string; payload?: any };
        if (message.type !== 'connection_ack') return handle(sub, message, at);
        socket.send(JSON.stringify({ id: SUBSCRIPTION_ID, type: 'subscribe', payload: { query } }));
        subscribed = true;
        acknowledged();
      },
      close(code, reason) {
        if (!subscribed) refused(new Error(`closed ${code} ${reason}`));
        else if (!closing) closes[code] = (closes[code] ?? 0) + 1;
        sub.closed?.();
      },
    },
    timeoutMs,
  );
  sub.socket = socket;
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${sub.spec.token}` } }));
  const timer = setTimeout(() => {
    socket.terminate();
    refused(new Error(`no connection_ack in ${timeoutMs} ms`));
  }, timeoutMs);
  try {
    await ack;
  } finally {
    clearTimeout(timer);
  }
}

/** Opens every subscriber, `concurrency` handshakes at a time, reporting progress every 2 % or so. */
async function connectAll(message: Extract<ToClient, { type: 'connect' }>): Promise<void> {
  const started = Date.now();
  for (const spec of message.subscribers) subscribers.push(new Subscriber(spec, subscribers.length));
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
          if (!socket?.open) return resolve();
          s.closed = resolve;
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
      void quiet()
        .then(drain)
        .then(() => send({ type: 'counts', counts: message.titles.map((t) => latencies.get(t)?.length ?? 0), cpuSeconds: cpuSeconds() }));
      break;
    case 'report':
      void drain().then(() =>
        send({
          type: 'report',
          latencies: Object.fromEntries(latencies),
          duplicates,
          errors,
          errorSamples,
          inconsistentCursors: [...inconsistentCursors],
          occurredAt: Object.fromEntries([...firstSeen].map(([title, seen]) => [title, seen.occurredAt])),
          cursors: Object.fromEntries([...firstSeen].map(([title, seen]) => [title, seen.cursor])),
          closes,
          cpuSeconds: cpuSeconds(),
          rssKb: Math.round(process.memoryUsage.rss() / 1024),
        }),
      );
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
