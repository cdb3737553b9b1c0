// An action sent with no answer (the network broke on the way there or back) may have been done.
// The wall's panel and the desk read the case again until the server answers, and then say either
// who moved it on or that it was not done, instead of waiting for a change that may never come.

/** How often, and how many times at most, the case is read again. */
export const RECHECK_EVERY_MS = 5000;
export const RECHECK_TRIES = 12;

/**
 * `read()` every RECHECK_EVERY_MS until it answers (RECHECK_TRIES at most), while `waiting()` holds
 * (the case still open, its line still unsure). Resolves with the answer, or null when given up.
 */
export async function readOnceAnswered<T>(read: () => Promise<T>, waiting: () => boolean): Promise<T | null> {
  for (let i = 0; i < RECHECK_TRIES; i++) {
    await new Promise((resolve) => setTimeout(resolve, RECHECK_EVERY_MS));
    if (!waiting()) return null;
    try {
      return await read();
    } catch {
      // still no answer: the next try
    }
  }
  return null;
}
