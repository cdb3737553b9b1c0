// 整改期间不计入办结时限: where a rectification order (责令整改) puts the finish deadline (办结).
import { describe, expect, it } from 'vitest';
import { finishDueAfterRectification } from '../../../shared/cases';

const H = 3600_000;
const now = Date.UTC(2026, 11, 5, 4, 53); // 12-05 12:53 in Shanghai

describe('finishDueAfterRectification', () => {
  it('keeps the time left to finish after a rectification that ends past the finish deadline', () => {
    // 20261205-0024: 24 h left to finish (12-06 12:53), rectification to 12-08 18:00.
    const finish = now + 24 * H;
    const rectify = Date.UTC(2026, 11, 8, 10, 0);
    expect(finishDueAfterRectification(finish, rectify, now)).toBe(rectify + 24 * H);
  });

  it('does not count a rectification that ends before the finish deadline either', () => {
    expect(finishDueAfterRectification(now + 72 * H, now + 5 * H, now)).toBe(now + 77 * H);
  });

  it('leaves a finish deadline already past, or falling at the order, where it was', () => {
    expect(finishDueAfterRectification(now - H, now + 48 * H, now)).toBe(now - H);
    expect(finishDueAfterRectification(now, now + 48 * H, now)).toBe(now);
  });

  it('moves it again on a second order, from the deadline the first one set', () => {
    const first = finishDueAfterRectification(now + 10 * H, now + 20 * H, now); // now + 30 h
    const later = now + 25 * H; // rectified, then ordered again: 5 h left
    expect(finishDueAfterRectification(first, later + 8 * H, later)).toBe(later + 13 * H);
  });
});
