// A fixed-window counter per key, in memory: enough to stop password guessing against one process.
// (Behind several processes each keeps its own window; the limit per process still holds.)
export class RateLimiter {
  private readonly hits = new Map<string, { count: number; resetAt: number }>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Seconds to wait before `key` may try again (0 = go ahead). */
  blockedFor(key: string): number {
    const t = this.now();
    const entry = this.hits.get(key);
    if (!entry || entry.resetAt <= t || entry.count < this.limit) return 0;
    return Math.ceil((entry.resetAt - t) / 1000);
  }

  /** Count one failure against `key`. */
  hit(key: string): void {
    const t = this.now();
    let entry = this.hits.get(key);
    if (!entry || entry.resetAt <= t) {
      entry = { count: 0, resetAt: t + this.windowMs };
      this.hits.set(key, entry);
      if (this.hits.size > 10_000) this.sweep(t);
    }
    entry.count++;
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private sweep(t: number): void {
    for (const [k, v] of this.hits) if (v.resetAt <= t) this.hits.delete(k);
  }
}
