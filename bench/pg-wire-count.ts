/**
 * A TCP relay in front of PostgreSQL that counts the statements its clients execute, read off
 * the wire protocol: each simple Query ('Q') and each Execute ('E') of the extended protocol is
 * one statement. It tells how many statements a server sends per request whatever its driver or
 * ORM, which is how bench/compare.ts counts PostGraphile's (the hub's come from its own listener,
 * and the two methods agree on the hub). Only the client-to-server direction is parsed; bytes
 * are relayed untouched both ways.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

/** Startup-phase request codes (protocol 3.0 startup, SSLRequest, GSSENCRequest, CancelRequest). */
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

export interface WireCounter {
  /** The relay's port on 127.0.0.1: point the client's connection string here. */
  port: number;
  /** Statements executed through the relay since the last reset. */
  statements(): number;
  reset(): void;
  close(): Promise<void>;
}

/** Starts a relay to `target` (host and port of PostgreSQL) on a free loopback port. */
export async function startWireCounter(target: { host: string; port: number }): Promise<WireCounter> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let startup = true;
    let pending: Buffer = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        if (startup) {
          if (pending.length < 8) break;
          const length = pending.readInt32BE(0);
          if (pending.length < length) break;
          const code = pending.readInt32BE(4);
          // After an SSL or GSS request the client sends a real startup packet (or gives up).
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST && code !== CANCEL_REQUEST) startup = false;
          pending = pending.subarray(length);
        } else {
          if (pending.length < 5) break;
          const length = pending.readInt32BE(1);
          if (pending.length < 1 + length) break;
          const type = pending[0];
          if (type === 0x51 /* Q */ || type === 0x45 /* E */) count++;
          pending = pending.subarray(1 + length);
        }
      }
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('wire counter: no port');
  return {
    port: address.port,
    statements: () => count,
    reset: () => {
      count = 0;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
