import type { EntityManager } from '@mikro-orm/postgresql';
import type { FieldClass } from '../common/enums';
import type { Viewer } from '../identity/viewer';
import { ALL_FIELD_CLASSES } from './field-class';
import { preparedQuery, type PreparedQuery } from '../db/sql';

/**
 * How an alert left its agency. `match`: a probe (matchIdentifiers) found one of its
 * identifiers; nothing of the alert was shown, so such a read discloses no class.
 */
export type AccessRoute = 'query' | 'subscription' | 'export' | 'federation' | 'match';

/** One read of one alert: the classes of the fields it showed. */
interface Read {
  alertId: string;
  route: AccessRoute;
  classes: Set<FieldClass>;
}

/**
 * Collects, during one operation (or one subscription event), every alert of another agency
 * that the operation showed the viewer, with the classes of the fields it showed; `flush`
 * writes them in one statement. An alert projected but not shown (a count, a page's cursors)
 * is not logged, and neither is a withheld field (it shows nothing). Reads of the viewer's own
 * agency's alerts are not logged.
 */
export class AccessLogCollector {
  /** The reads collected since the last flush, in the order they were first shown. */
  private reads: Read[] = [];
  /** The reads of the current delivery, by route and alert (see beginRead). */
  private current = new Map<string, Read>();
  /** Counts deliveries (beginRead) and flushes: a reader's cached read belongs to one of them. */
  private delivery = 0;

  constructor(
    private readonly viewer: Viewer,
    /** The route reads are logged under unless one is named; a router's `_entities` request switches it to `federation`. */
    public route: AccessRoute,
  ) {}

  /**
   * What the projection of a partner's alert calls with each field class it shows (see
   * field-class.ts); undefined for an alert of the viewer's own agency.
   * @param route this collector's route unless named (a federation entity read inside a query).
   */
  reader(alertId: string, originAgencyCode: string, route?: AccessRoute): ((cls: FieldClass) => void) | undefined {
    if (originAgencyCode === this.viewer.agencyCode) return undefined;
    const via = route ?? this.route;
    // Called for every field shown: the read is found once per delivery, then only added to.
    let read: Read | undefined;
    let delivery = -1;
    return (cls) => {
      if (delivery !== this.delivery || read === undefined) {
        read = this.readOf(alertId, via);
        delivery = this.delivery;
      }
      read.classes.add(cls);
    };
  }

  /**
   * Starts another delivery: a subscription batch that shows one alert in several events is
   * a read per event, as when each event went out on its own. Within one delivery (a query)
   * an alert shown in several places is one read.
   */
  beginRead(): void {
    this.current.clear();
    this.delivery++;
  }

  /**
   * Records that a probe of the viewer's matched an identifier of a partner's alert: a read
   * by the route `match` that discloses no class (the prober learns that the holder has a
   * match, not what). Nothing for the viewer's own agency's alerts.
   */
  matched(alertId: string, originAgencyCode: string): void {
    if (originAgencyCode === this.viewer.agencyCode) return;
    this.readOf(alertId, 'match');
  }

  /** The same collector, recording under another route. */
  as(route: AccessRoute): Pick<AccessLogCollector, 'reader'> {
    return { reader: (alertId, origin) => this.reader(alertId, origin, route) };
  }

  /** The read of `alertId` by `route` in the current delivery, made on first use. */
  private readOf(alertId: string, route: AccessRoute): Read {
    const key = `${route} ${alertId}`;
    let read = this.current.get(key);
    if (!read) {
      read = { alertId, route, classes: new Set() };
      this.current.set(key, read);
      this.reads.push(read);
    }
    return read;
  }

  /**
   * Writes what was collected since the last flush; nothing when nothing was read. `subjects`
   * are the officers the reads were shown to: a subscription event rendered once for many
   * subscribers is one row per read naming all of them (see AccessLogRow). Outside a
   * transaction the rows join those of concurrent operations in one insert (AccessLogBatcher);
   * resolves once they are committed, rejects when they are not.
   */
  async flush(em: EntityManager, subjects: readonly string[] = [this.viewer.subject]): Promise<void> {
    const shownTo = [...new Set(subjects)];
    if (this.reads.length === 0 || shownTo.length === 0) return;
    const rows: AccessLogRow[] = this.reads.map(({ alertId, route, classes }) => ({
      alert_id: alertId,
      agency_code: this.viewer.agencyCode,
      subjects: shownTo,
      disclosed: ALL_FIELD_CLASSES.filter((c) => classes.has(c)),
      via: route,
    }));
    this.reads = [];
    this.current.clear();
    this.delivery++;
    // Inside a transaction the rows belong to it (and commit or roll back with it).
    if (em.getTransactionContext()) return insertRows(preparedQuery(em), rows);
    return batcherOf(em).write(rows);
  }
}

/** One row of alert_access_log as the insert takes it (`at` is the commit's statement time). */
export interface AccessLogRow {
  alert_id: string;
  agency_code: string;
  subjects: readonly string[];
  disclosed: readonly FieldClass[];
  via: AccessRoute;
}

/** Most rows one batched insert carries; more wait for the next. */
export const MAX_BATCH_ROWS = 1000;

/**
 * One statement of constant text for any number of rows (one JSON parameter), so it is
 * prepared once per connection. Run alone, it is its own transaction: when it returns, its
 * rows are committed.
 */
function insertRows(query: PreparedQuery, rows: readonly AccessLogRow[]): Promise<void> {
  return query(
    `insert into alert_access_log (alert_id, at, agency_code, subjects, disclosed, via)
     select r.alert_id, now(), r.agency_code, r.subjects, r.disclosed, r.via
       from json_to_recordset(?::json) as r(alert_id uuid, agency_code text, subjects text[], disclosed text[], via text)`,
    [JSON.stringify(rows)],
  ).then(() => undefined);
}

interface Waiting {
  rows: readonly AccessLogRow[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for the access log: operations that finish while an insert is under way queue
 * their rows, and the next insert carries them all (up to MAX_BATCH_ROWS), one statement and
 * one commit for many answers. Every operation waits for the commit of the insert that holds
 * its rows, so no answer leaves before its reads are logged; when an insert fails, every
 * operation whose rows it held fails with it (their answers are withheld). One insert at a
 * time per pool: a queue forms only while one is under way, so a lone request waits for
 * nothing but its own insert.
 */
export class AccessLogBatcher {
  private queue: Waiting[] = [];
  private busy = false;

  constructor(private readonly query: PreparedQuery, private readonly maxRows = MAX_BATCH_ROWS) {}

  /** Resolves when `rows` are committed; rejects with the insert's error when they are not. */
  write(rows: readonly AccessLogRow[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.busy || this.queue.length === 0) return;
    const batch: Waiting[] = [];
    let count = 0;
    // At least one operation per insert, however many rows it brings.
    while (this.queue.length && (batch.length === 0 || count + this.queue[0].rows.length <= this.maxRows)) {
      const w = this.queue.shift()!;
      batch.push(w);
      count += w.rows.length;
    }
    this.busy = true;
    insertRows(this.query, batch.length === 1 ? batch[0].rows : batch.flatMap((w) => w.rows)).then(
      () => this.done(batch, (w) => w.resolve()),
      (e) => this.done(batch, (w) => w.reject(e)),
    );
  }

  private done(batch: readonly Waiting[], settle: (w: Waiting) => void): void {
    this.busy = false;
    batch.forEach(settle);
    this.next();
  }
}

/** One batcher per pool (per ORM connection), made when first needed. */
const batchers = new WeakMap<object, AccessLogBatcher>();

function batcherOf(em: EntityManager): AccessLogBatcher {
  const connection = em.getConnection();
  let batcher = batchers.get(connection);
  if (!batcher) {
    // The pool's own connections, never a transaction's: the batch is a statement of its own.
    batcher = new AccessLogBatcher(preparedQuery({ getConnection: () => connection, getTransactionContext: () => undefined }));
    batchers.set(connection, batcher);
  }
  return batcher;
}
