import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A stretch of network between a browser and a hub that a test can take down: a TCP relay on
 * a port of its own. Everything the page does (its HTTP requests, its WebSocket) crosses it,
 * byte for byte, so the hub sees the page's own Host and Origin.
 *
 * `drop()` is a link failing somewhere on the path, as a duty officer's would: nothing is closed
 * and nobody is told; bytes simply stop arriving either way (they are held, as TCP holds what it
 * cannot deliver) and new connections hang. `restore()` brings the link back the way a router
 * that lost its state does: the connections that lived through the gap are reset, new ones
 * are carried again.
 */
export interface FlakyNetwork {
  /** The address to open in the browser instead of the hub's. */
  origin: string;
  url(path: string): string;
  /** Connections carried so far (each HTTP keep-alive connection and each socket counts once). */
  connections(): number;
  drop(): void;
  /**
   * `stale: 'reset'` (default): the connections that lived through the gap are reset. `'silent'`:
   * they stay as they are, open on both ends and carrying nothing, as behind a NAT that lost its
   * state and drops their packets; only new connections are carried.
   */
  restore(options?: { stale?: 'reset' | 'silent' }): void;
  close(): Promise<void>;
}

interface Link {
  client: Socket;
  upstream: Socket;
}

/** Starts a relay on 127.0.0.1 (port 0) to `target` (a hub's http:// URL: only its host and port matter). */
export async function startFlakyNetwork(target: string): Promise<FlakyNetwork> {
  const { hostname, port } = new URL(target);
  const links = new Set<Link>();
  const silent = new Set<Link>();
  let down = false;
  let carried = 0;

  const server: Server = createServer((client) => {
    carried += 1;
    const upstream = connect({ host: hostname, port: Number(port) });
    const link = { client, upstream };
    links.add(link);
    // Up, a side that ends takes the other with it. Down, its end (the hub cutting a peer that
    // stopped answering, say) never reaches the other side: that one hangs until restore().
    const end = () => {
      if (down || silent.has(link)) return;
      links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', () => undefined).on('close', end);
    upstream.on('error', () => undefined).on('close', end);
    // Paused sides hold what they read: nothing passes while the link is down.
    client.pipe(upstream);
    upstream.pipe(client);
    if (down) hold(link);
  });

  function hold({ client, upstream }: Link): void {
    client.unpipe(upstream);
    upstream.unpipe(client);
    client.pause();
    upstream.pause();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('flaky network: no port');
  const origin = `http://127.0.0.1:${address.port}`;

  return {
    origin,
    url: (path) => `${origin}${path}`,
    connections: () => carried,
    drop() {
      down = true;
      for (const link of links) hold(link);
    },
    restore({ stale = 'reset' } = {}) {
      down = false;
      if (stale === 'silent') {
        // Held as they are (paused, unpiped), and no longer this relay's to end: ended at close().
        for (const link of links) silent.add(link);
        links.clear();
        return;
      }
      // A reset, not a close: no FIN, no WebSocket close frame; the peers learn it from the error.
      for (const { client, upstream } of [...links]) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
      links.clear();
    },
    async close() {
      for (const { client, upstream } of [...links, ...silent]) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
