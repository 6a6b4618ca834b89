/**
 * The smallest WebSocket client the fan-out benchmark needs (RFC 6455, client side, text
 * messages, no extensions), written for the benchmark's subscribers instead of `ws`.
 *
 * Why: the subscribers run on the hub's own two cores, so every microsecond a client spends
 * per message is taken from the hub and delays the next subscriber. `ws` passes each read
 * through a Writable stream and an event per frame; here a read is cut into frames in place,
 * and the arrival time is taken once per read, before anything else.
 *
 * It checks what a client must (the 101 answer, Sec-WebSocket-Accept, the sub-protocol,
 * unmasked server frames, known opcodes), answers pings, follows the closing handshake, and
 * joins fragmented messages, though the hub does not fragment.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Larger server frames are refused: the hub's own limit is 1 MiB per message. */
const MAX_MESSAGE = 4 * 1024 * 1024;

export interface LeanHandlers {
  /** A whole text message, and when the read that completed it arrived (Date.now()). */
  message(data: Buffer, arrivedAt: number): void;
  /** The socket closed: the server's close code, or 1006 when it ended without one. */
  close(code: number, reason: string): void;
}

export interface LeanWebSocket {
  send(text: string): void;
  close(code: number, reason: string): void;
  /** Ends the TCP connection without a closing handshake. */
  terminate(): void;
  readonly open: boolean;
}

/** Opens a WebSocket to `url` (ws://) speaking `protocol`; resolves once the upgrade is checked. */
export function connectLean(url: string, protocol: string, handlers: LeanHandlers, timeoutMs: number): Promise<LeanWebSocket> {
  const target = new URL(url);
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = request({
      host: target.hostname,
      port: target.port,
      path: target.pathname + target.search,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': key,
        'Sec-WebSocket-Protocol': protocol,
      },
      timeout: timeoutMs,
    });
    req.once('timeout', () => req.destroy(new Error(`no upgrade in ${timeoutMs} ms`)));
    req.once('error', reject);
    req.once('response', (res) => {
      res.resume();
      reject(new Error(`upgrade refused: ${res.statusCode}`));
    });
    req.once('upgrade', (res, socket: Socket, head: Buffer) => {
      const accept = createHash('sha1').update(key + ACCEPT_GUID).digest('base64');
      if (res.headers['sec-websocket-accept'] !== accept || res.headers['sec-websocket-protocol'] !== protocol) {
        socket.destroy();
        return reject(new Error('bad upgrade answer (accept key or protocol)'));
      }
      socket.setTimeout(0);
      socket.setNoDelay(true);
      resolve(wrap(socket, head, handlers));
    });
    req.end();
  });
}

function wrap(socket: Socket, head: Buffer, handlers: LeanHandlers): LeanWebSocket {
  let open = true;
  let closeSent = false;
  let closed = false;
  let rest: Buffer | undefined;
  let fragments: Buffer[] | undefined;

  const finish = (code: number, reason: string) => {
    if (closed) return;
    closed = true;
    open = false;
    handlers.close(code, reason);
  };
  const fail = (why: string) => {
    socket.destroy();
    finish(1002, why);
  };
  const writeFrame = (opcode: number, payload: Buffer) => {
    if (closeSent || socket.destroyed) return;
    if (opcode === 0x8) closeSent = true;
    socket.write(frame(opcode, payload));
  };

  const onData = (chunk: Buffer) => {
    const arrivedAt = Date.now();
    let data = rest ? Buffer.concat([rest, chunk]) : chunk;
    rest = undefined;
    let at = 0;
    while (data.length - at >= 2) {
      const b0 = data[at];
      const b1 = data[at + 1];
      if (b1 & 0x80) return fail('a masked frame from the server');
      if (b0 & 0x70) return fail('reserved bits set without an extension');
      let length = b1 & 0x7f;
      let start = at + 2;
      if (length === 126) {
        if (data.length - at < 4) break;
        length = data.readUInt16BE(at + 2);
        start = at + 4;
      } else if (length === 127) {
        if (data.length - at < 10) break;
        const long = data.readBigUInt64BE(at + 2);
        if (long > BigInt(MAX_MESSAGE)) return fail('a frame over the size limit');
        length = Number(long);
        start = at + 10;
      }
      if (data.length < start + length) break;
      const payload = data.subarray(start, start + length);
      at = start + length;
      const fin = (b0 & 0x80) !== 0;
      switch (b0 & 0x0f) {
        case 0x1:
          if (fragments) return fail('a new message inside a fragmented one');
          if (fin) handlers.message(payload, arrivedAt);
          else fragments = [Buffer.from(payload)];
          break;
        case 0x0:
          if (!fragments) return fail('a continuation with nothing to continue');
          fragments.push(Buffer.from(payload));
          if (fin) {
            const whole = Buffer.concat(fragments);
            fragments = undefined;
            handlers.message(whole, arrivedAt);
          }
          break;
        case 0x9:
          writeFrame(0xa, payload);
          break;
        case 0xa:
          break;
        case 0x8: {
          const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
          const reason = payload.length > 2 ? payload.subarray(2).toString() : '';
          writeFrame(0x8, payload.subarray(0, 2));
          socket.end();
          return finish(code, reason);
        }
        default:
          return fail(`unknown opcode ${b0 & 0x0f}`);
      }
    }
    if (at < data.length) rest = Buffer.from(data.subarray(at));
  };

  socket.on('data', onData);
  socket.on('error', () => undefined);
  socket.on('close', () => finish(1006, ''));
  if (head.length) onData(head);

  return {
    send: (text) => writeFrame(0x1, Buffer.from(text)),
    close(code, reason) {
      const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
      payload.writeUInt16BE(code, 0);
      payload.write(reason, 2);
      writeFrame(0x8, payload);
      socket.end();
    },
    terminate: () => socket.destroy(),
    get open() {
      return open;
    },
  };
}

/** A masked client frame (RFC 6455 §5.3), for the small messages a subscriber sends. */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const size = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(size + 4 + length);
  out[0] = 0x80 | opcode;
  if (size === 2) out[1] = 0x80 | length;
  else if (size === 4) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  mask.copy(out, size);
  for (let i = 0; i < length; i++) out[size + 4 + i] = payload[i] ^ mask[i & 3];
  return out;
}
