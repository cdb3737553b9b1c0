// What a desk timeline entry says in the page's language: the system's actors and an automatic
// dispatch's routing reason (recorded in Chinese) said in English on an English page, as the record
// has them on a Chinese one; what people wrote, as they wrote it.
import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR, type CaseEvent, type CaseView } from '../../../shared/cases';
import {
  actionLabel,
  actorName,
  eventReason,
  noteParts,
  whoActed,
} from '../../../client/src/lib/desk/timeline';
import { actionPayload, emptyForm } from '../../../client/src/lib/desk/actions';
import { normaliseCase } from '../../../client/src/lib/case-model';
import { makeCase, translator } from '../client/fixtures';
import en from '../../../client/src/i18n/en';

const zh = translator('zh-CN');
const english = translator('en');
const te = (key: string) =>
  key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], en) !== undefined;

const route = {
  assignee: { kind: 'township' as const, code: '140581002', name: '东城街道' },
  cooperating: [],
  reason: '事项已赋权东城街道，由东城街道主办',
};
const item = makeCase({ route }) as unknown as Pick<CaseView, 'route' | 'location' | 'duplicateOf'>;
const autoDispatch: Pick<CaseEvent, 'type' | 'actor' | 'payload'> = {
  type: 'dispatch',
  actor: { ...SYSTEM_ACTOR, displayName: '系统自动派遣' },
  payload: { auto: true, assignee: route.assignee, cooperating: [], reason: route.reason },
};

describe("the big screen's timeline", () => {
  it('knows the system from the case as the server sends it, and names it as the desk does', () => {
    const sent = {
      ...makeCase({ route }),
      timeline: [
        { seq: 1, type: 'dispatch', at: 1, actor: autoDispatch.actor, payload: autoDispatch.payload },
        {
          seq: 2,
          type: 'acknowledge',
          at: 2,
          actor: { id: 'u1', username: 'dc', displayName: '张三' },
          payload: {},
        },
      ],
    };
    const [auto, person] = normaliseCase(sent)!.timeline!;
    expect(whoActed(auto!.type, auto!.actor, !!auto!.system, 'en', english, te)).toBe('Automatic dispatch');
    expect(whoActed(auto!.type, auto!.actor, !!auto!.system, 'zh-CN', zh, te)).toBe('系统自动派遣');
    expect(whoActed(person!.type, person!.actor, !!person!.system, 'en', english, te)).toBe('张三');
  });
});

describe('a desk timeline entry', () => {
  it("names the system in the page's language, and people as recorded (what they are said in the page's language)", () => {
    expect(actorName(autoDispatch, 'en', english, te)).toBe('Automatic dispatch');
    expect(actorName(autoDispatch, 'zh-CN', zh, te)).toBe('系统自动派遣');
    const overdue = { type: 'overdue' as const, actor: { ...SYSTEM_ACTOR, displayName: '系统超时监测' } };
    expect(actorName(overdue, 'en', english, te)).toBe('Deadline monitor');
    expect(actorName({ type: 'escalate', actor: SYSTEM_ACTOR }, 'en', english, te)).toBe('System');
    const person = { id: 'u1', username: 'commander', displayName: '指挥中心坐席', role: 'commander' };
    expect(actorName({ type: 'escalate', actor: person }, 'en', english, te)).toBe(
      '指挥中心坐席 (Command centre)',
    );
    expect(actorName({ type: 'escalate', actor: person }, 'zh-CN', zh, te)).toBe('指挥中心坐席');
    // A role the page has no word for: the name alone.
    expect(actorName({ type: 'escalate', actor: { ...person, role: 'auditor' } }, 'en', english, te)).toBe(
      '指挥中心坐席',
    );
  });

  it('reads the members a team dispatch sent from its note, as the desk writes it; the rest of the note as written', () => {
    const form = { ...emptyForm(), teamId: 't1', memberIds: ['m1', 'm2'], memberNames: ['段鹏静', '毛秀洋'] };
    const sent = (note: string) => ({
      type: 'start' as const,
      payload: actionPayload('start', { ...form, note }),
    });
    expect(noteParts(sent(''))).toEqual({ members: ['段鹏静', '毛秀洋'], rest: null });
    expect(noteParts(sent('带上执法记录仪'))).toEqual({
      members: ['段鹏静', '毛秀洋'],
      rest: '带上执法记录仪',
    });
    // Said in English on an English page, as recorded on a Chinese one.
    const { members } = noteParts(sent(''));
    expect(english('desk.timeline.members', { names: members!.join(english('desk.listSeparator')) })).toBe(
      'Members sent: 段鹏静, 毛秀洋',
    );
    expect(zh('desk.timeline.members', { names: members!.join(zh('desk.listSeparator')) })).toBe(
      '出动队员：段鹏静、毛秀洋',
    );
    // Any other note, or another event's, is all note.
    expect(noteParts({ type: 'start', payload: { note: '先到东门集合' } })).toEqual({
      members: null,
      rest: '先到东门集合',
    });
    expect(noteParts({ type: 'arrive', payload: { note: '出动队员：张伟' } })).toEqual({
      members: null,
      rest: '出动队员：张伟',
    });
    expect(noteParts({ type: 'start', payload: {} })).toEqual({ members: null, rest: null });
    expect(noteParts({ type: 'start', payload: { note: '出动队员：' } })).toEqual({
      members: null,
      rest: '出动队员：',
    });
  });

  it("says an automatic dispatch's routing reason from the case's route, as the screen does", () => {
    expect(eventReason(autoDispatch, item, 'en', english)).toBe('Delegated to townships: 东城街道 leads');
    // The Chinese page shows the record as stored.
    expect(eventReason(autoDispatch, item, 'zh-CN', zh)).toBe(route.reason);
    // Words a person wrote stay as written, and no words is no reason.
    const chased = { type: 'escalate' as const, payload: { reason: '请立即安排到场' } };
    expect(eventReason(chased, item, 'en', english)).toBe('请立即安排到场');
    expect(eventReason({ type: 'acknowledge', payload: {} }, item, 'en', english)).toBeNull();
    // Without the case (or a reason not the route's), the words as recorded.
    expect(eventReason(autoDispatch, undefined, 'en', english)).toBe(route.reason);
  });
});

describe('what an entry did', () => {
  it("is said in the page's words, and a type it has no words for as recorded", () => {
    expect(actionLabel('dispatch', english, te)).toBe('Dispatched');
    expect(actionLabel('teleport', english, te)).toBe('teleport');
  });
});
