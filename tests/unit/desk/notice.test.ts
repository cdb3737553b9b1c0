// 责令限期整改通知书 (client/src/lib/desk/notice.ts): filled from the case and its latest order.
import { describe, expect, it } from 'vitest';
import { rectificationNotice } from '../../../client/src/lib/desk/notice';
import type { CaseEvent, CaseView } from '../../../shared/cases';

const ACTOR = { id: 'u1', username: '140581002', displayName: '张执法', role: 'township' };
const event = (type: CaseEvent['type'], at: number, payload: Record<string, unknown> = {}): CaseEvent => ({
  seq: at,
  caseId: 'c1',
  type,
  actor: ACTOR,
  at,
  payload,
});
// 2026-12-06 10:00 and 2026-12-09 18:00 in Shanghai.
const T0 = Date.UTC(2026, 11, 6, 2, 0);
const DUE = Date.UTC(2026, 11, 9, 10, 0);

function item(timeline: CaseEvent[]): CaseView {
  return {
    id: '01a2b3c4-0000',
    no: '20261206-0004',
    createdAt: T0,
    matterName: '占道经营',
    description: '商户在人行道摆摊经营。',
    legalBasis: '《城市市容和环境卫生管理条例》第十四条',
    assignee: { kind: 'township', code: '140581002', name: '东城街道' },
    location: {
      township: { code: '140581002', name: '东城街道' },
      first: { code: 'f', name: '城东社区' },
      second: { code: 's', name: '城东社区第一网格' },
      micro: { code: 'm', name: '城东社区1-1微网格' },
      dedicated: [],
      nearBoundary: false,
    },
    timeline,
  } as unknown as CaseView;
}

describe('rectificationNotice', () => {
  it('is none before any 责令整改', () => {
    expect(rectificationNotice(item([event('dispatch', T0)]))).toBeNull();
  });

  it('fills the notice from the case and its latest order, numbered by which order it is', () => {
    const n = rectificationNotice(
      item([
        event('order_rectification', T0 + 3600_000, { deadline: DUE - 86_400_000 }),
        event('report_rectified', T0 + 7200_000),
        event('verify_fail', T0 + 9000_000),
        event('order_rectification', T0 + 10_800_000, { deadline: DUE, note: '清理摊位' }),
      ]),
    );
    expect(n).toEqual({
      serial: '20261206-0004-2',
      unit: '东城街道',
      reportedOn: '2026年12月6日',
      place: '东城街道城东社区1-1微网格',
      matter: '占道经营',
      facts: '商户在人行道摆摊经营',
      legalBasis: '《城市市容和环境卫生管理条例》第十四条',
      deadline: '2026年12月9日18时00分',
      requirement: '清理摊位',
      issuedOn: '2026年12月6日',
    });
  });
});
