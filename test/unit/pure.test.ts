import 'reflect-metadata';
import { RateLimiter } from '../../src/transport/rate-limit';
import { countRepresentations, extraRateTokens } from '../../src/federation/subgraph';
import { Client } from 'pg';
import { currentHead, isAfter } from '../../src/events/event-log';
import { EventCursors } from '../../src/events/event-cursor';
import { createTestDatabase } from '../support/database';
import { operationLabel } from '../../src/transport/metrics';
import { getOperationAST, parse } from 'graphql';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/common/logger';
import * as ws from 'ws';
import { textFrames } from '../../src/transport/graphql-ws';

describe('the rate limiter (token bucket per subject)', () => {
  test('a burst passes, the next waits the time one token takes to come back, other keys are apart', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(60, 3, () => now);
    expect([limiter.take('hk:a'), limiter.take('hk:a'), limiter.take('hk:a')]).toEqual([0, 0, 0]);
    expect(limiter.take('hk:a')).toBe(1);
    expect(limiter.take('mo:b')).toBe(0);
    now += 1000;
    expect(limiter.take('hk:a')).toBe(0);
    expect(limiter.take('hk:a')).toBe(1);
    now += 10_000;
    // Refills up to the burst, not beyond.
    expect([limiter.take('hk:a'), limiter.take('hk:a'), limiter.take('hk:a'), limiter.take('hk:a')]).toEqual([0, 0, 0, 1]);
  });
});

describe('entity references per request', () => {
  test('are counted over every _entities field, inline and from variables, through fragments; they take a token per 10', () => {
    const doc = parse(`query Q($r: [_Any!]!) { a: _entities(representations: $r) { __typename } ...F }
      fragment F on Query { b: _entities(representations: [{ __typename: "Agency", code: "HK" }, { __typename: "Agency", code: "MO" }]) { __typename } }`);
    expect(countRepresentations(doc, 'Q', { r: new Array(7).fill({}) })).toBe(9);
    expect(countRepresentations(parse('{ viewer { subject } }'), undefined, {})).toBe(0);
    expect([1, 10, 11, 100].map(extraRateTokens)).toEqual([0, 0, 1, 9]);
  });

  test('a request may take several rate tokens at once, and waits for all of them', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(60, 10, () => now);
    expect(limiter.take('hk:a', 6)).toBe(0);
    expect(limiter.take('hk:a', 6)).toBe(2);
    now += 2000;
    expect(limiter.take('hk:a', 6)).toBe(0);
    // More than the burst waits for a full bucket rather than never passing.
    now += 60_000;
    expect(limiter.take('hk:a', 50)).toBe(0);
  });
});

describe('event positions and cursors', () => {
  test('order is by transaction id, then row id', () => {
    expect(isAfter({ tx: 10n, id: 1n }, { tx: 9n, id: 500n })).toBe(true);
    expect(isAfter({ tx: 10n, id: 2n }, { tx: 10n, id: 1n })).toBe(true);
    expect(isAfter({ tx: 10n, id: 1n }, { tx: 10n, id: 1n })).toBe(false);
  });

  test('a cursor round-trips, and anything else is BAD_USER_INPUT on since', () => {
    const cursors = new EventCursors(Buffer.alloc(64, 7));
    const badInput = expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'since' }) });
    for (const p of [{ tx: 2n ** 40n, id: 123456789n }, { tx: 0n, id: 0n }, { tx: 2n ** 63n - 1n, id: 2n ** 63n - 1n }]) {
      const cursor = cursors.encode(p);
      expect(cursor).toMatch(/^e1\.[A-Za-z0-9_-]{38}$/);
      expect(cursors.decode(cursor)).toEqual(p);
    }
    const good = cursors.encode({ tx: 1000n, id: 42n });
    const raw = Buffer.from(good.slice(3), 'base64url');
    const flipped = [...Array(raw.length * 8).keys()].map((bit) => {
      const b = Buffer.from(raw);
      b[bit >> 3] ^= 1 << (bit & 7);
      return 'e1.' + b.toString('base64url');
    });
    const lastChar = good.at(-1)!;
    const others = [
      '', 'x', 'e1.', good.slice(0, -1), good + 'A', 'e2' + good.slice(2), good.slice(3),
      // The same bytes spelled with the spare low bits of the last character set.
      good.slice(0, -1) + (lastChar === 'A' ? 'B' : 'A'),
      Buffer.from('["event","1000","42"]').toString('base64url'), Buffer.from('["alerts","1","2"]').toString('base64url'), 'a'.repeat(600),
      // Another database's secret.
      new EventCursors(Buffer.alloc(64, 8)).encode({ tx: 1000n, id: 42n }),
    ];
    for (const bad of [...flipped, ...others]) {
      if (bad === good) continue;
      expect(() => cursors.decode(bad)).toThrow(badInput);
    }
    expect(() => cursors.encode({ tx: 2n ** 63n, id: 1n })).toThrow(RangeError);
  });

  test('the cursors of consecutive positions share no prefix, order or counter', () => {
    const cursors = new EventCursors(Buffer.alloc(64, 9));
    const sealed = Array.from({ length: 200 }, (_, i) => cursors.encode({ tx: 5000n, id: 100n + BigInt(i) }));
    expect(new Set(sealed).size).toBe(200);
    const ascending = sealed.slice(1).filter((c, i) => c > sealed[i]).length;
    // A random order goes up about half the time; a counter would go up every time.
    expect(ascending).toBeGreaterThan(60);
    expect(ascending).toBeLessThan(140);
    // No byte of the body stays the same across all of them.
    const bodies = sealed.map((c) => Buffer.from(c.slice(3), 'base64url'));
    for (let i = 0; i < bodies[0].length; i++) expect(new Set(bodies.map((b) => b[i])).size).toBeGreaterThan(20);
  });
});

describe('metric labels', () => {
  test('an operation is labelled by its type and root field names, never by client-chosen names or aliases', () => {
    const doc = parse('query ClientNamedThis { a: alerts(first: 1) { totalCount } ...F } fragment F on Query { viewer { subject } }');
    expect(operationLabel(doc, getOperationAST(doc))).toBe('query:alerts,viewer');
  });
});

describe('the log end, on a real database', () => {
  test('is found in the numeric order of transaction ids, not as text (9 before 10)', async () => {
    const db = await createTestDatabase();
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    try {
      const alert = '01234567-89ab-7def-8123-456789abcdef';
      await sql.query(`insert into hub_event (tx, stream, kind, alert_id) values ('9'::xid8, 'alert', 'UPDATED', $1), ('10'::xid8, 'alert', 'UPDATED', $1)`, [alert]);
      const head = await currentHead(async (q: string, params: unknown[]) => {
        let n = 0;
        return (await sql.query(q.replace(/\?/g, () => `$${++n}`), params)).rows;
      });
      expect(head.tx).toBe(10n);
    } finally {
      await sql.end();
      await db.drop();
    }
  });
});

describe('the logger', () => {
  function logged(write: (log: ReturnType<typeof createLogger>) => void): Record<string, unknown> {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const log = createLogger('info', sink);
    write(log);
    log.flush?.();
    return JSON.parse(lines[0]);
  }

  test('an err that is a message stays one string, its quoted values blanked', () => {
    const line = logged((log) => log.warn({ err: "duplicate key value (name)=('Lee Ka Ming') violates" }, 'x'));
    expect(line.err).toBe("duplicate key value (name)=('…') violates");
  });

  test('an Error keeps type and message, loses the SQL and its quoted values', () => {
    const e = Object.assign(new Error("invalid input: 'CN-secret'"), { sql: 'select 1', code: '22P02' });
    const line = logged((log) => log.warn({ err: e }, 'x'));
    expect(line.err).toEqual(expect.objectContaining({ type: 'Error', message: "invalid input: '…'", code: '22P02' }));
    expect(line.err).not.toHaveProperty('sql');
  });
});

/** ws's frame parser (exported by ws, not in its type definitions). */
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean; maxPayload: number }) => Writable };

describe('text frames the fan-out writes itself', () => {
  /** Feeds `bytes` to ws's parser in pieces of the given sizes and collects the messages it reads. */
  async function readBack(bytes: Buffer, count: number, pieces: number[]): Promise<{ data: Buffer; isBinary: boolean }[]> {
    const receiver = new Receiver({ isServer: false, maxPayload: 0 });
    const messages: { data: Buffer; isBinary: boolean }[] = [];
    const done = new Promise<void>((resolve, reject) => {
      receiver.on('message', (data: Buffer, isBinary: boolean) => {
        messages.push({ data: Buffer.from(data), isBinary });
        if (messages.length === count) resolve();
      });
      receiver.on('error', reject);
    });
    let at = 0;
    for (const n of pieces) {
      receiver.write(bytes.subarray(at, at + n));
      at += n;
    }
    receiver.write(bytes.subarray(at));
    await done;
    return messages;
  }

  test.each([0, 1, 125, 126, 65535, 65536, 200_000])('a %i-byte message reads back through ws as one text message', async (size) => {
    const head = Buffer.from('{"id":"é1","type":"next","payload":');
    const tail = Buffer.from('x'.repeat(Math.max(0, size - head.length)) + '}');
    const frame = textFrames(head, [tail]);
    // Split across two reads, as TCP may deliver it.
    const [{ data, isBinary }] = await readBack(frame, 1, [3]);
    expect(isBinary).toBe(false);
    expect(Buffer.compare(data, Buffer.concat([head, tail]))).toBe(0);
    expect(frame.length - data.length).toBe(data.length < 126 ? 2 : data.length < 65536 ? 4 : 10);
  });

  test('messages of every length class in one buffer read back as as many text messages, in order', async () => {
    const head = Buffer.from('{"id":"sub-7","type":"next","payload":');
    const tails = [1, 200, 70_000, 90, 65_000].map((n, i) => Buffer.from(`"${String(i).repeat(n)}"}`));
    const frames = textFrames(head, tails);
    const messages = await readBack(frames, tails.length, [1, 150, 4000, 65_536]);
    expect(messages.map((m) => m.isBinary)).toEqual(tails.map(() => false));
    expect(messages.map((m) => m.data.toString())).toEqual(tails.map((t) => head.toString() + t.toString()));
    expect(textFrames(head, []).length).toBe(0);
  });
});
