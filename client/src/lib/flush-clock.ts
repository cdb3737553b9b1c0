// When batched live changes are passed on (the case store to its feed and listeners, the map's
// layers to their sources): at once when nothing was passed on for a period, else at most once a
// period; every flush asked for runs in the same task (the map's sources: their tiles come back
// from the worker together and the map redraws once for all of them).
export class FlushClock {
  private readonly due = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastRun = -Infinity;

  constructor(
    private readonly periodMs = 1000,
    /** A monotonic clock: a wall-clock step (NTP) must not hold the flushes back. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Asks for `flush` to run: in the next task if the last run was a period ago or more (a clue on a
   * quiet evening shows at once), else a period after the last run (a busy shift: one write a
   * period, however many events arrived). Asking again before it runs changes nothing.
   */
  schedule(flush: () => void): void {
    this.due.add(flush);
    this.timer ??= setTimeout(() => this.run(), Math.max(0, this.lastRun + this.periodMs - this.now()));
  }

  /** Forgets `flush` (its layer is gone). */
  cancel(flush: () => void): void {
    this.due.delete(flush);
    if (!this.due.size && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private run(): void {
    this.timer = null;
    this.lastRun = this.now();
    const flushes = [...this.due];
    this.due.clear();
    for (const flush of flushes) flush();
  }
}
