// What a returned case's queue row and dispatch panel say of its last 退回 (QA: the row read only
// the place, neither who returned it nor why).
import { describe, expect, it } from 'vitest';
import { returnedShort, returnedText } from '../../../client/src/lib/screen/returned';
import { translator } from './fixtures';

describe('returned case', () => {
  const zh = translator('zh-CN');
  const en = translator('en');
  const now = Date.UTC(2026, 11, 7, 14, 30); // 22:30 in Shanghai
  const at = Date.UTC(2026, 11, 7, 14, 11); // 22:11
  const east = { kind: 'township' as const, code: '140581002', name: '东城街道' };

  it('a row says who returned it and why, on one line, the unit short', () => {
    expect(returnedShort({ at, by: east, reason: '上报位置有误，\n不在本街道' }, zh)).toBe(
      '东城街道退回：上报位置有误， 不在本街道',
    );
    expect(
      returnedShort(
        { at, by: { kind: 'department', code: 'cg', name: '高平市城市管理局' }, reason: '非本局职责' },
        en,
      ),
    ).toBe('Returned by 城市管理局: 非本局职责');
    expect(returnedShort({ at, by: null, reason: '位置有误' }, zh)).toBe('退回：位置有误');
  });

  it('the tooltip and the panel say it whole, with the time', () => {
    expect(returnedText({ at, by: east, reason: '上报位置有误' }, now, zh)).toBe(
      '东城街道 22:11 退回：上报位置有误',
    );
  });
});
