import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import { isShared, SHARED_JSON, type SocketBudget } from '../events/fanout';
import type { Logger } from '../common/logger';

/** Close code for a socket whose client reads too slowly: it should resubscribe with `since`. */
export const CLOSE_SLOW_CONSUMER = 4013;

/** What each socket carries into the graphql-ws hooks. */
export interface SocketExtra {
  socket: WebSocket;
  budget: SocketBudget;
}

export interface GraphqlWsOptions<P extends Record<string, unknown>, E> {
  httpServer: Server;
  path: string;
  /** Browser origins allowed to open a socket; a request without Origin is not a browser's. */
  allowedOrigins: readonly string[];
  /** Events one socket may hold back for a slow client. */
  queueLimit: number;
  /** Each socket is pinged once a period; one that has not answered by the next ping is cut. */
  keepAliveMs?: number;
  log: Logger;
  server: ServerOptions<P, SocketExtra & E>;
}

export interface GraphqlWs {
  /** Open sockets. */
  readonly sockets: number;
  /** Sockets closed since start because their client read too slowly. */
  readonly slowConsumersClosed: number;
  /**
   * Stops accepting (an upgrade is answered 503), closes every socket with 1001 (going away)
   * and cuts off those whose client has not answered the close within `graceMs`.
   */
  dispose(graceMs?: number): Promise<void>;
}

/** How long a socket has to answer the close before it is cut off (default of dispose). */
export const SOCKET_CLOSE_GRACE_MS = 2_000;

/**
 * A page the hub served itself (the web console) opens its socket from the hub's own origin:
 * the Origin names the host the request was sent to. Other origins need HUB_ALLOWED_ORIGINS.
 */
export function sameOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * graphql-ws (graphql-transport-ws) on the HTTP server's `path`, written on graphql-ws's
 * `makeServer` rather than its `useServer` so that the hub controls three things:
 * - the upgrade: wrong path is 404, a browser Origin not on the allow-list is 403;
 * - slow clients: each socket has a budget of held-back events (see fanout.ts);
 * - shared payloads: a result many subscribers share is serialized once. graphql-ws builds
 *   each message with JSON.stringify and our replacer, then calls send synchronously: the
 *   replacer puts a per-process placeholder where the shared payload goes, and send splices
 *   the cached JSON in. The placeholder holds a NUL, which no database text can contain.
 */
export function serveGraphqlWs<P extends Record<string, unknown>, E>(options: GraphqlWsOptions<P, E>): GraphqlWs {
  const { httpServer, path, allowedOrigins, queueLimit, log } = options;
  const keepAliveMs = options.keepAliveMs ?? 12_000;
  // No permessage-deflate: events are small, and without it ws never queues a frame of its
  // own, so the fan-out's frames written straight to the TCP socket keep their order (textFrames).
  const wss = new WebSocketServer({ noServer: true, handleProtocols, maxPayload: 1024 * 1024, perMessageDeflate: false });

  const placeholder = `\u0000${randomBytes(12).toString('hex')}`;
  const placeholderJson = JSON.stringify(placeholder);
  let pendingShared: string | undefined;
  let slowConsumersClosed = 0;
  const heartbeat = new Heartbeat(keepAliveMs);
  const graphqlWs = makeServer<P, SocketExtra & E>({
    ...options.server,
    jsonMessageReplacer(key, value) {
      if (key === 'payload' && isShared(value)) {
        pendingShared = value[SHARED_JSON]();
        return placeholder;
      }
      return value;
    },
  });

  let closing = false;
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (closing) return refuse(socket, 503, 'Service Unavailable');
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== path) return refuse(socket, 404, 'Not Found');
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedOrigins.includes(origin) && !sameOrigin(origin, request.headers.host)) {
      log.warn({ origin }, 'websocket upgrade refused: origin not allowed');
      return refuse(socket, 403, 'Forbidden');
    }
    // The upgrade request is not kept: nothing after the upgrade reads it, and with thousands of
    // sockets its headers are memory to carry and to scan at every garbage collection.
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws));
  };
  httpServer.on('upgrade', onUpgrade);

  wss.on('connection', (socket: WebSocket) => {
    const budget: SocketBudget = {
      queued: 0,
      limit: queueLimit,
      closed: false,
      overflow() {
        if (budget.closed) return;
        budget.closed = true;
        slowConsumersClosed++;
        log.warn({ limit: queueLimit }, 'websocket closed: client too slow');
        socket.close(CLOSE_SLOW_CONSUMER, 'Slow consumer: resubscribe with since set to the last cursor you received');
        // A client that does not read cannot answer the close either: cut it off after a grace.
        setTimeout(() => socket.terminate(), 10_000).unref();
      },
      write(head, tails) {
        if (budget.closed || socket.readyState !== socket.OPEN) return true;
        let bytes = 0;
        for (const tail of tails) bytes += head.length + tail.length;
        // What ws and the TCP socket hold unsent (the kernel's buffers are full by then).
        if (socket.bufferedAmount * tails.length > queueLimit * bytes) return false;
        const raw = tcp(socket);
        if (raw) raw.write(textFrames(head, tails));
        else for (const tail of tails) socket.send(Buffer.concat([head, tail]), { binary: false });
        return true;
      },
    };
    socket.once('error', (err) => {
      log.warn({ err }, 'websocket error');
      socket.terminate();
    });
    const leaveHeartbeat = heartbeat.add(socket);

    const closed = graphqlWs.opened(
      {
        protocol: socket.protocol,
        send(data) {
          if (pendingShared !== undefined) {
            const at = data.lastIndexOf(placeholderJson);
            if (at >= 0) data = data.slice(0, at) + pendingShared + data.slice(at + placeholderJson.length);
            pendingShared = undefined;
          }
          return new Promise<void>((resolve) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            // A failed send means the socket is going; its close ends the subscriptions.
            socket.send(data, () => resolve());
          });
        },
        close(code, reason) {
          budget.closed = true;
          socket.close(code, reason);
        },
        onMessage(cb) {
          socket.on('message', async (data) => {
            try {
              await cb(String(data));
            } catch (err) {
              log.error({ err }, 'websocket message handling failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          });
        },
      },
      { socket, budget } as SocketExtra & E,
    );
    socket.once('close', (code, reason) => {
      budget.closed = true;
      leaveHeartbeat();
      void closed(code, String(reason));
    });
  });

  return {
    get sockets() {
      return wss.clients.size;
    },
    get slowConsumersClosed() {
      return slowConsumersClosed;
    },
    async dispose(graceMs = SOCKET_CLOSE_GRACE_MS) {
      closing = true;
      heartbeat.stop();
      for (const client of wss.clients) client.close(1001, 'Going away');
      const closed = new Promise<void>((resolve) => wss.close(() => resolve()));
      // A client that stopped reading never answers the close, and ws would wait 30 s for it:
      // past the grace it is cut off, so one such client cannot hold the whole shutdown.
      const cut = setTimeout(() => {
        if (wss.clients.size) log.warn({ sockets: wss.clients.size }, 'websocket: sockets cut off at shutdown: their clients did not answer the close');
        for (const client of wss.clients) client.terminate();
      }, graceMs);
      await closed;
      clearTimeout(cut);
      httpServer.off('upgrade', onUpgrade);
    },
  };
}

/** Keep-alive rounds per period: each socket is pinged in one of them, so pings are spread out. */
const HEARTBEAT_SLOTS = 20;

/**
 * Keep-alive for every socket on one timer. A socket takes a slot when it opens; each tick
 * (a twentieth of the period) pings the sockets of one slot and cuts those that did not
 * answer the slot's previous ping, so a dead peer is cut one to two periods after it went
 * quiet. Ten thousand sockets with timers of their own meant three timers each in memory, and
 * the pings of all sockets that opened together fired together.
 */
class Heartbeat {
  private readonly slots: Set<{ socket: WebSocket; answered: boolean }>[] = Array.from({ length: HEARTBEAT_SLOTS }, () => new Set());
  private joined = 0;
  private ticks = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(periodMs: number) {
    this.timer = setInterval(() => this.tick(), periodMs / HEARTBEAT_SLOTS);
    this.timer.unref();
  }

  /** @returns what to call when the socket has closed. */
  add(socket: WebSocket): () => void {
    const beat = { socket, answered: true };
    const slot = this.slots[this.joined++ % HEARTBEAT_SLOTS];
    slot.add(beat);
    socket.on('pong', () => (beat.answered = true));
    return () => slot.delete(beat);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    for (const beat of this.slots[this.ticks++ % HEARTBEAT_SLOTS]) {
      const { socket } = beat;
      if (socket.readyState !== socket.OPEN) continue;
      if (!beat.answered) {
        socket.terminate();
        continue;
      }
      beat.answered = false;
      socket.ping();
    }
  }
}

/**
 * Unmasked, final text frames (RFC 6455 §5.2), one per tail, each holding `head` then that
 * tail, in one buffer so that they leave in one plain write. This is what ws's `send` writes
 * for each text message, less the work ws does per call: with thousands of sockets an event,
 * that work is most of the hub's own share of a delivery (the rest is the kernel's).
 */
export function textFrames(head: Buffer, tails: readonly Buffer[]): Buffer {
  let size = 0;
  for (const tail of tails) size += frameHeaderSize(head.length + tail.length) + head.length + tail.length;
  const frames = Buffer.allocUnsafe(size);
  let at = 0;
  for (const tail of tails) {
    const length = head.length + tail.length;
    frames[at] = 0x81;
    if (length < 126) {
      frames[at + 1] = length;
      at += 2;
    } else if (length < 65536) {
      frames[at + 1] = 126;
      frames.writeUInt16BE(length, at + 2);
      at += 4;
    } else {
      frames[at + 1] = 127;
      frames.writeBigUInt64BE(BigInt(length), at + 2);
      at += 10;
    }
    at += head.copy(frames, at);
    at += tail.copy(frames, at);
  }
  return frames;
}

function frameHeaderSize(length: number): number {
  return length < 126 ? 2 : length < 65536 ? 4 : 10;
}

function tcp(socket: WebSocket): Duplex | undefined {
  return (socket as unknown as { _socket?: Duplex })._socket;
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
