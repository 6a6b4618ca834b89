import { setFlagsFromString } from 'node:v8';
import { ConfigError, loadConfig } from './config';
import { DataDirInUseError } from './db/embedded';
import { createLogger } from './common/logger';
import { Role } from './common/enums';
import { mintDevToken } from './identity/dev-identity';
import { startDemoFeed, type DemoFeed } from './demo/demo-feed';
import { startHub, type Hub } from './server';
import { findConsoleDir } from './transport/console';

/**
 * Hard limit for a graceful stop (requests drain for 5 s, sockets get 2 s to close, see
 * server.ts); past it the database is stopped and the process exits non-zero.
 */
const STOP_TIMEOUT_MS = 9_500;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`gba-hub: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  // The hub's old generation is mostly its sockets and subscriptions: large and steady. V8 sizes
  // the next full collection at 10-20 % above what the last one left, so a few megabytes of
  // promoted garbage brought one every 10-15 s with 10,000 subscribers, and each took 50-250 ms
  // of the main thread from the event being delivered at the time (bench/FANOUT-RESULTS.md).
  // More headroom makes them rare, for some memory. Read at each collection, so set in time.
  if (config.heapGrowingPercent > 0) setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);
  const log = createLogger(config.logLevel);
  const say = (line: string) => console.log(`gba-hub: ${line}`);
  const started = Date.now();
  let hub: Hub;
  try {
    hub = await startHub(config, { log, progress: say });
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`gba-hub: ${e.message}`);
      process.exit(2);
    }
    // Something else holds the data directory: one line saying what, and what to do.
    if (e instanceof DataDirInUseError) {
      console.error(`gba-hub: ${e.message}`);
      process.exit(1);
    }
    // A port another program holds: say which, and the switch (a stack would only hide it).
    const listen = e as NodeJS.ErrnoException & { address?: string; port?: number };
    if (listen?.code === 'EADDRINUSE' && listen.syscall === 'listen') {
      const variable = listen.port === config.metricsPort ? 'HUB_METRICS_PORT' : 'PORT';
      console.error(`gba-hub: port ${listen.port} on ${listen.address} is in use by another program: stop it, or start the hub with another ${variable}`);
      process.exit(1);
    }
    log.error({ err: e }, 'start-up failed');
    console.error(`gba-hub: start-up failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }

  say(`database: ${hub.database}`);
  say(`web console: ${hub.consoleUrl}${findConsoleDir() ? (hub.devIdentity ? ' (development sign-in: pick an agency and roles)' : '') : ' (not built: run `npm run build`)'}`);
  say(`GraphQL over HTTP and WebSocket: ${hub.url}`);
  say(`health: ${hub.url.replace(/\/graphql$/, '/healthz')}  readiness: ${hub.url.replace(/\/graphql$/, '/readyz')}`);
  say(`metrics: ${hub.metricsUrl ?? hub.url.replace(/\/graphql$/, '/metrics')}${hub.metricsUrl ? ' (a listener of its own: HUB_METRICS_PORT)' : ''}`);
  if (hub.devIdentity) {
    // Within HUB_MAX_TOKEN_TTL, or the hub would refuse the tokens it prints.
    const ttlSeconds = Math.min(8 * 3600, config.maxTokenTtlSeconds);
    say(`development identity: an ANALYST token per demo agency, valid ${ttlSeconds / 3600}h; other roles: \`npm run --silent token -- --agency HK --role COORDINATOR\` (OBSERVER, ANALYST, COORDINATOR, ADMIN)`);
    for (const a of hub.trust.agencies) {
      const token = await mintDevToken(config.dataDir, { agency: a.code, roles: [Role.ANALYST], ttlSeconds });
      console.log(`  ${a.code}  ${token}`);
    }
  } else {
    const suspended = hub.trust.agencies.filter((a) => a.suspended).map((a) => a.code);
    say(`trusting ${hub.trust.agencies.filter((a) => !a.suspended).map((a) => a.code).join(', ')} (audience ${hub.trust.audience})${suspended.length ? `; suspended: ${suspended.join(', ')}` : ''}`);
  }
  let feed: DemoFeed | undefined;
  if (hub.devIdentity && config.demoData && config.demoFeedSeconds > 0) {
    feed = startDemoFeed({ url: hub.url, dataDir: config.dataDir, intervalSeconds: config.demoFeedSeconds, agencies: hub.trust.agencies.map((a) => a.code), log });
    say(`demo feed: a partner alert is published every ${config.demoFeedSeconds} s (HUB_DEMO_FEED_SECONDS=0 stops it)`);
  }
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping (finishing in-flight requests, closing subscriptions) …`);
    const force = setTimeout(() => {
      console.error('gba-hub: did not stop in time; stopping the database and exiting');
      // Whatever hangs, the embedded PostgreSQL must not stay behind holding the data directory.
      const cap = new Promise((r) => setTimeout(r, 5_000).unref());
      void Promise.race([hub.stopDatabase().catch(() => undefined), cap]).then(() => process.exit(1));
    }, STOP_TIMEOUT_MS);
    force.unref();
    feed?.stop();
    hub.stop().then(
      () => {
        say('stopped');
        process.exit(0);
      },
      (e) => {
        log.error({ err: e }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
