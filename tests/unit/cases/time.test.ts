import { describe, expect, it } from 'vitest';
import {
  END_OF_LAST_DAY,
  FIRST_LISTED_INSTANT,
  parseInstant,
  shanghaiDay,
  shanghaiDayStart,
  shanghaiDaysBetween,
  startOfShanghaiDay,
} from '../../../shared/time';
import { previousStatsPeriod, statsPeriod, statsQuerySchema } from '../../../shared/kpi';

describe('Asia/Shanghai days', () => {
  it('puts 23:30 UTC on the next Shanghai day', () => {
    expect(shanghaiDay(Date.UTC(2026, 0, 31, 15, 59, 59))).toBe('2026-01-31');
    expect(shanghaiDay(Date.UTC(2026, 0, 31, 16, 0, 0))).toBe('2026-02-01');
  });
  it('starts a day at 16:00 UTC the day before', () => {
    expect(startOfShanghaiDay(Date.UTC(2026, 1, 1, 3))).toBe(Date.UTC(2026, 0, 31, 16));
    expect(shanghaiDayStart('2026-02-01')).toBe(Date.UTC(2026, 0, 31, 16));
    expect(() => shanghaiDayStart('2026-2-1')).toThrow();
  });
  it('lists the days of a range inclusively', () => {
    expect(shanghaiDaysBetween(Date.UTC(2026, 0, 31, 15), Date.UTC(2026, 1, 1, 17))).toEqual([
      '2026-01-31',
      '2026-02-01',
      '2026-02-02',
    ]);
  });
});

describe('days of instants past what a Date holds', () => {
  it('names a day, never throws, for any finite instant', () => {
    // 8.64e15 is the last instant a Date holds; its Shanghai day is 8 hours later.
    expect(shanghaiDay(8_639_999_999_999_999)).toBe('+275760-09-13');
    expect(shanghaiDay(8.64e15)).toBe('+275760-09-13');
    expect(shanghaiDay(1e17)).toBe('+3170843-11-07'); // ?from=99999999999999999 reads as 1e17
    expect(shanghaiDay(-1e17)).toMatch(/^-\d{6,}-\d{2}-\d{2}$/);
    expect(() => shanghaiDay(Number.MAX_VALUE)).not.toThrow();
    // Years past 9999 are written in full, never cut to `+010000-01`.
    expect(shanghaiDay(END_OF_LAST_DAY)).toBe('+010000-01-01');
    expect(shanghaiDay(END_OF_LAST_DAY - 1)).toBe('9999-12-31');
  });

  it('keeps the Gregorian calendar beyond the Date: 400 years on is the same day', () => {
    // 400 Gregorian years are 146,097 days exactly; 700 × 400 years lands past the Date's range.
    const shift = 700 * 146_097 * 86_400_000;
    for (let ms = -8e15; ms <= 8e15; ms += 7.3e13 + 12_345) {
      const [, y, md] = /^([+-]?\d+)-(\d{2}-\d{2})$/.exec(shanghaiDay(ms))!;
      const [, y2, md2] = /^([+-]?\d+)-(\d{2}-\d{2})$/.exec(shanghaiDay(ms + shift))!;
      expect([Number(y2) - Number(y), md2]).toEqual([280_000, md]);
    }
  });
});

describe('instants read from a request', () => {
  it.each([
    ['1778544000000', 1778544000000],
    // A day, or a time with no offset, is the county's (UTC+8), whatever the server's own zone.
    ['2026-05-12', Date.UTC(2026, 4, 11, 16)],
    ['2026-05-12T08:00', Date.UTC(2026, 4, 12)],
    ['2026-05-12T08:00:30.5', Date.UTC(2026, 4, 12, 0, 0, 30, 500)],
    ['1969-12-31', Date.UTC(1969, 11, 30, 16)],
    ['2026-05-12T08:00:00Z', Date.UTC(2026, 4, 12, 8)],
    ['2026-05-12T08:00+08:00', Date.UTC(2026, 4, 12)],
    ['2024-02-29T23:59:59.999+0800', Date.UTC(2024, 1, 29, 15, 59, 59, 999)],
  ])('reads %s', (v, ms) => expect(parseInstant(v)).toBe(ms));

  it.each([
    '-5', // V8 reads it as 2001-05-01
    '2026-02-30', // V8 reads it as 2026-03-02
    '2026-02-29T00:00:00Z',
    '2026-05-12T24:00',
    '2026-05-12T08:60',
    '2026-05-12T08:00+24:00',
    '2026-05-12 08:00',
    '0x70',
    '1e3',
    '99999999999999999999999',
    'May 1, 2026',
    '',
  ])('refuses %j', (v) => expect(parseInstant(v)).toBeNull());

  it('lists every instant a statistics answer can give', () => {
    // The earliest: a 366-day period from the first day statistics take, compared with the period
    // just before it.
    const first = statsQuerySchema.parse({ from: '1971-01-01', to: '1972-01-01' });
    const p = statsPeriod(first.from!, first.to!);
    expect(p.days).toBe(366);
    expect(previousStatsPeriod(p).start).toBe(FIRST_LISTED_INSTANT);
    expect(statsPeriod('9999-12-31', '9999-12-31').end).toBe(END_OF_LAST_DAY);
  });
});
