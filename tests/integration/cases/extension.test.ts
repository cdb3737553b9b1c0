// 延期申请: while the 办结 deadline runs, the assignee asks for more days with a reason; the command
// centre grants them (the deadline moves, the case is not marked late at the old one) or refuses
// them. A request left undecided past the deadline lapses. Real server, both engines, a ManualClock
// and the overdue scheduler's scan() as the deadline tests use them; the township hears the answer
// on its socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/clock';
import type { CaseEventMessage } from '../../../shared/realtime';
import type { CaseView } from '../../../shared/cases';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { act, actOn, clueAt, getCase, pointIn, report } from '../../support/cases';
import { connectSocket, waitConnected, waitFor } from '../../support/socket';

const DONGCHENG = '140581002';
const BEICHENG = '140581001';
const HOUR = 3600_000;
const DAY = 24 * HOUR;
// 2026-05-01 08:00 in Shanghai.
const T0 = Date.UTC(2026, 4, 1, 0, 0, 0);

describe.each(ENGINES)('extension of the finish deadline (延期) on %s', (engine) => {
  let server: TestServer;
  const clock = new ManualClock(T0);
  let commander: string;
  let dongcheng: string;
  let beicheng: string;
  let index = 0;

  async function at(hours: number): Promise<void> {
    clock.set(T0 + hours * HOUR);
    commander = await tokenFor(server, 'commander1', 'commander');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    beicheng = await tokenFor(server, 'beicheng', 'township', { kind: 'township', code: BEICHENG });
  }
  const step = (token: string, c: CaseView, body: Record<string, unknown>) => actOn(server, token, c, body);
  async function refused(token: string, c: CaseView, body: Record<string, unknown>) {
    const r = await act(server, token, c.id, { version: c.version, ...body });
    // Whatever was refused changed nothing.
    const now = (await getCase(server, commander, c.id)).body.case as CaseView;
    expect(now.version).toBe(c.version);
    expect(now.deadlines.finish).toBe(c.deadlines.finish);
    return r;
  }
  const read = async (id: string) => (await getCase(server, commander, id)).body.case as CaseView;
  /** The cases a handover now would list under 延期审批. */
  const handedOver = async () => {
    const r = await call(server.url, commander, 'GET', '/api/handovers/current');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return (r.body.summary.pending.extension.cases as Array<{ id: string }>).map((x) => x.id);
  };
  /** A case with 东城, accepted, its team on site: only the 办结 clock (72 h from dispatch) runs. */
  async function working(): Promise<CaseView> {
    let c = (await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, index++)))).body
      .case as CaseView;
    c = await step(dongcheng, c, { action: 'acknowledge' });
    c = await step(dongcheng, c, { action: 'start' });
    return step(dongcheng, c, { action: 'arrive' });
  }

  beforeAll(async () => {
    server = await startTestServer({ engine, clock });
    await at(0);
  });
  afterAll(() => server?.close());

  it('grants the days asked: the finish deadline moves, nothing is late at the old one, the township hears it', async () => {
    let c = await working();
    const due = c.deadlines.finish!;
    expect(due).toBe(T0 + 72 * HOUR);
    expect(c.extensionRequest).toBeNull();

    await at(10);
    c = await step(dongcheng, c, {
      action: 'request_extension',
      days: 5,
      reason: '当事人外出，需等待其返回后现场处置',
    });
    expect(c.status).toBe('in_progress');
    expect(c.deadlines.finish).toBe(due); // asking moves nothing
    expect(c.extensionRequest).toMatchObject({
      days: 5,
      reason: '当事人外出，需等待其返回后现场处置',
      at: T0 + 10 * HOUR,
      finishDue: due,
      until: due + 5 * DAY,
    });
    expect(c.extensionRequest!.by).toBeTruthy();
    expect(await handedOver()).toContain(c.id);

    // One request at a time; the centre decides, not the township; the township asks, not the centre.
    const twice = await refused(dongcheng, c, { action: 'request_extension', days: 2, reason: '再延' });
    expect(twice.status).toBe(422);
    expect(twice.body.error).toContain('已有待审批的延期申请');
    expect((await refused(dongcheng, c, { action: 'approve_extension' })).status).toBe(403);
    expect((await refused(commander, c, { action: 'request_extension', days: 2, reason: 'x' })).status).toBe(
      403,
    );
    // Another township sees nothing of it.
    expect((await refused(beicheng, c, { action: 'request_extension', days: 2, reason: 'x' })).status).toBe(
      404,
    );

    // The centre grants 3 of the 5 days; the township's desk hears it live.
    const socket = connectSocket(server.url, dongcheng);
    try {
      await waitConnected(socket);
      const heard = waitFor(socket, 'case:events', (events: CaseEventMessage[]) =>
        events.some((e) => e.caseId === c.id && e.type === 'approve_extension'),
      );
      await at(20);
      c = await step(commander, c, { action: 'approve_extension', days: 3, note: '同意延期3天' });
      const message = (await heard).find((e) => e.type === 'approve_extension')!;
      expect(message.case.deadlines.finish).toBe(due + 3 * DAY);
    } finally {
      socket.close();
    }
    expect(c.deadlines.finish).toBe(due + 3 * DAY);
    expect(c.extensionRequest).toBeNull();
    expect(c.extensions).toBe(1);
    expect(await handedOver()).not.toContain(c.id);
    const granted = (await read(c.id)).timeline!.find((e) => e.type === 'approve_extension')!;
    expect(granted.payload).toMatchObject({
      days: 3,
      requestedDays: 5,
      finishDueWas: due,
      extendedTo: due + 3 * DAY,
    });
    // Nothing left to decide.
    expect((await refused(commander, c, { action: 'deny_extension', reason: '不同意' })).status).toBe(422);

    // The old deadline passes unmarked; resolved before the new one, the case closes on time.
    await at(100);
    await server.handle.ctx.caseDeadlines.scan();
    c = await read(c.id);
    expect(c.overdue).toBe(false);
    expect(c.timeline!.filter((e) => e.type === 'overdue')).toEqual([]);
    c = await step(dongcheng, c, { action: 'resolve', result: '已处置完毕' });
    await step(commander, c, { action: 'verify_pass' });
    const row = await server.store.db
      .selectFrom('cases')
      .select('closed_on_time')
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.closed_on_time)).toBe(1);
  });

  it('refuses with a reason: the deadline stays, and the township may ask again', async () => {
    await at(0);
    let c = await working();
    const due = c.deadlines.finish!;
    c = await step(dongcheng, c, { action: 'request_extension', days: 7, reason: '需协调县自然资源局' });
    const noReason = await refused(commander, c, { action: 'deny_extension' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.field).toBe('body.reason');
    c = await step(commander, c, { action: 'deny_extension', reason: '时限内可以办结，不同意延期' });
    expect(c.extensionRequest).toBeNull();
    expect(c.deadlines.finish).toBe(due);
    expect(c.extensions).toBe(0);
    expect((await read(c.id)).timeline!.at(-1)).toMatchObject({
      type: 'deny_extension',
      payload: { reason: '时限内可以办结，不同意延期', days: 7 },
    });
    c = await step(dongcheng, c, { action: 'request_extension', days: 2, reason: '当事人下周返回' });
    expect(c.extensionRequest).toMatchObject({ days: 2, until: due + 2 * DAY });
  });

  it('grants from the deadline as a 责令整改 moved it, and takes one decision of two sent at once', async () => {
    await at(0);
    let c = await working();
    // At T0+2 h, 70 h left: ordered to rectify by T0+100 h, the finish deadline moves to T0+170 h.
    await at(2);
    c = await step(dongcheng, c, { action: 'order_rectification', deadline: T0 + 100 * HOUR });
    expect(c.deadlines.finish).toBe(T0 + 170 * HOUR);
    c = await step(dongcheng, c, { action: 'request_extension', days: 2, reason: '整改期间当事人外出' });
    expect(c.status).toBe('rectifying');
    expect(c.extensionRequest).toMatchObject({ finishDue: T0 + 170 * HOUR, until: T0 + 218 * HOUR });
    // Two operators answer the same request at once: one decision is taken, the other is told.
    const [a, b] = await Promise.all([
      act(server, commander, c.id, { version: c.version, action: 'approve_extension' }),
      act(server, commander, c.id, { version: c.version, action: 'deny_extension', reason: '不同意' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const after = await read(c.id);
    expect(after.version).toBe(c.version + 1);
    expect(after.timeline!.filter((e) => /_extension$/.test(e.type)).map((e) => e.type)).toHaveLength(2);
    expect(after.deadlines.finish).toBe(a.status === 200 ? T0 + 218 * HOUR : T0 + 170 * HOUR);
  });

  it('lets a request lapse when the deadline passes undecided, and takes none once it has passed', async () => {
    await at(0);
    let c = await working();
    c = await step(dongcheng, c, { action: 'request_extension', days: 3, reason: '等待检测报告' });
    await at(73);
    await server.handle.ctx.caseDeadlines.scan();
    c = await read(c.id);
    expect(c.overdue).toBe(true);
    expect(c.extensionRequest).toBeNull();
    expect(await handedOver()).not.toContain(c.id);
    for (const action of ['approve_extension', 'deny_extension']) {
      const late = await refused(commander, c, {
        action,
        ...(action === 'deny_extension' ? { reason: '不同意' } : {}),
      });
      expect(late.status).toBe(422);
      expect(late.body.error).toContain('延期申请已失效');
    }
    const again = await refused(dongcheng, c, {
      action: 'request_extension',
      days: 3,
      reason: '等待检测报告',
    });
    expect(again.status).toBe(422);
    expect(again.body.error).toContain('办结时限已过');
  });

  it('drops a waiting request when the case is reassigned, and asks for none before the task is accepted', async () => {
    await at(0);
    let c = (await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, index++)))).body
      .case as CaseView;
    const early = await refused(dongcheng, c, { action: 'request_extension', days: 1, reason: '未签收' });
    expect(early.status).toBe(422);
    c = await step(dongcheng, c, { action: 'acknowledge' });
    c = await step(dongcheng, c, { action: 'request_extension', days: 1, reason: '人手不足' });
    c = await step(commander, c, {
      action: 'reassign',
      assignee: { kind: 'department', code: 'cgj' },
      reason: '改由城管局办理',
    });
    expect(c.extensionRequest).toBeNull();
    const row = await server.store.db
      .selectFrom('cases')
      .select('extension_request')
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(row.extension_request).toBeNull();
  });

  it.each([
    [{ days: 0 }, 'body.days'],
    [{ days: 31 }, 'body.days'],
    [{ days: 1.5 }, 'body.days'],
    [{ days: '3' }, 'body.days'],
    [{ days: 3, reason: '' }, 'body.reason'],
    [{ days: 3, reason: '理由', until: T0 }, 'body.until'],
  ])('refuses a bad request %j naming %s', async (fields, field) => {
    await at(0);
    const c = await working();
    const r = await refused(dongcheng, c, { action: 'request_extension', reason: '理由', ...fields });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.field).toBe(field);
    expect((await read(c.id)).extensionRequest).toBeNull();
  });
});
