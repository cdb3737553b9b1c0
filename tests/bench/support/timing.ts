// One clock for every thread and process of a benchmark: CLOCK_MONOTONIC (process.hrtime), which
// all processes on the machine share, so a POST's start in one process and an event's receipt in
// another subtract to a true latency. performance.now() reads the same clock from this thread's
// start without allocating a BigInt, so it is shifted once onto hrtime's origin.
const offset = Number(process.hrtime.bigint()) / 1e6 - performance.now();
export const nowMs = (): number => offset + performance.now();

/** The p-quantile (0 < p ≤ 1) of an ascending array, nearest-rank. */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;

export const progress = (msg: string): void => {
  process.stderr.write(`[bench] ${msg}\n`);
};

/**
 * Runs `work`, timing it and noting the worst lateness of a 1 ms timer meanwhile: how long the
 * event loop was held at most, so nothing else (a request, a socket event) could run.
 */
export async function held<T>(work: () => Promise<T>): Promise<{ ms: number; heldMs: number; out: T }> {
  let last = performance.now();
  let worst = 0;
  const tick = setInterval(() => {
    const t = performance.now();
    worst = Math.max(worst, t - last - 1);
    last = t;
  }, 1);
  await new Promise((r) => setTimeout(r, 20)); // the timer running before the work starts
  last = performance.now();
  worst = 0;
  const t0 = performance.now();
  const out = await work();
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 5)); // a hold at the very end shows as the next tick's lateness
  clearInterval(tick);
  return { ms, heldMs: Math.max(worst, performance.now() - last - 1), out };
}
