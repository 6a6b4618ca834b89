import {
  execute,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  print,
  visit,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AlertSettings } from '../alerts/alert.service';
import { loadAlertRecords, type AlertRecord, type AlertRecordLoader } from '../alerts/alert-record';
import type { Logger } from '../common/logger';
import { createContext, type HubContext } from '../context';
import type { Viewer } from '../identity/viewer';
import type { EventCursors } from './event-cursor';
import { checkResumable, isAfter, readEvents, type LoggedEvent, type Position, type Query } from './event-log';
import type { EventFeed } from './event-feed';
import { EVENT_SOURCES, type EventSource } from './event-source';

/**
 * Subscriptions are served here rather than by graphql-js `subscribe`: the schema's
 * `@Subscription` fields point at this, and reaching it means something called `subscribe`
 * on the schema directly.
 */
export function servedByFanOut(): never {
  throw new Error('subscriptions are served by the hub fan-out (src/events/fanout.ts), not by graphql subscribe');
}

/** Marks a result shared by many subscribers; its JSON is made once (see transport/graphql-ws.ts). */
export const SHARED_JSON = Symbol('shared result JSON');
/** The shared JSON followed by the `}` that closes a `next` message, as UTF-8, made once. */
export const SHARED_TAIL = Symbol('shared result message tail');
export type SharedResult = ExecutionResult & { [SHARED_JSON]: () => string; [SHARED_TAIL]: () => Buffer };

export function isShared(result: unknown): result is SharedResult {
  return typeof result === 'object' && result !== null && SHARED_JSON in result;
}

function share(result: ExecutionResult): SharedResult {
  let json: string | undefined;
  let tail: Buffer | undefined;
  const toJson = () => (json ??= JSON.stringify(result));
  Object.defineProperty(result, SHARED_JSON, { value: toJson, enumerable: false });
  return Object.defineProperty(result, SHARED_TAIL, { value: () => (tail ??= Buffer.from(toJson() + '}')), enumerable: false }) as SharedResult;
}

/**
 * What one socket may hold back: events waiting for a slow client count against `limit`
 * across all of its subscriptions; past it the socket is closed with CLOSE_SLOW_CONSUMER and
 * the client resumes from its last cursor.
 */
export interface SocketBudget {
  queued: number;
  readonly limit: number;
  closed: boolean;
  /** Closes the socket as too slow. */
  overflow(): void;
  /**
   * Writes finished protocol messages straight to the socket, each the UTF-8 bytes `head`
   * then one of `tails`, as text frames in one buffer and one write.
   * @returns false, writing nothing, when what the socket holds unsent already passes the
   *   budget (`limit` messages of this size): the caller closes it as too slow.
   */
  write(head: Buffer, tails: readonly Buffer[]): boolean;
}

/**
 * What a subscription carries from the transport: who subscribes, the socket's budget and the
 * graphql-ws id of the subscription. Deliberately small: it lives as long as the subscription
 * (every event is rendered with a context of its own).
 */
export interface SubscriptionContext {
  viewer: Viewer;
  budget: SocketBudget;
  subscriptionId: string;
}

/** Formats a result's errors for the client (hides internals); given by the transport. */
export type ResultFormatter = (result: ExecutionResult, operationName: string | null | undefined) => ExecutionResult;

export interface FanOutOptions {
  schema: GraphQLSchema;
  /**
   * The event path's own ORM, on a pool of its own (HUB_DB_EVENT_POOL_SIZE), not the requests':
   * sharing theirs, delivery queued behind a burst of writers for seconds.
   */
  orm: MikroORM;
  feed: EventFeed;
  log: Logger;
  settings: AlertSettings;
  retentionDays: number;
  /** Seals event positions into the cursors clients get, and opens `since` (see event-cursor.ts). */
  cursors: EventCursors;
  /** Sockets written per turn of the event loop when a batch goes out to a group. */
  writeSlice: number;
  format: ResultFormatter;
  /** Told of each event delivered live, once per group (metrics: the event's lag). */
  onDelivered?: (event: LoggedEvent) => void;
}

/** Most events of a group rendered at once (their statements run side by side on the pool). */
const RENDER_BATCH = 20;

/** Batches a group renders at once (each takes one pooled connection at a time). */
const RENDERS_AHEAD = 2;

/** How long the groups may share the rows loaded for an event (see sharedAlertLoader). */
const SHARED_LOAD_MS = 250;

/** Events a replaying subscriber renders before it waits for its client to catch up. */
const REPLAY_PAGE = 200;

/**
 * Live events for every subscription of this hub. Subscribers with the same agency, roles,
 * document and variables form a group; each event is loaded, checked and executed once per
 * group (one access-log insert naming each subject), and its JSON is made once for all the
 * group's sockets. Each subscriber then gets, in log order, only events after the position it
 * joined at: a resume (`since`) replays the log up to that position first, so the seam has no
 * gap and no duplicate.
 */
export class FanOut {
  private readonly groups = new Map<string, Group>();
  private readonly unsubscribe: () => void;
  private readonly ormQuery: Query;
  /** Per live event, the alert records each set of ids was loaded as (see sharedAlertLoader). */
  private readonly alertLoads = new WeakMap<LoggedEvent, Map<string, Promise<AlertRecord[]>>>();
  /** Events delivered to subscribers since start (metrics). */
  delivered = 0;

  constructor(readonly options: FanOutOptions) {
    this.unsubscribe = options.feed.subscribe((events) => {
      for (const group of this.groups.values()) group.offer(events);
    });
    this.ormQuery = (sql, params) => options.orm.em.getConnection().execute(sql, params);
  }

  get subscriptions(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.members.size;
    return n;
  }

  get groupCount(): number {
    return this.groups.size;
  }

  stop(): void {
    this.unsubscribe();
    for (const g of this.groups.values()) g.close();
    this.groups.clear();
  }

  /**
   * The `subscribe` of graphql-ws: checks the arguments (and `since`), then returns the
   * subscriber's stream; a refused subscription is a result with errors.
   */
  async subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const { viewer, budget, subscriptionId } = args.contextValue as SubscriptionContext;
    // The checks read the database through a context of their own, dropped once they are done.
    const ctx = createContext(this.options.orm, viewer, this.options.log, { settings: this.options.settings, route: 'subscription' });
    const operation = getOperationAST(args.document, args.operationName);
    const field = operation && rootField(args.document, operation.selectionSet);
    const source = field && EVENT_SOURCES.get(field.name.value);
    const fieldDef = field && this.options.schema.getSubscriptionType()?.getFields()[field.name.value];
    if (!operation || !field || !source || !fieldDef) return { errors: [new GraphQLError('not a subscription this hub serves')] };

    const variables = getVariableValues(this.options.schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
    if (variables.errors) return { errors: variables.errors };
    let fieldArgs: Record<string, unknown>;
    let since: Position | undefined;
    try {
      fieldArgs = getArgumentValues(fieldDef, field, variables.coerced);
      await source.check(ctx, fieldArgs);
      if (fieldArgs.since != null) {
        since = this.options.cursors.decode(String(fieldArgs.since));
        await checkResumable(this.ormQuery, since, this.options.retentionDays);
      }
    } catch (e) {
      return { errors: [asFieldError(e, field)] };
    }

    const key = groupKey(ctx.viewer, args.document, field, variables.coerced, args.operationName);
    let group = this.groups.get(key);
    if (!group) {
      group = new Group(this, source, ctx.viewer, { ...args, variableValues: variables.coerced }, fieldArgs, () => this.groups.delete(key));
      this.groups.set(key, group);
    }
    const member = new Member(group, ctx.viewer, budget, subscriptionId, this.options.feed.head, since);
    group.members.add(member);
    if (since) void this.replay(member, since, source, args, fieldArgs);
    return member;
  }

  /**
   * Renders events for one viewer: loads them as that viewer may see them, executes the
   * document on each, logs the partner reads for `subjects`. Null for an event that must not
   * be sent. The events share one context, so their alerts are found and loaded together and
   * logged in one insert. `shareLoads`: groups rendering the same live events share the
   * loading of the alerts' rows.
   */
  async renderMany(source: EventSource, viewer: Viewer, subjects: readonly string[], events: readonly LoggedEvent[], args: ExecutionArgs, fieldArgs: Record<string, unknown>, shareLoads = false): Promise<(ExecutionResult | null)[]> {
    const { orm, log, settings, schema, format, cursors } = this.options;
    const ctx = createContext(orm, viewer, log, { settings, route: 'subscription', loadAlerts: shareLoads ? this.sharedAlertLoader(events) : undefined });
    const roots = source.loadMany ? await source.loadMany(ctx, events, fieldArgs, cursors) : await loadOneByOne(source, ctx, events, fieldArgs, cursors);
    const results: (ExecutionResult | null)[] = [];
    for (const root of roots) {
      if (!root) {
        results.push(null);
        continue;
      }
      // Each event is a read of its own in the access log, even of an alert another event showed.
      ctx.accessLog.beginRead();
      const result = await execute({ schema, document: args.document, operationName: args.operationName, variableValues: args.variableValues, rootValue: root, contextValue: ctx });
      results.push(format(result, args.operationName));
    }
    await ctx.accessLog.flush(ctx.em, subjects);
    return results;
  }

  /** One event for one viewer (see renderMany). */
  async render(source: EventSource, viewer: Viewer, subjects: readonly string[], event: LoggedEvent, args: ExecutionArgs, fieldArgs: Record<string, unknown>): Promise<ExecutionResult | null> {
    return (await this.renderMany(source, viewer, subjects, [event], args, fieldArgs))[0];
  }

  /**
   * Every group renders live events for its own viewer: its own visibility query, filter,
   * projection and access log. What is the same for all of them, the alerts' rows with their
   * goods, rights holders and distribution, is loaded once (one statement, see
   * loadAlertRecords) and projected by each group; with three agencies that is a third of the
   * loading between an event's commit and its first write. Loads are
   * keyed by the batch's first and last events and the ids found visible: groups whose batches
   * differ load apart, so a group never shows an event with rows loaded before it. A load that
   * fails is forgotten, so the group's retry loads again.
   */
  private sharedAlertLoader(batch: readonly LoggedEvent[]): AlertRecordLoader {
    const first = batch[0];
    const last = batch[batch.length - 1];
    return (ids) => {
      let loads = this.alertLoads.get(first);
      if (!loads) this.alertLoads.set(first, (loads = new Map()));
      const key = `${last.tx}:${last.id} ${[...ids].sort().join(' ')}`;
      let load = loads.get(key);
      if (!load) {
        const started = loadAlertRecords(this.ormQuery, ids);
        loads.set(key, started);
        started.catch(() => loads.delete(key));
        // The groups render an event within moments of each other. Kept longer (as long as the
        // event, which every member holds until the next), the records would outlive a garbage
        // collection or two and pile up in the old generation.
        setTimeout(() => loads.delete(key), SHARED_LOAD_MS).unref();
        load = started;
      }
      return load;
    };
  }

  /**
   * Replays the log from `since` up to where the member joined the live stream, rendering
   * each event for the member alone, then lets the live events it buffered meanwhile through.
   */
  private async replay(member: Member, since: Position, source: EventSource, args: ExecutionArgs, fieldArgs: Record<string, unknown>): Promise<void> {
    let at = since;
    try {
      for (;;) {
        const { events } = await readEvents(this.ormQuery, at, REPLAY_PAGE);
        const upTo = events.filter((e) => !isAfter(e, member.liveAfter));
        for (const event of upTo) {
          if (member.done) return;
          if (source.wants(event, fieldArgs)) {
            const result = await this.render(source, member.viewer, [member.viewer.subject], event, args, fieldArgs);
            if (result) member.enqueue(event, result);
          }
          member.passed(event);
          await member.roomToSend();
        }
        if (upTo.length < REPLAY_PAGE) break;
        at = upTo[upTo.length - 1];
      }
      member.goLive();
    } catch (e) {
      this.options.log.error({ err: e }, 'event replay failed');
      member.fail();
    }
  }
}

/** Subscribers sharing one execution per event. */
class Group {
  readonly members = new Set<Member>();
  private inbox: LoggedEvent[] = [];
  /** Batches rendering or rendered, in log order, not yet in a pass. */
  private readonly renders: Rendering[] = [];
  private running = false;
  private closed = false;

  constructor(
    private readonly fanout: FanOut,
    private readonly source: EventSource,
    /** Whose access the group's executions use: agency and roles are the same for every member. */
    private readonly viewer: Viewer,
    private readonly args: ExecutionArgs,
    private readonly fieldArgs: Record<string, unknown>,
    private readonly onEmpty: () => void,
  ) {}

  offer(events: LoggedEvent[]): void {
    if (this.closed) return;
    for (const e of events) if (this.source.wants(e, this.fieldArgs)) this.inbox.push(e);
    this.startRenders();
    if (this.renders.length && !this.running) void this.run();
  }

  leave(member: Member): void {
    this.members.delete(member);
    if (this.members.size === 0) this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.inbox = [];
    this.renders.length = 0;
    this.onEmpty();
    for (const m of this.members) m.end();
  }

  /**
   * Starts rendering what waits in the inbox, up to RENDERS_AHEAD batches at a time: events
   * that arrive while a batch renders or is being written start rendering at once, and are
   * ready by the time the pass before them reaches its first sockets, or soon after.
   */
  private startRenders(): void {
    while (this.inbox.length && this.renders.length < RENDERS_AHEAD && !this.closed) {
      const rendering: Rendering = { rendered: this.renderNext() };
      rendering.rendered.then(
        (ready) => (rendering.ready = ready),
        () => undefined,
      );
      this.renders.push(rendering);
    }
  }

  /** Takes the rendered batches at the head of the queue, in order, as one; null when none is ready. */
  private takeReady(): Ready | null {
    let taken: Ready | null = null;
    while (this.renders[0]?.ready) {
      const ready = this.renders.shift()!.ready!;
      taken = taken ? taken.concat(ready) : ready;
    }
    if (taken) this.startRenders();
    return taken;
  }

  /**
   * Delivers rendered batches to the members, a slice of sockets per turn of the event loop.
   * A batch that finishes rendering while a pass is under way joins it: the members not yet
   * written get both batches in one write, and the pass then comes round to the members it
   * had already written for the new events alone. A burst that commits over some tens of
   * milliseconds thus costs each socket one or two writes instead of one per batch (on
   * loopback a write is some 10 µs of the hub's one thread, most of a delivery's cost), and
   * no event waits for a pass it could have joined.
   */
  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.renders.length && !this.closed) {
        await this.renders[0].rendered;
        if (this.closed) break;
        let ready = this.takeReady()!;
        const { writeSlice } = this.fanout.options;
        const members = [...this.members];
        // given[i]: how many of `ready` members[i] has been handed; left: members short of some.
        const given: number[] = members.map(() => 0);
        let left = members.length;
        let i = 0;
        while (left > 0) {
          for (let slice = 0; slice < writeSlice && left > 0; i = (i + 1) % members.length) {
            if (given[i] === ready.length) continue;
            this.fanout.delivered += members[i].deliverBatch(given[i] === 0 ? ready : ready.slice(given[i]));
            given[i] = ready.length;
            left--;
            slice++;
          }
          // Thousands of socket writes in one go would starve everything else (HTTP, pings,
          // other groups, the statements of renders under way): let the event loop breathe.
          await new Promise((r) => setImmediate(r));
          if (this.closed) return;
          const joined = this.takeReady();
          if (joined) {
            // Members that subscribed since the pass began are owed the new events (not the
            // earlier ones: they joined the live stream after those).
            const known = new Set(members);
            for (const m of this.members) {
              if (known.has(m)) continue;
              members.push(m);
              given.push(ready.length);
            }
            ready = ready.concat(joined);
            left = members.length;
          }
        }
        for (const { event, shared } of ready) if (shared) this.fanout.options.onDelivered?.(event);
      }
    } finally {
      this.running = false;
    }
  }

  /**
   * Takes the events waiting (a burst arrives together) and renders them together; each
   * socket then gets all of them in one write to the kernel.
   */
  private async renderNext(): Promise<Ready> {
    const batch = this.inbox.splice(0, RENDER_BATCH);
    const results = await this.renderWithRetry(batch);
    return batch.map((event, i) => ({ event, shared: results[i] && share(results[i]) }));
  }

  /**
   * A database that went away (a restart, a failover) must not lose the events: retry with
   * back-off until it answers or the group closes.
   */
  private async renderWithRetry(events: LoggedEvent[]): Promise<(ExecutionResult | null)[]> {
    const subjects = [...new Set([...this.members].map((m) => m.viewer.subject))];
    for (let attempt = 0; ; attempt++) {
      try {
        const results = await this.fanout.renderMany(this.source, this.viewer, subjects, events, this.args, this.fieldArgs, true);
        const internal = results.some((r) => r?.errors?.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR'));
        if (!internal || attempt >= 3) return results;
      } catch (e) {
        this.fanout.options.log.warn({ err: e, attempt }, 'event delivery failed; retrying');
      }
      if (this.closed) return events.map(() => null);
      await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt)));
    }
  }
}

/** A rendered batch: each event with the result its group shares (null: not for this group). */
type Ready = { event: LoggedEvent; shared: SharedResult | null }[];

/** A batch of events rendering for a group; `ready` once it has rendered. */
interface Rendering {
  rendered: Promise<Ready>;
  ready?: Ready;
}

/** Roots of events whose source has no batched load, one after the other on the one context. */
async function loadOneByOne(source: EventSource, ctx: HubContext, events: readonly LoggedEvent[], args: Record<string, unknown>, cursors: EventCursors): Promise<(object | null)[]> {
  const roots: (object | null)[] = [];
  for (const event of events) roots.push(await source.load(ctx, event, args, cursors));
  return roots;
}

/** One subscription: an async iterator graphql-ws reads and sends from. */
class Member implements AsyncIterableIterator<ExecutionResult> {
  done = false;
  private readonly queue: ExecutionResult[] = [];
  private waiter?: (r: IteratorResult<ExecutionResult>) => void;
  private roomWaiter?: () => void;
  /** The last event this member got or passed over: nothing at or before it is sent again. */
  private last: Position;
  /** While replaying, live events wait here. */
  private buffer: { event: LoggedEvent; result: ExecutionResult }[] | null;
  /** The protocol message up to its payload, as UTF-8: a shared result is written as prefix + JSON + '}'. */
  private readonly prefix: Buffer;

  constructor(
    private readonly group: Group,
    readonly viewer: Viewer,
    private readonly budget: SocketBudget,
    subscriptionId: string,
    /** Live events after this position reach the member; the replay covers up to it. */
    readonly liveAfter: Position,
    since: Position | undefined,
  ) {
    this.last = since ?? liveAfter;
    this.buffer = since ? [] : null;
    this.prefix = Buffer.from(`{"id":${JSON.stringify(subscriptionId)},"type":"next","payload":`);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** @returns whether the event went to this member. */
  deliverLive(event: LoggedEvent, result: ExecutionResult): boolean {
    if (this.done || !isAfter(event, this.liveAfter)) return false;
    if (this.buffer) {
      if (this.budget.queued + this.buffer.length >= this.budget.limit) {
        this.overflow();
        return false;
      }
      this.buffer.push({ event, result });
      return true;
    }
    return this.enqueue(event, result);
  }

  /** Delivers events in log order (null: not for this group), in one socket write; returns how many went out. */
  deliverBatch(ready: readonly { event: LoggedEvent; shared: SharedResult | null }[]): number {
    if (this.buffer || !this.waiter || this.done) {
      let sent = 0;
      for (const { event, shared } of ready) {
        if (shared && this.deliverLive(event, shared)) sent++;
        this.passed(event);
      }
      return sent;
    }
    // graphql-ws is idle on this subscription and nothing of it is pending: the batch's shared
    // results go straight to the socket, in order, as frames of one write (see enqueue).
    const tails: Buffer[] = [];
    for (const { event, shared } of ready) {
      if (!isAfter(event, this.last)) continue;
      this.last = event;
      if (shared && isAfter(event, this.liveAfter)) tails.push(shared[SHARED_TAIL]());
    }
    if (tails.length && !this.budget.write(this.prefix, tails)) {
      this.overflow();
      return 0;
    }
    return tails.length;
  }

  /** Records that the member is past `event` (sent, or not for it). */
  passed(event: Position): void {
    if (!this.buffer && isAfter(event, this.last)) this.last = event;
  }

  /** @returns whether the result was queued (or handed over) for sending. */
  enqueue(event: Position, result: ExecutionResult): boolean {
    if (this.done || !isAfter(event, this.last)) return false;
    this.last = event;
    // graphql-ws is idle on this subscription (waiting for the next value, nothing queued or
    // in flight): a shared result goes straight to the socket, serialized once for the group,
    // with no per-subscriber promise chain. Order holds: nothing of this member is pending.
    if (this.waiter && isShared(result)) {
      if (!this.budget.write(this.prefix, [result[SHARED_TAIL]()])) {
        this.overflow();
        return false;
      }
      return true;
    }
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ value: result, done: false });
      return true;
    }
    if (this.budget.queued >= this.budget.limit) {
      this.overflow();
      return false;
    }
    this.budget.queued++;
    this.queue.push(result);
    return true;
  }

  /** Resolves once the client has taken most of what waits (replay goes no faster than it reads). */
  roomToSend(): Promise<void> {
    if (this.done || this.queue.length < 16) return Promise.resolve();
    return new Promise((resolve) => (this.roomWaiter = resolve));
  }

  /** The replay reached the live position: send what arrived meanwhile, then go on live. */
  goLive(): void {
    const buffered = this.buffer ?? [];
    this.buffer = null;
    for (const { event, result } of buffered) this.enqueue(event, result);
  }

  fail(): void {
    this.enqueue({ tx: 2n ** 64n, id: 0n }, { errors: [new GraphQLError('the event stream failed: resubscribe with since set to your last cursor', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] });
    this.end();
  }

  private overflow(): void {
    this.budget.overflow();
    this.end();
  }

  /** Ends the stream (the queue still drains to a reader that asks). */
  end(): void {
    if (this.done) return;
    this.done = true;
    this.group.leave(this);
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ value: undefined, done: true });
    }
    this.roomWaiter?.();
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    const value = this.queue.shift();
    if (value) {
      this.budget.queued--;
      if (this.roomWaiter && this.queue.length < 8) {
        const w = this.roomWaiter;
        this.roomWaiter = undefined;
        w();
      }
      return { value, done: false };
    }
    if (this.done || this.budget.closed) {
      // graphql-ws calls return() only when the client completes or the socket closes; a
      // stream that ends by itself (its socket closing under it) must leave its group itself.
      this.end();
      return { value: undefined, done: true };
    }
    return new Promise((resolve) => (this.waiter = resolve));
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.budget.queued -= this.queue.length;
    this.queue.length = 0;
    this.end();
    return { value: undefined, done: true };
  }
}

/** The subscription's one root field, through fragments if need be. */
function rootField(document: DocumentNode, selectionSet: SelectionSetNode): FieldNode | undefined {
  for (const s of selectionSet.selections) {
    if (s.kind === Kind.FIELD) return s;
    if (s.kind === Kind.INLINE_FRAGMENT) return rootField(document, s.selectionSet);
    if (s.kind === Kind.FRAGMENT_SPREAD) {
      const def = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value);
      if (def && def.kind === Kind.FRAGMENT_DEFINITION) return rootField(document, def.selectionSet);
    }
  }
  return undefined;
}

/**
 * Subscribers share a group when everything that shapes their events is the same: agency,
 * roles, the document and variables, except `since`, which only decides where each starts.
 */
function groupKey(viewer: Viewer, document: DocumentNode, field: FieldNode, variables: Record<string, unknown>, operationName: string | null | undefined): string {
  const sinceArg = field.arguments?.find((a) => a.name.value === 'since');
  const vars = { ...variables };
  if (sinceArg?.value.kind === Kind.VARIABLE) {
    // Dropped only when `since` is the variable's one use: used elsewhere (a filter, say), it shapes events.
    const name = sinceArg.value.name.value;
    let uses = 0;
    visit(document, { Variable: (node) => void (node.name.value === name && uses++) });
    if (uses === 1) delete vars[name];
  }
  const withoutSince = visit(document, {
    Field: (node) => (node === field ? { ...node, arguments: node.arguments?.filter((a) => a !== sinceArg) } : undefined),
  });
  return JSON.stringify([viewer.agencyCode, [...viewer.roles].sort(), operationName ?? null, print(withoutSince), vars]);
}

/** A refusal at subscribe time, as a field error the transport formats like any other. */
function asFieldError(e: unknown, field: FieldNode): GraphQLError {
  const error = e instanceof Error ? e : new Error(String(e));
  return new GraphQLError(error.message, { nodes: [field], path: [field.alias?.value ?? field.name.value], originalError: error });
}

