import { Client } from 'pg';
import type { Logger } from '../common/logger';
import { currentHead, readEvents, type LoggedEvent, type Position, type Query } from './event-log';

export interface EventFeedOptions {
  /** Read the log this often even without a notification (a lost NOTIFY costs at most this). */
  fallbackPollMs?: number;
  /** How soon to read again while rows wait for an older transaction to end. */
  heldRetryMs?: number;
  /** Most rows per read. */
  batch?: number;
}

/** Rewrites `?` placeholders as `$1, $2, …` for the pg client. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * The hub's one reader of the event log: a dedicated connection that LISTENs to `hub_event`
 * and reads the log in order from its head, handing each batch of final events to its
 * listeners. It reconnects with back-off when the database goes away and then catches up from
 * its head, so events written meanwhile (through any hub) still arrive, in order.
 */
export class EventFeed {
  /** The last position handed to listeners. */
  head: Position = { tx: 0n, id: 0n };
  private client?: Client;
  private readonly listeners = new Set<(events: LoggedEvent[]) => void>();
  private polling = false;
  private again = false;
  private stopped = false;
  private connectedAt?: Date;
  private failures = 0;
  private timers = new Set<NodeJS.Timeout>();
  private readonly fallbackPollMs: number;
  private readonly heldRetryMs: number;
  private readonly batch: number;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: Logger,
    options: EventFeedOptions = {},
  ) {
    this.fallbackPollMs = options.fallbackPollMs ?? 2000;
    this.heldRetryMs = options.heldRetryMs ?? 15;
    this.batch = options.batch ?? 1000;
  }

  /** True while the LISTEN connection is up (readiness reports it). */
  get listening(): boolean {
    return this.connectedAt !== undefined;
  }

  /** Connects, LISTENs, and takes the log's current end as the head. */
  async start(): Promise<void> {
    await this.connect();
    this.head = await currentHead(this.query);
    const fallback = setInterval(() => this.poke(), this.fallbackPollMs);
    fallback.unref();
    this.timers.add(fallback);
  }

  /** Calls `listener` with each batch of new events, in log order, until the returned function is called. */
  subscribe(listener: (events: LoggedEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const client = this.client;
    this.client = undefined;
    this.connectedAt = undefined;
    await client?.end().catch(() => undefined);
  }

  private readonly query: Query = async (sql, params) => {
    if (!this.client) throw new Error('event feed: not connected');
    return (await this.client.query(numbered(sql), params)).rows;
  };

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'gba-hub event feed' });
    client.on('notification', () => this.poke());
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    await client.connect();
    await client.query('LISTEN hub_event');
    this.client = client;
    this.connectedAt = new Date();
    this.failures = 0;
  }

  /** The connection dropped: reconnect with back-off, then read everything missed. */
  private lost(client: Client, err?: Error): void {
    if (this.client !== client || this.stopped) return;
    this.client = undefined;
    this.connectedAt = undefined;
    client.end().catch(() => undefined);
    this.log.warn({ err }, 'event feed: database connection lost; reconnecting');
    this.reconnectLater();
  }

  private reconnectLater(): void {
    const delay = Math.min(5000, 100 * 2 ** Math.min(this.failures++, 6));
    this.later(delay, async () => {
      try {
        await this.connect();
        this.log.info('event feed: reconnected; catching up from the log');
        this.poke();
      } catch (e) {
        this.log.warn({ err: e }, 'event feed: reconnect failed');
        this.reconnectLater();
      }
    });
  }

  private later(ms: number, fn: () => void | Promise<void>): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      void fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  /** Asks for a read; reads already running pick it up when they finish. */
  poke(): void {
    if (this.stopped || !this.client) return;
    if (this.polling) {
      this.again = true;
      return;
    }
    void this.poll();
  }

  private async poll(): Promise<void> {
    this.polling = true;
    let held = false;
    try {
      do {
        this.again = false;
        const read = await readEvents(this.query, this.head, this.batch);
        held = read.held;
        if (read.events.length) {
          this.head = read.events[read.events.length - 1];
          for (const listener of this.listeners) {
            try {
              listener(read.events);
            } catch (e) {
              this.log.error({ err: e }, 'event feed: listener failed');
            }
          }
          if (read.events.length === this.batch) this.again = true;
        }
      } while (this.again && !this.stopped);
    } catch (e) {
      // A dead connection also emits 'error' or 'end'; reconnecting catches up from the head.
      if (!this.stopped) this.log.warn({ err: e }, 'event feed: read failed');
    } finally {
      this.polling = false;
    }
    if (held) this.later(this.heldRetryMs, () => this.poke());
  }
}
