import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { inspect } from 'node:util';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** Everything the hub reads from its environment, parsed and checked once. */
export interface HubConfig {
  /** PostgreSQL connection string; undefined starts an embedded PostgreSQL under dataDir. */
  databaseUrl?: string;
  /** HTTP and WebSocket port; 0 picks a free one (tests). Default 4000. */
  port: number;
  /**
   * Interface to listen on. Default 127.0.0.1 (loopback) in development and tests, all
   * interfaces in production (where a reverse proxy or a container's port mapping fronts it).
   */
  host?: string;
  /**
   * Port of a second listener for `/metrics` (with `/healthz` and `/readyz`), so that the
   * monitoring network scrapes it and partners never reach it; 0 picks a free one. When set,
   * the main port does not serve `/metrics`. Default 9464 in production; in development and
   * tests none (`/metrics` on the main port).
   */
  metricsPort?: number;
  /** Interface of the metrics listener. Default the same as `host`. */
  metricsHost?: string;
  /** Path of the trust configuration (agencies, issuers, JWKS); undefined means development identity. */
  trustConfigPath?: string;
  /** Where the embedded database and development keys live. Default `.data`. */
  dataDir: string;
  /**
   * Extra server settings for the embedded PostgreSQL, as `name=value` pairs given to it at
   * each start (for instance `track_commit_timestamp=on`, which bench/fanout reads). Not used
   * with DATABASE_URL. Default none.
   */
  embeddedPostgresSettings: string[];
  /** Load the demo data set into an empty database at start. Default true. */
  demoData: boolean;
  /** Development only: seconds between the demo feed's alerts (0: no feed). Default 30 in development, else 0. */
  demoFeedSeconds: number;
  logLevel: LogLevel;
  nodeEnv: string;
  /**
   * Days after a joint operation concludes (or is cancelled) during which participants may
   * still report results and still see alerts shared with the operation. Default 30.
   */
  operationWindowDays: number;
  /** Days the event log keeps events; a resume cursor older than that is refused. Default 30. */
  eventRetentionDays: number;
  /**
   * Browser origins allowed to open a WebSocket (and, for HTTP, CORS). Requests without an
   * Origin header (servers, command-line clients) are not affected. Default none.
   */
  allowedOrigins: string[];
  /** Most subscriptions one socket may hold at once. Default 20. */
  wsMaxSubscriptions: number;
  /** Most events waiting to be sent on one socket before it is closed as too slow. Default 500. */
  wsQueueLimit: number;
  /** Seconds between pings on each socket; one not answered by the next ping is cut. Default 12. */
  wsKeepAliveSeconds: number;
  /**
   * Sockets a subscription group writes an event to per turn of the event loop, before HTTP,
   * other groups and the statements of events being rendered get their turn. Default 100.
   */
  wsWriteSlice: number;
  /** Whether introspection is allowed. Default on, except when NODE_ENV=production. */
  introspection: boolean;
  /** Sustained operations a minute per subject (HTTP requests and socket subscribes). Default 600. */
  rateLimitPerMinute: number;
  /** Operations a subject may make at once after a quiet spell. Default 120. */
  rateLimitBurst: number;
  /** Seconds an agency's remote JWKS is kept before it is fetched again (a removed key stops working within it). Default 300. */
  jwksCacheSeconds: number;
  /** Least seconds between fetches for an unknown key id (a new key is picked up after it). Default 30. */
  jwksCooldownSeconds: number;
  /**
   * Longest lifetime a token may have, in seconds: `exp - iat` (or `exp - now` without `iat`
   * or with one in the future). A longer token is refused even before it expires. Default 24 h.
   */
  maxTokenTtlSeconds: number;
  /**
   * Seconds a verified token is kept so that its next requests skip the signature check (never
   * past its `exp`); 0 keeps none. A key removed from a JWKS stops working within
   * jwksCacheSeconds plus this. Default 60.
   */
  tokenCacheSeconds: number;
  /**
   * How far V8 lets the old generation grow past what the last full collection left before the
   * next one, in percent; 0 leaves it to V8. Default 50 (see main.ts).
   */
  heapGrowingPercent: number;
  /** Most connections the hub's request pool holds (the event feed's LISTEN connection and the event path's pool are apart). */
  dbPoolSize: number;
  /** Connections opened at start and kept open however quiet it gets (at most dbPoolSize). */
  dbPoolKeep: number;
  /**
   * Most connections of the event path's own pool (subscription checks, rendering events,
   * their access-log rows), so that live delivery never queues behind request traffic.
   * Default 3. It keeps min(dbPoolKeep, this) open.
   */
  dbEventPoolSize: number;
  /**
   * The key of match keys (HUB_MATCH_KEY_SECRET, src/correlation): base64 of at least 32 bytes,
   * the same on every hub of a database. Required in production; in development and tests,
   * without it, one derived from the data directory (the hub warns). Never printed: JSON and
   * inspection show a placeholder.
   */
  matchKeySecret: SecretBytes;
  /**
   * Identifier values one officer (agency and subject) may probe (`matchIdentifiers`) per UTC
   * day, counted in the database so that restarts and other hubs share the count. Default 200.
   */
  probeDailyLimit: number;
}

/**
 * Bytes that must not be printed, logged or returned: JSON, `String()` and util.inspect show a
 * placeholder; only `reveal()` gives them, to the code that keys with them.
 */
export class SecretBytes {
  readonly #bytes: Buffer;

  /** @param source where it came from: the environment, or derived for development. */
  constructor(
    bytes: Buffer,
    readonly source: 'environment' | 'development',
  ) {
    this.#bytes = Buffer.from(bytes);
  }

  /** A copy of the bytes. */
  reveal(): Buffer {
    return Buffer.from(this.#bytes);
  }

  toJSON(): string {
    return '[secret]';
  }

  toString(): string {
    return '[secret]';
  }

  [inspect.custom](): string {
    return `SecretBytes [${this.source}]`;
  }
}

/** Least length of HUB_MATCH_KEY_SECRET, in bytes: a key as long as its HMAC-SHA256 output. */
export const MATCH_KEY_SECRET_MIN_BYTES = 32;

/** A configuration value that cannot be used; the message names the variable and what it expects. */
export class ConfigError extends Error {
  constructor(variable: string, expected: string, got?: string) {
    super(`${variable}: expected ${expected}${got ? `, got ${JSON.stringify(got)}` : ''}`);
    this.name = 'ConfigError';
  }
}

function parseBoolean(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(name, 'true or false', raw);
}

function parsePort(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,5}$/.test(raw.trim()) || Number(raw) > 65535) {
    throw new ConfigError(name, 'a port number from 0 to 65535', raw);
  }
  return Number(raw);
}

function parseDays(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d{1,4}$/.test(raw.trim())) throw new ConfigError(name, 'a whole number of days from 0 to 9999', raw);
  return Number(raw);
}

function parseCount(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = raw.trim();
  if (!/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max) throw new ConfigError(name, `a whole number from ${min} to ${max}`, raw);
  return Number(v);
}

/**
 * A duration as whole seconds (`3600`) or with a unit (`90s`, `30m`, `8h`, `2d`), as the token
 * script's `--ttl` takes it.
 * @throws ConfigError naming the variable when it is neither, or outside min..max seconds.
 */
export function parseDuration(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const m = /^(\d{1,9})\s*([smhd]?)$/.exec(raw.trim());
  const seconds = m ? Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'] : NaN;
  if (!(seconds >= min && seconds <= max)) throw new ConfigError(name, `seconds or a duration such as 30m, 8h or 1d, from ${min} s to ${max} s`, raw);
  return seconds;
}

/** Default of HUB_MAX_TOKEN_TTL: a working day and then some, never a token for ever. */
export const DEFAULT_MAX_TOKEN_TTL_SECONDS = 24 * 3600;

/** HUB_MAX_TOKEN_TTL alone, for the token script, which mints within it. */
export function maxTokenTtl(env: NodeJS.ProcessEnv = process.env): number {
  return parseDuration('HUB_MAX_TOKEN_TTL', env.HUB_MAX_TOKEN_TTL, DEFAULT_MAX_TOKEN_TTL_SECONDS, 60, 30 * 86_400);
}

/** A comma-separated list of origins such as `https://hub.customs.gov.hk`. */
function parseOrigins(name: string, raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((part) => {
    const v = part.trim();
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      throw new ConfigError(name, 'comma-separated origins such as https://hub.example.org', v);
    }
    if (!['http:', 'https:'].includes(url.protocol) || url.origin !== v.replace(/\/$/, '')) {
      throw new ConfigError(name, 'comma-separated origins (scheme, host and port only) such as https://hub.example.org', v);
    }
    return url.origin;
  });
}

/** Comma-separated `name=value` PostgreSQL settings such as `track_commit_timestamp=on`. */
function parsePostgresSettings(name: string, raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((part) => {
    const v = part.trim();
    // Plain names and values only: they become `-c name=value` arguments of the server.
    if (!/^[a-z][a-z0-9_.]{0,62}=[A-Za-z0-9_.:+-]{1,100}$/.test(v)) {
      throw new ConfigError(name, 'comma-separated PostgreSQL settings such as track_commit_timestamp=on', v);
    }
    return v;
  });
}

/**
 * HUB_MATCH_KEY_SECRET: base64 (standard or URL-safe) of at least 32 bytes. The value never
 * appears in an error. Without it: refused in production; elsewhere a secret derived from the
 * data directory, stable across restarts on it (match keys stay valid), known to anyone who
 * knows the path: for development only.
 * @throws ConfigError naming the variable.
 */
function parseMatchKeySecret(raw: string | undefined, nodeEnv: string, dataDir: string): SecretBytes {
  const expected = `base64 of at least ${MATCH_KEY_SECRET_MIN_BYTES} random bytes, the same on every hub of the database (e.g. \`openssl rand -base64 32\`)`;
  const v = raw?.trim();
  if (v) {
    if (!/^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$/.test(v)) throw new ConfigError('HUB_MATCH_KEY_SECRET', `${expected}; it is not base64`);
    const bytes = Buffer.from(v, 'base64');
    if (bytes.length < MATCH_KEY_SECRET_MIN_BYTES) throw new ConfigError('HUB_MATCH_KEY_SECRET', `${expected}; this one decodes to ${bytes.length} bytes`);
    return new SecretBytes(bytes, 'environment');
  }
  if (nodeEnv === 'production') throw new ConfigError('HUB_MATCH_KEY_SECRET', `${expected} in production (see docs/deployment.md, Keys)`);
  return new SecretBytes(createHash('sha256').update(`gba-hub development match key secret\0${dataDir}`).digest(), 'development');
}

function parseDatabaseUrl(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'a postgres:// or postgresql:// URL', '<unparseable URL>');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(name, 'a postgres:// or postgresql:// URL', `${url.protocol}//…`);
  }
  return raw.trim();
}

/**
 * Reads the hub's configuration from an environment.
 * @throws ConfigError naming the first variable whose value cannot be used.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `one of ${LOG_LEVELS.join(', ')}`, env.LOG_LEVEL ?? '');
  }
  const nodeEnv = env.NODE_ENV?.trim() || 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    throw new ConfigError('NODE_ENV', 'development, production or test', nodeEnv);
  }
  const trust = env.HUB_TRUST_CONFIG?.trim();
  const dbPoolSize = parseCount('HUB_DB_POOL_SIZE', env.HUB_DB_POOL_SIZE, 10, 1, 500);
  const dbPoolKeep = parseCount('HUB_DB_POOL_KEEP', env.HUB_DB_POOL_KEEP, dbPoolSize, 0, 500);
  if (dbPoolKeep > dbPoolSize) throw new ConfigError('HUB_DB_POOL_KEEP', `a whole number from 0 to HUB_DB_POOL_SIZE (${dbPoolSize})`, env.HUB_DB_POOL_KEEP ?? '');
  const dataDir = resolve(env.HUB_DATA_DIR?.trim() || '.data');
  return {
    databaseUrl: parseDatabaseUrl('DATABASE_URL', env.DATABASE_URL),
    port: parsePort('PORT', env.PORT, 4000),
    host: env.HOST?.trim() || (nodeEnv === 'production' ? undefined : '127.0.0.1'),
    metricsPort: env.HUB_METRICS_PORT?.trim() ? parsePort('HUB_METRICS_PORT', env.HUB_METRICS_PORT, 0) : nodeEnv === 'production' ? 9464 : undefined,
    metricsHost: env.HUB_METRICS_HOST?.trim() || undefined,
    trustConfigPath: trust ? resolve(trust) : undefined,
    dataDir,
    embeddedPostgresSettings: parsePostgresSettings('HUB_EMBEDDED_POSTGRES_SETTINGS', env.HUB_EMBEDDED_POSTGRES_SETTINGS),
    demoData: parseBoolean('HUB_DEMO_DATA', env.HUB_DEMO_DATA, true),
    demoFeedSeconds: demoFeedSeconds(env, nodeEnv),
    logLevel,
    nodeEnv,
    operationWindowDays: parseDays('HUB_OPERATION_WINDOW_DAYS', env.HUB_OPERATION_WINDOW_DAYS, 30),
    eventRetentionDays: parseCount('HUB_EVENT_RETENTION_DAYS', env.HUB_EVENT_RETENTION_DAYS, 30, 1, 3650),
    allowedOrigins: parseOrigins('HUB_ALLOWED_ORIGINS', env.HUB_ALLOWED_ORIGINS),
    wsMaxSubscriptions: parseCount('HUB_WS_MAX_SUBSCRIPTIONS', env.HUB_WS_MAX_SUBSCRIPTIONS, 20, 1, 1000),
    wsQueueLimit: parseCount('HUB_WS_QUEUE_LIMIT', env.HUB_WS_QUEUE_LIMIT, 500, 1, 100_000),
    wsKeepAliveSeconds: parseCount('HUB_WS_KEEPALIVE_SECONDS', env.HUB_WS_KEEPALIVE_SECONDS, 12, 1, 3600),
    wsWriteSlice: parseCount('HUB_WS_WRITE_SLICE', env.HUB_WS_WRITE_SLICE, 100, 1, 100_000),
    introspection: parseBoolean('HUB_INTROSPECTION', env.HUB_INTROSPECTION, nodeEnv !== 'production'),
    rateLimitPerMinute: parseCount('HUB_RATE_LIMIT_PER_MINUTE', env.HUB_RATE_LIMIT_PER_MINUTE, 600, 1, 10_000_000),
    rateLimitBurst: parseCount('HUB_RATE_LIMIT_BURST', env.HUB_RATE_LIMIT_BURST, 120, 1, 10_000_000),
    jwksCacheSeconds: parseCount('HUB_JWKS_CACHE_SECONDS', env.HUB_JWKS_CACHE_SECONDS, 300, 1, 86_400),
    jwksCooldownSeconds: parseCount('HUB_JWKS_COOLDOWN_SECONDS', env.HUB_JWKS_COOLDOWN_SECONDS, 30, 0, 3600),
    maxTokenTtlSeconds: maxTokenTtl(env),
    tokenCacheSeconds: parseCount('HUB_TOKEN_CACHE_SECONDS', env.HUB_TOKEN_CACHE_SECONDS, 60, 0, 300),
    heapGrowingPercent: parseCount('HUB_HEAP_GROWING_PERCENT', env.HUB_HEAP_GROWING_PERCENT, 50, 0, 400),
    dbPoolSize,
    dbPoolKeep,
    dbEventPoolSize: parseCount('HUB_DB_EVENT_POOL_SIZE', env.HUB_DB_EVENT_POOL_SIZE, 3, 1, 100),
    matchKeySecret: parseMatchKeySecret(env.HUB_MATCH_KEY_SECRET, nodeEnv, dataDir),
    probeDailyLimit: parseCount('HUB_PROBE_DAILY_LIMIT', env.HUB_PROBE_DAILY_LIMIT, 200, 1, 1_000_000),
  };
}

/** HUB_DEMO_FEED_SECONDS: the feed publishes with development tokens, so never in production. */
function demoFeedSeconds(env: NodeJS.ProcessEnv, nodeEnv: string): number {
  const seconds = parseCount('HUB_DEMO_FEED_SECONDS', env.HUB_DEMO_FEED_SECONDS, nodeEnv === 'development' ? 30 : 0, 0, 86_400);
  if (seconds > 0 && nodeEnv === 'production') throw new ConfigError('HUB_DEMO_FEED_SECONDS', '0 or unset in production (the demo feed publishes with development identity)', env.HUB_DEMO_FEED_SECONDS ?? '');
  return seconds;
}

/** Strips the password from a connection string so that it can be printed. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<database URL>';
  }
}
