// 案件编号's pure parts: the number as written and read back (shared/cases.ts), the day of an instant
// in Shanghai, and a group commit's cases grouped by day in one order (server/cases/case-numbers.ts).
import { describe, expect, it } from 'vitest';
import { caseNumber, parseCaseNumber } from '../../../shared/cases';
import { byDay, numberDayOf } from '../../../server/cases/case-numbers';

describe('case numbers', () => {
  it('are the Shanghai day and the number of the day, four digits at least', () => {
    expect(caseNumber('20261204', 12)).toBe('20261204-0012');
    expect(caseNumber('20261204', 12345)).toBe('20261204-12345');
    // 23:59 and 00:00 in Shanghai are 15:59 and 16:00 UTC of the day before.
    expect(numberDayOf(Date.UTC(2026, 11, 4, 15, 59))).toBe('20261204');
    expect(numberDayOf(Date.UTC(2026, 11, 4, 16, 0))).toBe('20261205');
  });

  it('are read back however an operator types them, and nothing else is taken for one', () => {
    const twelve = { day: '20261204', seq: 12 };
    for (const q of [
      '20261204-0012',
      '20261204-12',
      '202612040012',
      ' 20261204-0012 ',
      '２０２６１２０４－００１２',
    ])
      expect(parseCaseNumber(q), q).toEqual(twelve);
    expect(parseCaseNumber('20261204-12345')).toEqual({ day: '20261204', seq: 12345 });
    // A mobile phone (11 digits), a landline with its area code, no month 13, no number 0, words.
    for (const q of ['13987654321', '035612345678', '20261304-0012', '20261204-0000', '20261204', '占道经营'])
      expect(parseCaseNumber(q), q).toBeNull();
  });

  it('group a batch by day, in day order whatever order the cases came in', () => {
    const batch = [
      { id: 'a', day: '20261205' },
      { id: 'b', day: '20261204' },
      { id: 'c', day: '20261205' },
    ];
    expect(byDay(batch, (c) => c.day).map((g) => [g.day, g.items.map((c) => c.id)])).toEqual([
      ['20261204', ['b']],
      ['20261205', ['a', 'c']],
    ]);
  });
});
