import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { expressMiddleware } from '@as-integrations/express5';
import { GraphQLError, getOperationAST, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import { syncAgencies } from './agencies/agency.service';
import { ConfigError, type HubConfig } from './config';
import { createContext, type HubContext } from './context';
import { ForbiddenError, HubError, isHubError, TooManyRequestsError, UnauthenticatedError } from './common/errors';
import { checkVariables, InputPathRule, withoutSuggestions } from './common/input-paths';
import { createLogger, type Logger } from './common/logger';
import { openDatabase } from './db/database';
import { migrate, openOrm, pendingMigrations, poolStats, warmPool, type PoolStats, type QueryListener } from './db/orm';
import { loadDemoData } from './demo/demo-data';
import { MatchKeyring } from './correlation/match-keys';
import { rekeyMatchKeys } from './correlation/match-key-rotation';
import { EventFeed } from './events/event-feed';
import { loadEventCursors, type EventCursors } from './events/event-cursor';
import { ORIGIN, pruneEvents } from './events/event-log';
import { FanOut, isShared, type SubscriptionContext } from './events/fanout';
import { serveGraphqlWs } from './transport/graphql-ws';
import { DocumentCache, introspectionRules, LIMITS, limitRules, parseAndValidate, PARSE_OPTIONS, staticCost } from './transport/limits';
import { bodyErrors, corsFor, jsonOnly, noStore, requestLogPlugin, requireUtf8 } from './transport/http';
import { HubMetrics, operationLabel } from './transport/metrics';
import { authRouter, consoleRouter } from './transport/console';
import { RateLimiter } from './transport/rate-limit';
import { ensureDevIdentity } from './identity/dev-identity';
import { SuspendedAgencyError, TokenVerifier } from './identity/token-verifier';
import { readTrustConfig, type TrustConfig } from './identity/trust-config';
import type { Viewer } from './identity/viewer';
import { buildHubSchema } from './schema';
import { checkRepresentationCost, checkRepresentations, countRepresentations, extraRateTokens } from './federation/subgraph';

/** A running hub. */
export interface Hub {
  /** The GraphQL endpoint, for HTTP and WebSocket alike. */
  url: string;
  port: number;
  /** Where `/metrics` is served when it has a listener of its own (HUB_METRICS_PORT); else on the main port. */
  metricsUrl?: string;
  /** The web console (src/console, built to dist/console), served at `/`. */
  consoleUrl: string;
  /** Which database it uses, password hidden. */
  database: string;
  /** True when it runs on development identity (generated keys, printed tokens). */
  devIdentity: boolean;
  trust: TrustConfig;
  /** The ORM of requests (HTTP, and queries and mutations over the socket). */
  orm: MikroORM;
  /** The event path's own ORM and pool (HUB_DB_EVENT_POOL_SIZE): subscription checks, rendering events. */
  eventOrm: MikroORM;
  /** Both pools now: size, connections used and free, checkouts waiting. */
  pools(): { request: PoolStats; event: PoolStats };
  /** Keys identifiers with HUB_MATCH_KEY_SECRET as this hub does (tests compute expected keys with it). */
  matchKeys: MatchKeyring;
  /** Seals and opens event cursors with the database's shared secret (tests read cursors with it). */
  eventCursors: EventCursors;
  /** What the live side holds now: open sockets, subscriptions, their shared groups, the feed. */
  stats(): { sockets: number; subscriptions: number; groups: number; delivered: number; slowConsumersClosed: number; listening: boolean; feedHead: { tx: bigint; id: bigint } };
  /**
   * Drains, then closes: new HTTP requests get 503 while those already read are answered
   * (for at most HTTP_DRAIN_MS); sockets are closed with 1001 (going away) and cut off if their
   * client does not answer within SOCKET_CLOSE_GRACE_MS. Then the ORM and, if it started one,
   * the embedded PostgreSQL, which is stopped even when a step before it fails. Safe to call twice.
   */
  stop(): Promise<void>;
  /** Stops the embedded PostgreSQL (if any) now, whatever else still runs: the last resort of a stop that hangs. */
  stopDatabase(): Promise<void>;
}

/** How long requests already read when a stop begins have to finish before their connections are closed. */
export const HTTP_DRAIN_MS = 5_000;

export interface StartOptions {
  log?: Logger;
  /** Sees every SQL statement; tests count statements per request with it. */
  onQuery?: QueryListener;
  /** Called with a line at each start-up step (the CLI prints them). */
  progress?: (line: string) => void;
}

/** The host part of a URL printed for a listener: all interfaces as localhost. */
function displayHost(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** Close code for a socket whose token has expired (graphql-ws uses 4403 for Forbidden). */
export const CLOSE_TOKEN_EXPIRED = 4403;
/** Close code for a socket that did not present a valid token. */
export const CLOSE_UNAUTHORIZED = 4401;

/** Error codes the client may read as they are; anything else is an unexpected failure. */
const PUBLIC_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'UNAUTHENTICATED',
]);

/**
 * Hides internals: domain errors and GraphQL's own request errors pass through without a
 * stack; anything else becomes a generic INTERNAL_SERVER_ERROR (logged by the plugin below).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const unwrapped = unwrapResolverError(error);
  // A HubError thrown while a literal was validated (an input scalar's check) arrives wrapped.
  const original = !isHubError(unwrapped) && unwrapped instanceof GraphQLError && isHubError(unwrapped.originalError) ? unwrapped.originalError : unwrapped;
  if (isHubError(original)) {
    const { code, field, retryAfter } = original.extensions as { code: string; field?: string; retryAfter?: number };
    const extensions = { code, ...(field ? { field } : {}), ...(retryAfter ? { retryAfter } : {}) };
    return { message: original.message, locations: formatted.locations, path: formatted.path, extensions };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
    // "Did you mean …?" would spell out the schema to a client that may not introspect it.
    const message = code === 'GRAPHQL_VALIDATION_FAILED' || code === 'BAD_USER_INPUT' ? withoutSuggestions(formatted.message) : formatted.message;
    return { message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * Subscriptions are served over WebSocket; over HTTP they are a client error, not a failure.
 * A federation router's entity request (`_entities`) logs every alert it shows, however
 * nested, with the route `federation`.
 */
function operationRoutes(): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.selectionSet.selections.some((s) => s.kind === 'Field' && s.name.value === '_entities')) {
            contextValue.accessLog.route = 'federation';
          }
          if (operation?.operation === 'subscription') {
            throw new GraphQLError('subscriptions are served over WebSocket (graphql-transport-ws) on the same URL', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

/**
 * Variables are checked before execution (common/input-paths.ts): a value that does not fit
 * is BAD_USER_INPUT naming its field, as over the socket, and no resolver runs.
 */
function variableCheck(schema: GraphQLSchema): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operationName, request }) {
          const [first] = checkVariables(schema, document, operationName, request.variables);
          if (first) {
            Object.assign(first.extensions, { http: { status: 400 } });
            throw first;
          }
        },
      };
    },
  };
}

/**
 * Entity references are capped per request (all `_entities` fields together) and take rate-limit
 * tokens in proportion, as lists are capped by `first`: known before anything runs, once the
 * operation and its variables are known.
 * @returns the error to answer instead, or undefined.
 */
function chargeRepresentations(
  schema: GraphQLSchema,
  limiter: RateLimiter,
  viewer: Viewer,
  document: import('graphql').DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): HubError | undefined {
  const count = countRepresentations(document, operationName, variables);
  if (count === 0) return undefined;
  try {
    checkRepresentations(count);
    if (count > 1) checkRepresentationCost(staticCost(schema, document), count, LIMITS.cost);
  } catch (e) {
    return e as HubError;
  }
  const extra = extraRateTokens(count);
  const wait = extra ? limiter.take(`${viewer.agencyCode}:${viewer.subject}`, extra) : 0;
  return wait ? new TooManyRequestsError(wait) : undefined;
}

function representationLimits(schema: GraphQLSchema, limiter: RateLimiter, metrics: HubMetrics): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, contextValue, response }) {
          const refused = chargeRepresentations(schema, limiter, contextValue.viewer, document, request.operationName, request.variables);
          if (!refused) return;
          if (refused instanceof TooManyRequestsError) {
            metrics.rateLimited.inc({ transport: 'http' });
            response.http.headers.set('retry-after', String(refused.retryAfterSeconds));
            throw refused;
          }
          // Thrown before execution, a request error: 400 as a validation failure is.
          throw new HubError('BAD_USER_INPUT', refused.message, { ...refused.extensions, http: { status: 400 } });
        },
      };
    },
  };
}

/**
 * Logs in full the errors no client may read as they are (not a HubError, not a public code),
 * for HTTP and the socket alike. Errors formatted already (plain objects) were logged then.
 */
function logUnexpected(log: Logger, errors: readonly unknown[], operationName: string | null | undefined): void {
  for (const e of errors) {
    if (!(e instanceof GraphQLError)) continue;
    const original = unwrapResolverError(e);
    if (isHubError(original) || PUBLIC_CODES.has(String(e.extensions?.code))) continue;
    log.error({ err: original, path: e.path, operationName }, 'unexpected error');
  }
}

type ApolloLogger = NonNullable<ApolloServerOptions<HubContext>['logger']>;

/** Apollo Server's logger interface over the hub's logger. */
function apolloLogger(log: Logger): ApolloLogger {
  const line = (level: 'debug' | 'info' | 'warn' | 'error') => (message: unknown) =>
    message instanceof Error ? log[level]({ err: message }, 'apollo server') : log[level]({ apollo: String(message) }, 'apollo server');
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

/** Logs unexpected errors in full, and gives them the request id the client sees. */
function errorLoggingPlugin(log: Logger): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors, operationName }) {
          logUnexpected(contextValue?.log ?? log, errors, operationName);
        },
        async willSendResponse({ response, contextValue }) {
          // The partners' reads this request showed, in one insert, before the answer leaves.
          // An answer whose reads cannot be logged does not leave: it becomes an internal error.
          try {
            if (contextValue?.accessLog) await contextValue.accessLog.flush(contextValue.em);
          } catch (e) {
            (contextValue?.log ?? log).error({ err: e }, 'access log not written: answer withheld');
            if (response.body.kind === 'single') {
              response.body.singleResult = { errors: [new GraphQLError('internal error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] };
            }
            response.http.status = 500;
          }
          if (response.body.kind !== 'single') return;
          for (const e of response.body.singleResult.errors ?? []) {
            if (e.extensions?.code === 'INTERNAL_SERVER_ERROR' && contextValue?.requestId) {
              (e.extensions as Record<string, unknown>).requestId = contextValue.requestId;
            }
          }
        },
      };
    },
  };
}

/**
 * Starts the hub: database (embedded when no DATABASE_URL), migrations, agencies from the
 * trust configuration, demo data, then HTTP and WebSocket on one port.
 * @throws ConfigError for unusable configuration, and whatever stops the database or port.
 */
export async function startHub(config: HubConfig, options: StartOptions = {}): Promise<Hub> {
  const log = options.log ?? createLogger(config.logLevel);
  const progress = options.progress ?? ((line: string) => log.info(line));

  const devIdentity = !config.trustConfigPath;
  if (devIdentity && config.nodeEnv === 'production') {
    throw new ConfigError('HUB_TRUST_CONFIG', 'a trust configuration file in production (development identity is refused)');
  }
  const trust = config.trustConfigPath ? readTrustConfig(config.trustConfigPath) : await ensureDevIdentity(config.dataDir);
  const matchKeys = new MatchKeyring(config.matchKeySecret);
  if (config.matchKeySecret.source === 'development') {
    log.warn(
      { secretId: matchKeys.fingerprint },
      'HUB_MATCH_KEY_SECRET is not set: match keys use a development secret derived from the data directory; production needs its own (docs/deployment.md, Keys)',
    );
  }
  let stats: () => ReturnType<Hub['stats']> = () => ({ sockets: 0, subscriptions: 0, groups: 0, delivered: 0, slowConsumersClosed: 0, listening: false, feedHead: ORIGIN });
  const pools = (): { request: PoolStats; event: PoolStats } => ({ request: poolStats(orm!), event: poolStats(eventOrm!) });
  // Made before the pools so that they report every checkout's wait, and before the verifier,
  // which counts failed JWKS fetches in them.
  const metrics = new HubMetrics(() => stats(), () => pools());
  const verifier = new TokenVerifier(
    trust,
    {
      cacheMaxAgeMs: config.jwksCacheSeconds * 1000,
      cooldownMs: config.jwksCooldownSeconds * 1000,
      log,
      onFetchFailure: (agency) => metrics.jwksFetchFailures.inc({ agency }),
    },
    { maxTtlSeconds: config.maxTokenTtlSeconds, log, cacheSeconds: config.tokenCacheSeconds },
  );

  const db = await openDatabase(config, log, progress);
  let orm: MikroORM | undefined;
  let eventOrm: MikroORM | undefined;
  let eventCursors: EventCursors;
  try {
    orm = await openOrm(db.url, {
      log,
      onQuery: options.onQuery,
      poolSize: config.dbPoolSize,
      poolKeep: config.dbPoolKeep,
      onAcquire: (s) => metrics.poolWait.observe({ pool: 'request' }, s),
    });
    const applied = await migrate(orm, () => progress('migrations: another hub is applying them; waiting for it …'));
    if (applied.length) progress(`applied ${applied.length} migration(s): ${applied.join(', ')}`);
    // After the migrations (they make hub_secret); the same keys on every hub of this database.
    eventCursors = await loadEventCursors((sql, params) => orm!.em.getConnection().execute(sql, params));
    const synced = await syncAgencies(orm.em.fork(), trust.agencies);
    if (synced.added.length) progress(`agencies added from the trust configuration: ${synced.added.join(', ')}`);
    if (synced.left.length) progress(`agencies that left (suspended or taken out of the trust configuration): ${synced.left.join(', ')}`);
    if (synced.rejoined.length) progress(`agencies that rejoined (partners of what is shared from now on): ${synced.rejoined.join(', ')}`);
    // Before serving: every alert keyed with this secret (all of them after a rotation).
    await rekeyMatchKeys(orm, matchKeys, { progress, onWait: () => progress('match keys: another hub is re-keying; waiting for it …') });
    if (config.demoData) {
      const loaded = await loadDemoData(orm.em.fork(), progress, matchKeys);
      if (loaded) progress(`demo data loaded: ${loaded}`);
    }
    await warmPool(orm, config.dbPoolKeep);
    // Live delivery has a pool of its own: rendering an event must not queue behind a burst of
    // requests on the same connections (seconds of delay at 120 writers, with one pool).
    const eventKeep = Math.min(config.dbPoolKeep, config.dbEventPoolSize);
    eventOrm = await openOrm(db.url, {
      log,
      onQuery: options.onQuery,
      poolSize: config.dbEventPoolSize,
      poolKeep: eventKeep,
      applicationName: 'gba-hub event path',
      onAcquire: (s) => metrics.poolWait.observe({ pool: 'event' }, s),
    });
    await warmPool(eventOrm, eventKeep);
  } catch (e) {
    await eventOrm?.close(true).catch(() => undefined);
    await orm?.close(true).catch(() => undefined);
    await db.embedded?.stop().catch(() => undefined);
    throw e;
  }
  const schema = await buildHubSchema();
  const settings = { operationWindowDays: config.operationWindowDays, matchKeys, probeDailyLimit: config.probeDailyLimit };
  const validationRules = [InputPathRule, ...limitRules(), ...introspectionRules(config.introspection)];

  // The event log: one LISTEN connection, and the fan-out every subscription of this hub reads from.
  const feed = new EventFeed(db.url, log);
  try {
    await feed.start();
    progress('event feed: listening for hub_event notifications; live events start after the log\'s current end');
    const pruned = await pruneEvents((sql, params) => orm!.em.getConnection().execute(sql, params), config.eventRetentionDays);
    if (pruned) progress(`event log: ${pruned} event(s) older than ${config.eventRetentionDays} days pruned`);
  } catch (e) {
    await feed.stop();
    await eventOrm.close(true).catch(() => undefined);
    await orm.close(true).catch(() => undefined);
    await db.embedded?.stop().catch(() => undefined);
    throw e;
  }
  const pruneTimer = setInterval(() => {
    pruneEvents((sql, params) => orm!.em.getConnection().execute(sql, params), config.eventRetentionDays).catch((e) =>
      log.warn({ err: e }, 'event log: pruning failed'),
    );
  }, 3_600_000);
  pruneTimer.unref();

  /** Hides internals in a result sent over the socket; unexpected errors are logged in full. */
  const formatResult = (result: ExecutionResult, operationName: string | null | undefined): ExecutionResult => {
    if (!result.errors?.length) return result;
    logUnexpected(log, result.errors, operationName);
    // Results rendered by the fan-out come formatted already: plain objects, left as they are.
    return { ...result, errors: result.errors.map((e) => (e instanceof GraphQLError ? formatError(e.toJSON(), e) : e)) as unknown as GraphQLError[] };
  };
  stats = () => ({ sockets: 0, subscriptions: 0, groups: 0, delivered: 0, slowConsumersClosed: 0, listening: false, feedHead: feed.head });
  const limiter = new RateLimiter(config.rateLimitPerMinute, config.rateLimitBurst);
  const fanout = new FanOut({
    schema,
    orm: eventOrm,
    feed,
    log,
    settings,
    retentionDays: config.eventRetentionDays,
    cursors: eventCursors,
    writeSlice: config.wsWriteSlice,
    format: formatResult,
    onDelivered: (event) => metrics.eventLag.observe(Math.max(0, Date.now() - event.occurredAt.getTime()) / 1000),
  });

  const app = express();
  app.disable('x-powered-by');
  // Express hashes every body it sends for an ETag; answers of /graphql are no-store and never
  // revalidated, and the console's files carry their own (express.static).
  app.set('etag', false);
  const httpServer: Server = createServer(app);

  // Draining: a request that arrives once a stop has begun is refused at once with 503 (a load
  // balancer retries it on another hub); those already read run to their answer.
  let draining = false;
  let inFlight = 0;
  let onIdle: (() => void) | undefined;
  app.use((req, res, next) => {
    if (draining) {
      res.setHeader('connection', 'close');
      res.setHeader('retry-after', '5');
      if (req.path === '/graphql') {
        res.status(503).json({ errors: [{ message: 'the hub is shutting down: send the request again', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
      } else {
        res.status(503).json({ status: 'draining' });
      }
      return;
    }
    inFlight++;
    res.once('close', () => {
      if (--inFlight === 0) onIdle?.();
    });
    next();
  });
  const drainHttp = async () => {
    if (inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        onIdle = resolve;
        timer = setTimeout(() => {
          log.warn({ requests: inFlight }, 'http: requests still running at shutdown are cut off');
          resolve();
        }, HTTP_DRAIN_MS);
      });
      clearTimeout(timer);
    }
    const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    // Idle keep-alive connections, and any request still running past the drain.
    httpServer.closeAllConnections();
    await closed;
  };

  const expiryTimers = new WeakMap<object, NodeJS.Timeout>();
  // Thousands of subscribers send the same few documents: parse and validate each text once.
  const documents = new DocumentCache((query) => parseAndValidate(schema, query, validationRules));
  const ws = serveGraphqlWs<{ authorization?: unknown }, { viewer?: Viewer }>({
    httpServer,
    path: '/graphql',
    allowedOrigins: config.allowedOrigins,
    queueLimit: config.wsQueueLimit,
    keepAliveMs: config.wsKeepAliveSeconds * 1000,
    log,
    server: {
      schema,
      // A subscription keeps only who it is and where it goes (fanout.ts renders each event with
      // a context of its own); a query or mutation over the socket gets the full context.
      context: (ctx, id, _payload, args): HubContext | SubscriptionContext =>
        getOperationAST(args.document, args.operationName)?.operation === 'subscription'
          ? { viewer: ctx.extra.viewer!, budget: ctx.extra.budget, subscriptionId: id }
          : createContext(orm!, ctx.extra.viewer!, log, { settings, route: 'query', introspection: config.introspection }),
      onConnect: async (ctx) => {
        const auth = ctx.connectionParams?.authorization;
        if (auth === undefined) {
          ctx.extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
          return false;
        }
        try {
          ctx.extra.viewer = await verifier.verifyAuthorization(auth);
        } catch (e) {
          // The suspended agency is told why (its signature verified); any other refusal says no more than Forbidden.
          ctx.extra.socket.close(CLOSE_TOKEN_EXPIRED, e instanceof SuspendedAgencyError ? e.message : 'Forbidden');
          return false;
        } finally {
          // graphql-ws keeps connectionParams for the socket's life; the bearer token is not needed
          // once verified (its expiry is timed below), so it does not stay in memory for hours.
          delete (ctx.connectionParams as Record<string, unknown>).authorization;
        }
        const ms = ctx.extra.viewer.expiresAt.getTime() - Date.now();
        const timer = setTimeout(() => ctx.extra.socket.close(CLOSE_TOKEN_EXPIRED, 'Token expired'), Math.max(0, Math.min(ms, 2 ** 31 - 1)));
        timer.unref();
        expiryTimers.set(ctx.extra.socket, timer);
        return true;
      },
      onClose: (ctx) => clearTimeout(expiryTimers.get(ctx.extra.socket)),
      // The same parsing limits and validation rules as over HTTP, and a cap on subscriptions per socket.
      onSubscribe: (ctx, _id, payload) => {
        const viewer = ctx.extra.viewer!;
        const wait = limiter.take(`${viewer.agencyCode}:${viewer.subject}`);
        if (wait) {
          metrics.rateLimited.inc({ transport: 'ws' });
          return [new TooManyRequestsError(wait)];
        }
        // The new subscription is already counted.
        if (Object.keys(ctx.subscriptions).length > config.wsMaxSubscriptions) {
          return [new ForbiddenError(`a socket may hold at most ${config.wsMaxSubscriptions} subscriptions: complete one first`)];
        }
        const document = documents.get(payload.query);
        if (Array.isArray(document)) {
          metrics.requests.inc({ operation: 'invalid', transport: 'ws', outcome: String(document[0]?.extensions?.code) });
          return document;
        }
        const badVariables = checkVariables(schema, document, payload.operationName, payload.variables);
        if (badVariables.length) {
          metrics.requests.inc({ operation: 'invalid', transport: 'ws', outcome: 'BAD_USER_INPUT' });
          return badVariables;
        }
        const refused = chargeRepresentations(schema, limiter, viewer, document, payload.operationName, payload.variables);
        if (refused) {
          if (refused instanceof TooManyRequestsError) metrics.rateLimited.inc({ transport: 'ws' });
          return [refused];
        }
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables ?? undefined };
      },
      subscribe: (args) => fanout.subscribe(args),
      onOperation: (_ctx, _id, payload, args, result) => {
        const operation = getOperationAST(args.document, args.operationName);
        const errors = 'errors' in result ? (result.errors ?? []) : [];
        const outcome = errors.length ? [...new Set(errors.map((e) => String(e.extensions?.code ?? 'ERROR')))].sort().join(',') : 'ok';
        const label = operationLabel(args.document, operation);
        metrics.requests.inc({ operation: label, transport: 'ws', outcome });
        const viewer = _ctx.extra.viewer;
        log.info(
          { requestId: (args.contextValue as Partial<HubContext>).requestId, agency: viewer?.agencyCode, subject: viewer?.subject, operationName: payload.operationName?.slice(0, 100), operation: label, outcome, transport: 'ws' },
          'graphql operation',
        );
        return undefined;
      },
      onNext: async (_ctx, _id, payload, args, result) => {
        // A shared event result was checked, logged and formatted once for all its subscribers.
        if (isShared(result)) return result;
        // A query's result writes the access log of what it showed (a replayed event's was written when it was rendered).
        const context = args.contextValue as Partial<HubContext>;
        if (context.accessLog && context.em) await context.accessLog.flush(context.em);
        return formatResult(result, payload.operationName);
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)) as never,
    },
  });

  const apollo = new ApolloServer<HubContext>({
    schema,
    // Apollo's own messages go through the hub's log (and its scrubbing), not the console.
    logger: apolloLogger(log),
    formatError,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // main.ts owns the signals and stops the hub in order; Apollo must not race it.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    // Introspection is refused by the hub's own rule in validationRules, whose message names HUB_INTROSPECTION.
    introspection: true,
    validationRules,
    parseOptions: PARSE_OPTIONS,
    // The HTTP server and the sockets are drained by stop() below, before Apollo stops.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // A subgraph would otherwise send federated traces (resolver timings and paths) to any caller asking for them.
      ApolloServerPluginInlineTraceDisabled(),
      // The hub sets no cache hints (an answer depends on who asks and on sharing that can
      // change at any moment), so the default plugin only wrapped every field's resolver to
      // compute a policy that was always "uncacheable"; noStore says so once per response.
      ApolloServerPluginCacheControlDisabled(),
      errorLoggingPlugin(log),
      operationRoutes(),
      variableCheck(schema),
      representationLimits(schema, limiter, metrics),
      requestLogPlugin(metrics, log),
    ],
  });
  await apollo.start();

  // /healthz and /readyz on the main port (a load balancer asks there) and on the metrics
  // listener (monitoring asks there); /metrics on one of them only.
  const probes = express.Router();
  probes.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  probes.get('/readyz', async (_req, res) => {
    try {
      await orm!.em.getConnection().execute('select 1');
      const pending = await pendingMigrations(orm!);
      const eventFeed = feed.listening ? 'listening' : 'reconnecting';
      if (pending.length || !feed.listening) {
        res.status(503).json({ status: 'unready', database: 'ok', eventFeed, pendingMigrations: pending, pools: pools() });
        return;
      }
      res.json({ status: 'ready', database: 'ok', eventFeed, pendingMigrations: [], pools: pools() });
    } catch {
      res.status(503).json({ status: 'unready', database: 'unreachable', eventFeed: feed.listening ? 'listening' : 'reconnecting', pools: pools() });
    }
  });
  const serveMetrics: express.RequestHandler = async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.end(await metrics.registry.metrics());
  };
  app.use(probes);
  let monitor: Server | undefined;
  if (config.metricsPort === undefined) {
    app.get('/metrics', serveMetrics);
  } else {
    const monitorApp = express();
    monitorApp.disable('x-powered-by');
    monitorApp.use(probes);
    monitorApp.get('/metrics', serveMetrics);
    monitor = createServer(monitorApp);
  }
  app.use(
    '/graphql',
    corsFor(config.allowedOrigins),
    noStore,
    jsonOnly,
    express.json({ limit: '1mb', verify: requireUtf8 }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = randomUUID();
        res.setHeader('x-request-id', requestId);
        let viewer: Viewer;
        try {
          viewer = await verifier.verifyAuthorization(req.headers.authorization);
        } catch (e) {
          metrics.requests.inc({ operation: 'unauthenticated', transport: 'http', outcome: 'UNAUTHENTICATED' });
          log.info({ requestId, outcome: 'UNAUTHENTICATED' }, 'graphql request');
          throw isHubError(e) ? e : new UnauthenticatedError();
        }
        const wait = limiter.take(`${viewer.agencyCode}:${viewer.subject}`);
        if (wait) {
          metrics.rateLimited.inc({ transport: 'http' });
          log.info({ requestId, agency: viewer.agencyCode, subject: viewer.subject, outcome: 'TOO_MANY_REQUESTS' }, 'graphql request');
          res.setHeader('retry-after', String(wait));
          throw new TooManyRequestsError(wait);
        }
        return createContext(orm!, viewer, log, { requestId, settings, introspection: config.introspection });
      },
    }),
  );

  // The sign-in endpoints and the web console, after every other route: they shadow none.
  app.use(authRouter({ trust, devIdentity, dataDir: config.dataDir, maxTokenTtlSeconds: config.maxTokenTtlSeconds, log }));
  app.use(consoleRouter({ trust, log }));

  // After the routes: body-parser failures as JSON errors.
  app.use(bodyErrors);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${displayHost(config.host)}:${port}/graphql`;
  let metricsUrl: string | undefined;
  if (monitor) {
    const host = config.metricsHost ?? config.host;
    await new Promise<void>((resolve, reject) => {
      monitor!.once('error', reject);
      monitor!.listen(config.metricsPort, host, () => resolve());
    });
    metricsUrl = `http://${displayHost(host)}:${(monitor.address() as AddressInfo).port}/metrics`;
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      draining = true;
      try {
        await Promise.all([
          drainHttp(),
          (async () => {
            fanout.stop();
            await ws.dispose();
          })(),
          (async () => {
            if (!monitor) return;
            monitor.closeAllConnections();
            await new Promise((resolve) => monitor!.close(resolve));
          })(),
        ]);
        await apollo.stop();
        clearInterval(pruneTimer);
        await feed.stop();
        await eventOrm!.close(true);
        await orm!.close(true);
      } finally {
        await db.embedded?.stop();
      }
    })());
  const stopDatabase = async () => {
    await db.embedded?.stop();
  };

  stats = () => ({ sockets: ws.sockets, subscriptions: fanout.subscriptions, groups: fanout.groupCount, delivered: fanout.delivered, slowConsumersClosed: ws.slowConsumersClosed, listening: feed.listening, feedHead: feed.head });
  return { url, port, metricsUrl, consoleUrl: url.replace(/\/graphql$/, '/'), database: db.label, devIdentity, trust, orm: orm!, eventOrm: eventOrm!, matchKeys, eventCursors, pools: () => pools(), stats: () => stats(), stop, stopDatabase };
}
