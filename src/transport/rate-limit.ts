/**
 * A token bucket per key (here: an agency's subject). Each request takes one token (a request
 * resolving many entity references takes more, see federation/subgraph.ts); tokens
 * come back at `perMinute / 60` a second up to `burst`. Kept in memory, per hub process: with
 * several processes behind a balancer each enforces its own share.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  private takes = 0;

  /**
   * @param perMinute sustained requests a minute per key.
   * @param burst requests a key may make at once after a quiet spell.
   */
  constructor(
    readonly perMinute: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /**
   * Takes `n` tokens (default 1) for `key`: 0 when allowed, else the whole seconds to wait.
   * `n` above the burst is capped at it, so a heavy request waits rather than never passes.
   */
  take(key: string, n = 1): number {
    n = Math.min(n, this.burst);
    const now = this.now();
    if (++this.takes % 10_000 === 0) this.prune(now);
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * this.perMs);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= n) {
      b.tokens -= n;
      return 0;
    }
    return Math.max(1, Math.ceil((n - b.tokens) / this.perMs / 1000));
  }

  /** Forgets keys whose buckets have refilled: they would start full anyway. */
  private prune(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.burst) this.buckets.delete(key);
    }
  }
}
