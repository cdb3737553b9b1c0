// Bookkeeping for the case-event stream (GET /api/events + `case:event`): which seqs are applied,
// and where the next resync starts. Pure, so it is tested without a browser or a server.
//
// Seqs are not a gap detector: a township sees only its own events (its seqs jump), and with
// several server processes two events may arrive slightly out of order. So every event is
// applied as it comes (each case keeps its highest version), duplicates are dropped by seq, and
// the resync cursor only moves past a hole once the hole is old enough that nothing is coming to
// fill it. A reconnect then asks the server for everything after the cursor: a late or lost event
// is fetched again, an event already applied is recognised and dropped.

/** A hole in the seqs this old (ms) is taken as "not for us" (another party's event). */
export const HOLE_MS = 5000;

export class SeqCursor {
  /** Every seq ≤ this is applied, or was skipped over as not for us. */
  private mark: number;
  /** Seqs above `mark` already applied (arrived ahead of a hole), with when the hole was seen. */
  private ahead = new Set<number>();
  private holeSince: number | null = null;

  constructor(start = 0) {
    this.mark = start;
  }

  /** Where the next resync starts (`after=`). */
  get cursor(): number {
    return this.mark;
  }

  /** The highest seq applied. */
  get highest(): number {
    let max = this.mark;
    for (const s of this.ahead) if (s > max) max = s;
    return max;
  }

  has(seq: number): boolean {
    return seq <= this.mark || this.ahead.has(seq);
  }

  /** Record `seq` as applied; false when it already was (a duplicate to drop). */
  add(seq: number, now: number): boolean {
    if (this.has(seq)) return false;
    this.ahead.add(seq);
    this.advance(now);
    return true;
  }

  /** The server says everything up to `lastSeq` that this caller may see has been sent. */
  coverTo(lastSeq: number, now: number): void {
    if (lastSeq <= this.mark) return;
    this.mark = lastSeq;
    for (const s of this.ahead) if (s <= lastSeq) this.ahead.delete(s);
    this.holeSince = null;
    this.advance(now);
  }

  /** Give up on holes older than HOLE_MS (call now and then; `add` calls it too). */
  advance(now: number): void {
    while (this.ahead.delete(this.mark + 1)) this.mark++;
    if (!this.ahead.size) {
      this.holeSince = null;
      return;
    }
    this.holeSince ??= now;
    if (now - this.holeSince < HOLE_MS) return;
    // Skip to just before the lowest seq applied ahead, then take the run that follows it.
    let lowest = Infinity;
    for (const s of this.ahead) if (s < lowest) lowest = s;
    this.mark = lowest - 1;
    this.holeSince = null;
    this.advance(now);
  }
}

export interface EventsPageLike {
  events: unknown[];
  lastSeq: number;
  more?: boolean;
  /** The newest committed seq (sent by the server since `head` was added; older servers omit it). */
  head?: number;
}

/** Probes sent at once per round of the head search. */
const FAN_OUT = 8;

/**
 * The newest seq this caller may see, found with small `limit=1` probes sent several at a time:
 * one round of exponentially spaced probes brackets it, then each round narrows the bracket
 * ninefold (about log9(head) rounds, 8 one-event requests each, where a one-at-a-time binary
 * search would wait for 2·log2(head) answers in a row). The screen replays the events after it;
 * replaying from 0 instead would be correct too, but costs every event ever written.
 */
export async function findEventHead(
  page: (after: number, limit: number) => Promise<EventsPageLike>,
): Promise<number> {
  const first = await page(0, 1);
  if (typeof first.head === 'number') return first.head;
  // Nothing visible at all, or just the one: the server's cursor is the answer.
  if (!first.events.length || !first.more) return first.lastSeq;
  // Invariant: something visible after `lo`; nothing visible after `hi`.
  let lo = 0;
  let hi = Infinity;
  let probes = Array.from({ length: FAN_OUT }, (_, i) => 64 * 8 ** i);
  for (;;) {
    const answers = await Promise.all(probes.map((after) => page(after, 1)));
    for (const [i, r] of answers.entries()) {
      const after = probes[i]!;
      if (r.events.length) lo = Math.max(lo, after);
      // Nothing visible after `after`; a scoped caller is told the head outright (lastSeq > after).
      else if (r.lastSeq > after) return r.lastSeq;
      else hi = Math.min(hi, after);
    }
    if (hi === Infinity) {
      probes = probes.map((p) => p * 8 ** FAN_OUT); // beyond 64·8⁷: keep going up
      continue;
    }
    if (hi - lo <= 1) return hi;
    const step = (hi - lo) / (FAN_OUT + 1);
    probes = [...new Set(Array.from({ length: FAN_OUT }, (_, i) => Math.round(lo + step * (i + 1))))].filter(
      (p) => p > lo && p < hi,
    );
  }
}
