import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual, type KeyObject, createSecretKey } from 'node:crypto';
import { BadUserInputError } from '../common/errors';
import type { Position, Query } from './event-log';

/**
 * Event cursors (`AlertEvent.cursor`, `OperationEvent.cursor`, taken back as `since`) are
 * sealed positions. A position is a transaction id and a row id from hub-wide sequences: in
 * the clear, two cursors tell their holder how many events (of every agency, hidden ones too)
 * and transactions happened between them. Sealed, a cursor is
 *
 *   `e1.` + base64url( AES-256(tx ‖ id) ‖ HMAC-SHA256(`e1.` ‖ ciphertext)[0..12] )
 *
 * The position is exactly one 16-byte block, so AES on it alone (ECB of one block, no
 * padding) is a pseudo-random permutation: cursors of consecutive events look unrelated, in
 * no order, with no counter to read, and the same position always gives the same cursor. The tag, with a key of its own, makes a forged or altered cursor a refusal rather
 * than a random position. The keys come from one secret in the database (`hub_secret`), so
 * every hub process on it, before and after a restart, reads the cursors of every other.
 */

/** The secret's row in hub_secret. */
const SECRET_NAME = 'event-cursor';
const SECRET_BYTES = 64;
const VERSION = 'e1.';
const BLOCK = 16;
const TAG = 12;
/** Length of every cursor this version makes: base64url of 28 bytes is 38 characters. */
const CURSOR_LENGTH = VERSION.length + Math.ceil(((BLOCK + TAG) * 8) / 6);
const MAX_POSITION = 2n ** 63n;

/** Seals positions into cursors and opens them again; one per hub, made by loadEventCursors. */
export class EventCursors {
  private readonly cipherKey: KeyObject;
  private readonly macKey: KeyObject;

  /** @param secret the shared secret (hub_secret `event-cursor`); at least 32 bytes. */
  constructor(secret: Buffer) {
    if (secret.length < 32) throw new Error('the event cursor secret is shorter than 32 bytes');
    const derive = (info: string) => createSecretKey(Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32)));
    this.cipherKey = derive('gba-hub event cursor v1 aes-256');
    this.macKey = derive('gba-hub event cursor v1 hmac-sha256');
  }

  /** The cursor of a position (within xid8 and bigint, as every logged event is). */
  encode(p: Position): string {
    if (p.tx < 0n || p.id < 0n || p.tx >= MAX_POSITION || p.id >= MAX_POSITION) throw new RangeError('not a position of the event log');
    const block = Buffer.alloc(BLOCK);
    block.writeBigUInt64BE(p.tx, 0);
    block.writeBigUInt64BE(p.id, 8);
    const cipher = createCipheriv('aes-256-ecb', this.cipherKey, null).setAutoPadding(false);
    const sealed = Buffer.concat([cipher.update(block), cipher.final()]);
    return VERSION + Buffer.concat([sealed, this.tag(sealed)]).toString('base64url');
  }

  /**
   * The position of a cursor this hub's database made.
   * @throws BadUserInputError on `argName` for anything else: altered, cut, forged, of another
   *   database, or in the format of hubs before sealed cursors (the client reloads and
   *   subscribes without since).
   */
  decode(cursor: string, argName = 'since'): Position {
    const bad = () => new BadUserInputError(`${argName} is not a valid cursor`, argName);
    if (typeof cursor !== 'string' || cursor.length !== CURSOR_LENGTH || !cursor.startsWith(VERSION)) throw bad();
    const body = cursor.slice(VERSION.length);
    if (!/^[A-Za-z0-9_-]+$/.test(body)) throw bad();
    const raw = Buffer.from(body, 'base64url');
    // Node ignores the spare low bits of the last character: only the one spelling is accepted.
    if (raw.length !== BLOCK + TAG || raw.toString('base64url') !== body) throw bad();
    const sealed = raw.subarray(0, BLOCK);
    if (!timingSafeEqual(raw.subarray(BLOCK), this.tag(sealed))) throw bad();
    const decipher = createDecipheriv('aes-256-ecb', this.cipherKey, null).setAutoPadding(false);
    const block = Buffer.concat([decipher.update(sealed), decipher.final()]);
    const p = { tx: block.readBigUInt64BE(0), id: block.readBigUInt64BE(8) };
    if (p.tx >= MAX_POSITION || p.id >= MAX_POSITION) throw bad();
    return p;
  }

  private tag(sealed: Buffer): Buffer {
    return createHmac('sha256', this.macKey).update(VERSION).update(sealed).digest().subarray(0, TAG);
  }
}

/**
 * The cursor codec of the hub's database: reads the shared secret, writing a random one first
 * when there is none. Hubs starting together each offer one; the first insert wins and every
 * hub reads back the same.
 * @throws whatever the database throws (the hub does not start without it).
 */
export async function loadEventCursors(query: Query): Promise<EventCursors> {
  await query(`insert into hub_secret (name, value) values (?, ?) on conflict (name) do nothing`, [SECRET_NAME, randomBytes(SECRET_BYTES)]);
  const [row] = await query(`select value from hub_secret where name = ?`, [SECRET_NAME]);
  const value = row?.value;
  if (!Buffer.isBuffer(value)) throw new Error('hub_secret has no event-cursor secret');
  return new EventCursors(value);
}
