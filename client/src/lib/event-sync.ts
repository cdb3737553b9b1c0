// Bookkeeping for the case-event stream (GET /api/events + `case:event`): which seqs are applied,
// and where the next resync starts. Pure, so it is tested without a browser or a server.
//
// Seqs are not a gap detector: a township sees only its own events (its seqs jump), and with
// several server processes two events may arrive slightly out of order (N+1 before N). So every
// event is applied as it comes (each case keeps its highest version) and duplicates are dropped by
// seq. The resume cursor is another matter: it is the highest seq up to which this client has
// everything, contiguously — the last cursor the server gave (GET /api/events answers `lastSeq`,
// which also covers events this caller may not see) extended by live seqs that follow it without a
// hole. It never moves past a hole on a guess: if N+1 arrived live and N did not, the next resync
// asks for everything after N-1, however long ago that was and whether or not the resync before
// it failed, and the events it already has come back and are recognised and dropped.

/**
 * Seqs above the cursor remembered for recognising repeats. A township that has not resynced for a
 * long time holds one per event it received; past this many the oldest are forgotten (a repeat of
 * one of them is applied again, which keeps the case's highest version anyway).
 */
export const MAX_AHEAD = 20_000;

export class SeqCursor {
  /** Every seq ≤ this is applied, or the server said it is not for us. */
  private mark: number;
  /** Seqs above `mark` already applied (arrived ahead of a hole). */
  private ahead = new Set<number>();

  constructor(start = 0) {
    this.mark = start;
  }

  /** Where the next resync starts (`after=`): everything up to it is here, with no hole. */
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
  add(seq: number): boolean {
    if (this.has(seq)) return false;
    if (seq === this.mark + 1) {
      this.mark = seq;
      this.advance();
      return true;
    }
    this.ahead.add(seq);
    if (this.ahead.size > MAX_AHEAD) {
      let lowest = Infinity;
      for (const s of this.ahead) if (s < lowest) lowest = s;
      this.ahead.delete(lowest);
    }
    return true;
  }

  /** The server says everything up to `lastSeq` that this caller may see has been sent. */
  coverTo(lastSeq: number): void {
    if (lastSeq <= this.mark) return;
    this.mark = lastSeq;
    for (const s of this.ahead) if (s <= lastSeq) this.ahead.delete(s);
    this.advance();
  }

  /** Take the run of applied seqs that follows the cursor. */
  advance(): void {
    while (this.ahead.delete(this.mark + 1)) this.mark++;
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
