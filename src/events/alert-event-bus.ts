import { EventEmitter, on } from 'node:events';
import type { AlertEventKind } from '../common/enums';

/** What happened to which alert; subscribers load the alert themselves, as they may see it. */
export interface AlertChange {
  alertId: string;
  kind: AlertEventKind;
  occurredAt: Date;
}

/**
 * In-process fan-out of alert changes, published after their transaction commits.
 *
 * This is the first slice of live events: it reaches the subscribers of this process only,
 * keeps no log and cannot resume. The transactional outbox with LISTEN/NOTIFY (the
 * subscriptions issue) replaces what sits behind `publish` and `listen`.
 */
export class AlertEventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open subscription: many are expected.
    this.emitter.setMaxListeners(0);
  }

  publish(change: AlertChange): void {
    this.emitter.emit('change', change);
  }

  /** Changes from now on, until `signal` aborts or the iterator is returned. */
  async *listen(signal?: AbortSignal): AsyncGenerator<AlertChange> {
    try {
      for await (const [change] of on(this.emitter, 'change', { signal })) yield change as AlertChange;
    } catch (e) {
      if ((e as Error).name !== 'AbortError') throw e;
    }
  }
}
