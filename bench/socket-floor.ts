/**
 * The floor under the fan-out benchmark: what one pass over N loopback TCP sockets costs a bare
 * Node process on this machine, with nothing of the hub in it. A server holds N accepted
 * sockets (no delay, as ws sets them); two client processes, pinned to the other core as
 * bench/fanout pins its clients, hold the other ends and read everything. Each pass writes one
 * buffer to every socket in one synchronous loop and is timed from the first write to the
 * last; the writes' cost is mostly the kernel's TCP path, which on loopback also runs the
 * receiving side. Compare a pass with a phase-1 event's "last subscriber" in
 * bench/FANOUT-RESULTS.md.
 *
 *   npm run bench:floor -- [--sockets 10000] [--bytes 180,1800] [--passes 8]
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createConnection, createServer, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { percentile } from './stats';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Client mode: opens `count` connections to `port`, reads and drops what comes. */
async function client(port: number, count: number): Promise<void> {
  for (let opened = 0; opened < count; ) {
    // 100 handshakes in flight at a time, like the fan-out benchmark's clients.
    const batch = Math.min(100, count - opened);
    await Promise.all(
      Array.from({ length: batch }, () => new Promise<void>((resolve, reject) => {
        const s = createConnection({ port, host: '127.0.0.1' }, resolve);
        s.on('error', reject);
        s.on('data', () => undefined);
      })),
    );
    opened += batch;
  }
  process.send!('ready');
}

function pin(pid: number, cores: number[]): void {
  try {
    execFileSync('taskset', ['-a', '-c', '-p', cores.join(','), String(pid)], { stdio: 'ignore' });
  } catch {
    // No taskset: unpinned.
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sockets: { type: 'string', default: '10000' },
      bytes: { type: 'string', default: '180,1800' },
      passes: { type: 'string', default: '8' },
    },
  });
  const n = Number(values.sockets);
  const sizes = values.bytes!.split(',').map(Number);
  const passes = Number(values.passes);
  if (!(n > 0) || !sizes.every((b) => b > 0) || !(passes > 0)) throw new Error('--sockets, --bytes and --passes take positive numbers');

  const cores = availableParallelism();
  const half = Math.max(1, Math.floor(cores / 2));
  const serverCores = Array.from({ length: half }, (_, i) => i);
  const clientCores = cores > 1 ? Array.from({ length: cores - half }, (_, i) => half + i) : serverCores;
  pin(process.pid, serverCores);

  const accepted: Socket[] = [];
  const server = createServer((s) => {
    s.setNoDelay(true);
    accepted.push(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  console.log(`floor: ${n} loopback sockets from 2 client processes (pinned to core(s) ${clientCores.join(', ')}; this process to ${serverCores.join(', ')}) …`);
  const children: ChildProcess[] = [0, 1].map((k) => fork(__filename, ['--client', String(port), String(Math.floor(n / 2) + (k < n % 2 ? 1 : 0))]));
  for (const c of children) pin(c.pid!, clientCores);
  await Promise.all(children.map((c) => new Promise((r) => c.once('message', r))));
  while (accepted.length < n) await sleep(10);

  for (const bytes of sizes) {
    const buffer = Buffer.alloc(bytes, 'x');
    const times: number[] = [];
    for (let p = 0; p < passes; p++) {
      const started = performance.now();
      for (const s of accepted) s.write(buffer);
      times.push(performance.now() - started);
      // Let the clients drain and the machine settle between passes.
      await sleep(300);
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      `floor: ${bytes} bytes to each of ${n} sockets: median ${percentile(sorted, 50).toFixed(0)} ms, fastest ${sorted[0].toFixed(0)} ms, slowest ${sorted[sorted.length - 1].toFixed(0)} ms ` +
        `(${((1000 * percentile(sorted, 50)) / n).toFixed(1)} µs a socket; passes in order: ${times.map((t) => t.toFixed(0)).join(' ')})`,
    );
  }
  for (const c of children) c.kill();
  for (const s of accepted) s.destroy();
  server.close();
}

if (process.argv[2] === '--client') {
  void client(Number(process.argv[3]), Number(process.argv[4]));
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
