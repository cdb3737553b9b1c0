import { describe, expect, it } from 'vitest';
import { SeqCursor } from '../../../client/src/lib/event-sync';

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
