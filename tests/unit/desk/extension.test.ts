// 延期申请 on the pages: when the desk offers it and what its form sends, the queue's 延期审批 tab and
// its clock, what the timeline says of each step, and the answer's notice kept across a reload.
import { describe, expect, it } from 'vitest';
import type { CaseEvent, CaseView, DeadlineView } from '../../../shared/cases';
import { availableActions } from '../../../shared/workflow';
import {
  actionPayload,
  emptyForm,
  extensionDays,
  extensionPreview,
  mayAskExtension,
  offeredActions,
  validateAction,
} from '../../../client/src/lib/desk/actions';
import { extensionLine, extensionsNow } from '../../../client/src/lib/desk/timeline';
import { buildQueue, bucketOf } from '../../../client/src/lib/queue';
import { normaliseCase } from '../../../client/src/lib/case-model';
import { pushNotice, restoreNews, storeNews, type Notice } from '../../../client/src/lib/desk/notices';
import { makeCase, translator } from '../client/fixtures';

const H = 3600_000;
const DAY = 24 * H;
const NOW = Date.UTC(2026, 11, 6, 2, 0); // 10:00 in Shanghai
const running = (dueAt: number): DeadlineView => ({ dueAt, metAt: null, overdueAt: null });
const request = {
  days: 3,
  reason: '当事人外出',
  at: NOW - H,
  by: '东城街道值班员',
  finishDue: NOW + DAY,
  until: NOW + 4 * DAY,
};

describe('延期申请 on the desk', () => {
  const mine = { role: 'township', isAssignee: true, arrived: true } as const;

  it('is the assignee’s, while the 办结 clock runs; the decision is the command centre’s', () => {
    for (const s of ['accepted', 'in_progress', 'rectifying'] as const) {
      expect(availableActions(s, 'township', true)).toContain('request_extension');
      expect(availableActions(s, 'commander', false)).toEqual(
        expect.arrayContaining(['approve_extension', 'deny_extension']),
      );
      expect(availableActions(s, 'commander', false)).not.toContain('request_extension');
    }
    for (const s of ['reported', 'dispatched', 'resolved', 'closed', 'returned'] as const)
      expect(availableActions(s, 'township', true)).not.toContain('request_extension');
    expect(availableActions('in_progress', 'township', false)).not.toContain('request_extension');
  });

  it('is offered last, and only when more time may still be asked', () => {
    expect(offeredActions({ ...mine, state: 'in_progress', mayExtend: true })).toEqual([
      'order_rectification',
      'resolve',
      'request_extension',
    ]);
    expect(offeredActions({ ...mine, state: 'in_progress' })).toEqual(['order_rectification', 'resolve']);
    const c = { extensionRequest: null, deadlineState: { finish: running(NOW + H) } };
    expect(mayAskExtension(c, NOW)).toBe(true);
    // Asked already; the deadline passed (marked or not yet); met; no finish clock.
    expect(mayAskExtension({ ...c, extensionRequest: request }, NOW)).toBe(false);
    expect(mayAskExtension({ ...c, deadlineState: { finish: running(NOW) } }, NOW)).toBe(false);
    expect(
      mayAskExtension(
        { ...c, deadlineState: { finish: { ...running(NOW - H), overdueAt: NOW } } },
        NOW - 2 * H,
      ),
    ).toBe(false);
    expect(
      mayAskExtension({ ...c, deadlineState: { finish: { ...running(NOW + H), metAt: NOW } } }, NOW),
    ).toBe(false);
    expect(
      mayAskExtension(
        { extensionRequest: null, deadlineState: {} } as Pick<CaseView, 'extensionRequest' | 'deadlineState'>,
        NOW,
      ),
    ).toBe(false);
  });

  it('takes whole days from 1 to 30 and a reason, and sends them as numbers', () => {
    // A number input's v-model gives numbers once typed in.
    expect(['1', ' 30 ', '7', 5].map((v) => extensionDays(v))).toEqual([1, 30, 7, 5]);
    expect([0, 31, 2.5].map((v) => extensionDays(v))).toEqual([null, null, null]);
    expect(['0', '31', '1.5', '', 'abc', '-2', '1e1'].map(extensionDays)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    const limits = { maxText: 500, maxPhotos: 9 };
    expect(validateAction('request_extension', { ...emptyForm(), days: '3' }, NOW, limits)).toEqual({
      reason: 'required',
    });
    expect(
      validateAction('request_extension', { ...emptyForm(), days: '45', reason: '理由' }, NOW, limits),
    ).toEqual({
      days: 'days',
    });
    expect(
      actionPayload('request_extension', { ...emptyForm(), days: ' 5', reason: ' 等待检测报告 ' }),
    ).toEqual({
      days: 5,
      reason: '等待检测报告',
    });
  });

  it('says where the 办结 deadline would go, while it runs', () => {
    expect(extensionPreview(running(NOW + DAY), '3')).toBe(NOW + 4 * DAY);
    expect(extensionPreview(running(NOW + DAY), '0')).toBeNull();
    expect(extensionPreview({ ...running(NOW + DAY), overdueAt: NOW }, '3')).toBeNull();
    expect(extensionPreview(undefined, '3')).toBeNull();
  });
});

describe('延期审批 in the command centre’s queue', () => {
  it('lists a waiting request on its own tab, timed to the deadline it would move; overdue work stays under 超时督办', () => {
    const asked = makeCase({ id: 'asked', status: 'in_progress', extensionRequest: request });
    // 1 h of the 25 h between asking and the deadline left: within 20 %, amber.
    const late = makeCase({
      id: 'late',
      status: 'rectifying',
      extensionRequest: { ...request, at: NOW - 24 * H, finishDue: NOW + H, until: NOW + 3 * DAY + H },
    });
    const chased = makeCase({
      id: 'chased',
      status: 'in_progress',
      overdue: true,
      extensionRequest: request,
    });
    const none = makeCase({ id: 'none', status: 'in_progress' });
    // Its deadline come: lapsed, though the server's scan has not marked it yet.
    const lapsed = makeCase({
      id: 'lapsed',
      status: 'in_progress',
      extensionRequest: { ...request, finishDue: NOW, until: NOW + 3 * DAY },
    });
    expect([asked, late, chased, none].map(bucketOf)).toEqual(['extension', 'extension', 'overdue', null]);
    expect(
      buildQueue([asked, late, chased, none, lapsed], NOW, 'extension').map((e) => [
        e.item.id,
        e.level,
        e.sla?.kind,
        e.remainingMs,
      ]),
    ).toEqual([
      ['late', 'amber', 'finish', H],
      ['asked', 'ok', 'finish', DAY],
    ]);
  });

  it('reads the request from the server’s case, and none from a malformed one', () => {
    const base = { id: 'x', status: 'in_progress', lng: 112.9, lat: 35.8 };
    expect(normaliseCase({ ...base, extensionRequest: request, extensions: 2 })).toMatchObject({
      extensionRequest: request,
      extensions: 2,
    });
    expect(normaliseCase({ ...base, extensionRequest: { days: 'x' } })).toMatchObject({
      extensionRequest: null,
      extensions: 0,
    });
  });
});

describe('延期 in the timeline', () => {
  const zh = translator('zh-CN');
  const en = translator('en');
  const when = (at: number) => (at === NOW + 4 * DAY ? '12-10 10:00' : '?');
  it('says what was asked, granted or refused', () => {
    expect(
      extensionLine({ type: 'request_extension', payload: { days: 3, until: NOW + 4 * DAY } }, zh, when),
    ).toBe('申请延期 3 天，办结时限延至 12-10 10:00');
    expect(
      extensionLine(
        { type: 'approve_extension', payload: { days: 3, requestedDays: 3, extendedTo: NOW + 4 * DAY } },
        zh,
        when,
      ),
    ).toBe('同意延期 3 天，办结时限延至 12-10 10:00');
    expect(
      extensionLine(
        { type: 'approve_extension', payload: { days: 3, requestedDays: 5, extendedTo: NOW + 4 * DAY } },
        en,
        when,
      ),
    ).toBe('3 more days granted (5 asked): finish by 12-10 10:00');
    expect(extensionLine({ type: 'deny_extension', payload: { days: 5, reason: '不同意' } }, zh, when)).toBe(
      '申请延期 5 天未获同意',
    );
    expect(extensionLine({ type: 'escalate', payload: { days: 5 } }, zh, when)).toBeNull();
    expect(extensionLine({ type: 'request_extension', payload: {} }, zh, when)).toBeNull();
  });
});

describe('the answer’s notice on the desk', () => {
  const c = { id: 'a', version: 3, no: 'NO-a', status: 'in_progress' } as CaseView;
  const granted: Notice = {
    kind: 'extension',
    case: c,
    at: NOW,
    reason: '同意',
    extension: { granted: true, days: 3, until: NOW + 4 * DAY },
  };
  it('comes back after a reload with what was granted, and goes once the work is done', () => {
    const raw = JSON.stringify(storeNews(pushNotice([], granted), new Set()));
    expect(restoreNews(raw, () => c).notices).toEqual([granted]);
    expect(restoreNews(raw, () => ({ ...c, status: 'resolved' }) as CaseView).notices).toEqual([]);
    // An answer whose figures were edited by hand would read as a refusal: dropped.
    const edited = raw.replace('"days":3', '"days":"3"');
    expect(restoreNews(edited, () => c).notices).toEqual([]);
  });
});

describe('已延期 n 次 on the desk', () => {
  const e = (seq: number, type: string) => ({ seq, type }) as CaseEvent;
  it('counts the grants on the 办结 deadline running now, not one before a 改派', () => {
    const timeline = [
      e(1, 'created'),
      e(2, 'dispatch'),
      e(3, 'acknowledge'),
      e(4, 'approve_extension'),
      e(5, 'approve_extension'),
    ];
    expect(extensionsNow({ extensions: 2, timeline })).toBe(2);
    // Sent on to another unit: its deadline starts afresh, none granted on it yet.
    const moved = [...timeline, e(6, 'reassign'), e(7, 'acknowledge')];
    expect(extensionsNow({ extensions: 2, timeline: moved })).toBe(0);
    expect(extensionsNow({ extensions: 3, timeline: [...moved, e(8, 'approve_extension')] })).toBe(1);
    // Out of order as delivered: by seq.
    expect(extensionsNow({ extensions: 2, timeline: [e(6, 'reassign'), ...timeline] })).toBe(0);
    // Before the timeline is read (a list row): nothing said, since the count may be the unit before's.
    expect(extensionsNow({ extensions: 2 })).toBe(0);
    // None granted at all: none, whatever the timeline holds.
    expect(extensionsNow({ extensions: 0, timeline })).toBe(0);
  });
});
