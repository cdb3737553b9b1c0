import { describe, expect, it } from 'vitest';
import { findEventHead, SeqCursor, type EventsPageLike } from '../../../client/src/lib/event-sync';

describe('SeqCursor', () => {
  it('applies each seq once, whatever order they come in', () => {
    const c = new SeqCursor(10);
    expect(c.add(12)).toBe(true);
    expect(c.add(11)).toBe(true);
    expect(c.add(12)).toBe(false);
    expect(c.add(9)).toBe(false); // before the cursor: already in the list the screen loaded
    expect(c.cursor).toBe(12);
  });

  it('does not move the resync cursor past a hole while the missing event may still come', () => {
    const c = new SeqCursor(10);
    c.add(11);
    c.add(13); // 12 is late (another server process) or not ours
    expect(c.cursor).toBe(11);
    expect(c.has(13)).toBe(true);
    c.add(14);
    expect(c.cursor).toBe(11);
    // 12 arrives: the run closes up.
    c.add(12);
    expect(c.cursor).toBe(14);
  });

  it('never moves the resync cursor past a hole on its own: only a resync page covers it', () => {
    const c = new SeqCursor(100);
    c.add(105);
    c.add(109);
    c.advance(); // an hour later: 101–104 may be another township's, or lost
    expect(c.cursor).toBe(100);
    expect(c.highest).toBe(109);
    c.coverTo(107); // GET /api/events?after=100 answered up to 107
    expect(c.cursor).toBe(107);
    expect(c.has(109)).toBe(true);
  });

  it('takes the server’s cursor after a resync page, forgetting what it covers', () => {
    const c = new SeqCursor(0);
    c.add(3);
    c.add(7);
    c.coverTo(5);
    expect(c.cursor).toBe(5);
    expect(c.has(4)).toBe(true);
    expect(c.has(6)).toBe(false);
    expect(c.has(7)).toBe(true);
    c.coverTo(2); // an older cursor never moves it back
    expect(c.cursor).toBe(5);
  });
});

/** GET /api/events as server/cases/service.ts answers it, over `seqs` of which the caller sees `visible`. */
function fakeEvents(seqs: number[], visible: (seq: number) => boolean = () => true) {
  const head = seqs.reduce((m, s) => Math.max(m, s), 0);
  let calls = 0;
  const page = async (after: number, limit: number): Promise<EventsPageLike> => {
    calls++;
    if (after >= head) return { events: [], lastSeq: Math.max(after, head), more: false };
    let i = 0; // the first seq after `after` (seqs are sorted)
    for (let hi = seqs.length; i < hi;) {
      const mid = (i + hi) >> 1;
      if (seqs[mid]! <= after) i = mid + 1;
      else hi = mid;
    }
    const rows: number[] = [];
    for (; i < seqs.length && rows.length < limit; i++) if (visible(seqs[i]!)) rows.push(seqs[i]!);
    const full = rows.length === limit;
    return {
      events: rows.map((seq) => ({ seq })),
      lastSeq: full ? rows[rows.length - 1]! : head,
      more: full,
    };
  };
  return { page, calls: () => calls };
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('findEventHead', () => {
  it('finds the newest seq in about log9(head) rounds of eight one-event requests', async () => {
    for (const n of [1, 2, 63, 64, 65, 1023, 1024, 1025, 15_000, 250_000, 3_000_000]) {
      const api = fakeEvents(range(n));
      expect(await findEventHead(api.page)).toBe(n);
      const rounds = Math.ceil(Math.log(n + 1) / Math.log(9)) + 2;
      expect(api.calls()).toBeLessThanOrEqual(1 + 8 * rounds);
    }
  });

  it('answers 0 for an empty log', async () => {
    expect(await findEventHead(fakeEvents([]).page)).toBe(0);
  });

  it('finds a point at or after the last event a township may see', async () => {
    // Township sees every 7th event; the log goes on after its last one.
    const api = fakeEvents(range(20_000), (s) => s % 7 === 0 && s < 19_000);
    const head = await findEventHead(api.page);
    expect(head).toBeGreaterThanOrEqual(18_998);
    // Nothing it may see lies after the answer.
    expect((await api.page(head, 1)).events).toEqual([]);
  });

  it('uses a `head` the server sends, in one request', async () => {
    let calls = 0;
    const head = await findEventHead(async () => {
      calls++;
      return { events: [{ seq: 1 }], lastSeq: 1, more: true, head: 4242 };
    });
    expect({ head, calls }).toEqual({ head: 4242, calls: 1 });
  });
});
