// Bookkeeping for the case-event stream (GET /api/events + `case:events`): which seqs are applied,
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
  /** The head of the log the server read (GET /api/events always answers it). */
  head?: number;
}

/**
 * Whether the server's event log is behind where this client has read to: the database was
 * restored from a backup (or replaced) while the page stayed open. Its seqs are handed out again
 * from the backup's head, so the events to come would be taken for ones already applied and
 * dropped, and the cases held are newer than the server's: nothing held can be trusted. The page
 * loads afresh (`reloadPage`). A restore is seen this way when the client comes back before the
 * new log has passed its cursor again; a backup is older than the minutes a server restart takes.
 */
export function logRewound(page: EventsPageLike, after: number): boolean {
  return page.head !== undefined && page.head < after;
}

/** Load the page afresh (the browser's reload: the session and the address stay). */
export function reloadPage(): void {
  globalThis.location.reload();
}
