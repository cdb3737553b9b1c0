// The dispatch panel's times: today's alone, another day's with its date (Shanghai days, whatever
// the browser's zone), so an old case's timeline does not read as if it all happened today.
import { describe, expect, it } from 'vitest';
import { shanghaiWhen } from '../../../client/src/lib/shanghai-time';

describe('shanghaiWhen', () => {
  // 10:00 on 4 December 2026 in Shanghai.
  const now = Date.UTC(2026, 11, 4, 2, 0);

  it('gives the time alone for today, to the second when asked', () => {
    const t = Date.UTC(2026, 11, 4, 0, 5, 9); // 08:05:09 in Shanghai
    expect(shanghaiWhen(t, now)).toBe('08:05');
    expect(shanghaiWhen(t, now, true)).toBe('08:05:09');
  });

  it('gives the date too for another Shanghai day, even one that is the same day in UTC', () => {
    expect(shanghaiWhen(Date.UTC(2026, 10, 25, 9, 51), now, true)).toBe('11-25 17:51');
    // 23:30 on 3 December in Shanghai is 15:30 UTC on 3 December; 00:30 on the 4th is 16:30 UTC on the 3rd.
    expect(shanghaiWhen(Date.UTC(2026, 11, 3, 15, 30), now)).toBe('12-03 23:30');
    expect(shanghaiWhen(Date.UTC(2026, 11, 3, 16, 30), now)).toBe('00:30');
  });
});
