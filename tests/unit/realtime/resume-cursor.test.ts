// The resume cursor (client/src/lib/event-sync.ts, used by the dashboard and by the tests' resync
// client tests/support/case-mirror.ts): the highest seq up to which the client has everything, with
// no hole — never the highest live seq seen. With several server processes event N+1 can arrive
// before N; if the connection drops then, and the replay after it fails, N must still be asked for.
import { describe, expect, it } from 'vitest';
import { MAX_AHEAD, SeqCursor } from '../../../client/src/lib/event-sync';

/** GET /api/events?after= over a log of `head` events the caller sees all of. */
function replay(c: SeqCursor, head: number, apply: (seq: number) => void): void {
  for (let seq = c.cursor + 1; seq <= head; seq++) if (c.add(seq)) apply(seq);
  c.coverTo(head);
}

describe('resume cursor', () => {
  it('stays before an event that has not arrived yet when a later one arrived live', () => {
    const c = new SeqCursor(0);
    for (const seq of [1, 2, 3]) c.add(seq);
    expect(c.cursor).toBe(3);
    expect(c.add(5)).toBe(true); // from the other process, ahead of 4
    expect(c.cursor).toBe(3);
    expect(c.highest).toBe(5);
  });

  it('asks again for N after a failed replay, and applies each event once', () => {
    const c = new SeqCursor(10);
    const applied: number[] = [];
    const live = (seq: number) => {
      if (c.add(seq)) applied.push(seq);
    };
    live(11);
    live(13); // 12 is still on its way through Redis when the connection drops
    // Reconnect: the replay starts after 11 and fails (server restarting, network): nothing covered.
    expect(c.cursor).toBe(11);
    // More live events on the new connection; none of them moves the cursor over 12.
    live(14);
    live(15);
    expect(c.cursor).toBe(11);
    // The next replay starts after 11 and brings 12; 13–15 come again and are dropped.
    replay(c, 16, (seq) => applied.push(seq));
    expect(applied).toEqual([11, 13, 14, 15, 12, 16]);
    expect(c.cursor).toBe(16);
  });

  it('moves with live events that follow it without a hole', () => {
    const c = new SeqCursor(0);
    c.add(2);
    c.add(3);
    expect(c.cursor).toBe(0);
    c.add(1); // the hole closes: the run 1–3 is contiguous
    expect(c.cursor).toBe(3);
    expect(c.has(2)).toBe(true);
    expect(c.add(2)).toBe(false);
  });

  it('keeps a bounded memory of seqs ahead of a hole that never fills (a scoped desk)', () => {
    const c = new SeqCursor(0);
    for (let i = 1; i <= MAX_AHEAD + 10; i++) c.add(2 * i); // every other seq is another township's
    expect(c.cursor).toBe(0);
    expect(c.has(2 * (MAX_AHEAD + 10))).toBe(true);
    c.coverTo(2 * (MAX_AHEAD + 10));
    expect(c.cursor).toBe(2 * (MAX_AHEAD + 10));
    expect(c.highest).toBe(c.cursor);
  });
});
