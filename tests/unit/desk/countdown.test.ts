import { describe, expect, it } from 'vitest';
import { countdown } from '../../../client/src/lib/desk/countdown';

const MIN = 60_000;

describe('desk countdown', () => {
  it('shows the time left as the screen does, with a minus sign once past', () => {
    expect(countdown(5 * MIN + 7_000, 0).text).toBe('5:07');
    expect(countdown(50 * 60 * MIN, 0).text).toBe('2天2时');
    expect(countdown(0, 42_000).text).toBe('-0:42');
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
