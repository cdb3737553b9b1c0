// The desk's 退回记录: what became of each return, said in one line, and the page asked for.
import { describe, expect, it } from 'vitest';
import { returnOutcome, returnsQuery } from '../../../client/src/lib/desk/returns';
import type { ReturnRecord } from '../../../shared/cases';

// 2026-12-06 10:30 in Shanghai.
const AT = Date.UTC(2026, 11, 6, 2, 30);
const DONGCHENG = { kind: 'township' as const, code: '140581002', name: '东城街道' };

function record(decision: ReturnRecord['decision']): ReturnRecord {
  return {
    seq: 7,
    caseId: 'c1',
    caseNo: '20261206-0001',
    matterName: '占道经营',
    place: '东城街道 › 晋阳社区1-1微网格',
    returnedAt: AT - 600_000,
    returnedBy: DONGCHENG,
    by: '张三',
    reason: '非本单位职责',
    decision,
    status: 'returned',
    assignee: null,
    visible: true,
  };
}

describe('returnOutcome', () => {
  it('is pending until the command centre decides', () => {
    expect(returnOutcome(record(null))).toEqual({ kind: 'pending', params: {} });
  });
  it('tells a dispatch back to the same unit from one to another unit, with the time', () => {
    const again = { type: 'dispatch' as const, at: AT, to: DONGCHENG, again: true, note: '' };
    expect(returnOutcome(record(again))).toEqual({ kind: 'again', params: { time: '2026-12-06 10:30' } });
    const elsewhere = {
      ...again,
      to: { kind: 'department' as const, code: 'cgj', name: '城市管理局' },
      again: false,
    };
    expect(returnOutcome(record(elsewhere))).toEqual({
      kind: 'elsewhere',
      params: { time: '2026-12-06 10:30', to: '城市管理局' },
    });
  });
  it('carries a rejection’s reason', () => {
    const reject = { type: 'reject' as const, at: AT, to: null, again: false, note: '重复反映' };
    expect(returnOutcome(record(reject))).toEqual({
      kind: 'rejected',
      params: { time: '2026-12-06 10:30', note: '重复反映' },
    });
  });
});

describe('returnsQuery', () => {
  it("names the desk's unit, and the page after `before` when given", () => {
    expect(returnsQuery({ kind: 'township', code: '140581002' })).toBe(
      '/api/returns?party=township%3A140581002&limit=30',
    );
    expect(returnsQuery({ kind: 'department', code: 'cgj' }, 42)).toBe(
      '/api/returns?party=department%3Acgj&limit=30&before=42',
    );
  });
});
