import { describe, expect, it } from 'vitest';
import { countdown, formatRemaining } from '../../../client/src/lib/desk/countdown';

const MIN = 60_000;

describe('desk countdown', () => {
  it('formats minutes, hours and days, with a minus sign once past', () => {
    expect(formatRemaining(5 * MIN + 7_000)).toBe('5:07');
    expect(formatRemaining(3 * 60 * MIN + 5 * MIN + 9_000)).toBe('3:05:09');
    expect(formatRemaining(50 * 60 * MIN)).toBe('2天2时');
    expect(formatRemaining(-42_000)).toBe('-0:42');
  });

  it('is ok with time to spare, soon in the last 20 % or 30 minutes, over when past', () => {
    const start = 0;
    const deadline = 10 * 60 * MIN; // a 10-hour limit
    expect(countdown(deadline, 60 * MIN, start).urgency).toBe('ok');
    expect(countdown(deadline, 8.5 * 60 * MIN, start).urgency).toBe('soon'); // 1.5 h left < 2 h
    expect(countdown(deadline, deadline - 20 * MIN).urgency).toBe('soon'); // no start: last 30 min
    expect(countdown(deadline, deadline - 59 * MIN).urgency).toBe('ok'); // no start: not yet
    expect(countdown(deadline, deadline + 1).urgency).toBe('over');
    expect(countdown(deadline, deadline + MIN).text).toBe('-1:00');
  });
});
