// The whole lifecycle through the HTTP API on both engines: routing, every transition, every
// refusal, and the audit trail each step leaves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/clock';
import type { CaseEventMessage } from '../../../server/events/bus';
import type { CaseEvent, CaseView } from '../../../shared/cases';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { tokenFor } from '../../support/auth';
import { fetchEvents } from '../../support/case-mirror';
import { collectCaseEvents, connectSocket, waitFor, waitForCaseEvent } from '../../support/socket';
import { act, clueAt, getCase, pointIn, pointNearBoundary, report } from '../../support/cases';

const DONGCHENG = '140581002';
const MISHAN = '140581101';
const HOUR = 3600_000;

describe.each(ENGINES)('case lifecycle on %s', (engine) => {
  let server: TestServer;
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 1, 0, 0));
  let commander: string;
  let leader: string;
  let dongcheng: string;
  let mishan: string;
  let zrzyj: string;
  let admin: string;
  const published: CaseEventMessage[] = [];
  const visible: Array<Promise<boolean>> = [];

  beforeAll(async () => {
    server = await startTestServer({ engine, clock });
    commander = await tokenFor(server, 'commander1', 'commander');
    leader = await tokenFor(server, 'leader1', 'leader');
    admin = await tokenFor(server, 'admin1', 'admin');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    mishan = await tokenFor(server, 'mishan', 'township', { kind: 'township', code: MISHAN });
    zrzyj = await tokenFor(server, 'zrzyj1', 'department', { kind: 'department', code: 'zrzyj' });
    for (const [id, code, name] of [
      ['team-1', DONGCHENG, '东城街道'],
      ['team-mishan', MISHAN, '米山镇'],
    ] as const)
      await server.handle.ctx.teams.createTeam({
        id,
        name: `${name}综合行政执法队`,
        kind: 'township',
        ownerCode: code,
        ownerName: name,
        members: [],
        devices: [],
      });
    server.handle.ctx.bus.on('case:event', (m) => {
      published.push(m);
      // Read from another connection (PostgreSQL pool) right away: the event must already be
      // committed when it is published.
      visible.push(
        server.store.db
          .selectFrom('case_events')
          .select('seq')
          .where('seq', '=', m.event.seq)
          .executeTakeFirst()
          .then((r) => r !== undefined),
      );
    });
  });
  afterAll(() => server?.close());

  const geo = () => server.handle.ctx.geo;

  async function newCase(
    over: Record<string, unknown> = {},
    token = commander,
    index = 0,
  ): Promise<CaseView> {
    const r = await report(server, token, clueAt(pointIn(geo(), DONGCHENG, index), over));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.case as CaseView;
  }

  async function step(
    token: string,
    c: CaseView,
    body: Record<string, unknown>,
    status = 200,
  ): Promise<CaseView> {
    const r = await act(server, token, c.id, { version: c.version, ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return (status === 200 ? r.body.case : c) as CaseView;
  }

  it('routes a delegated matter to the township and dispatches it at once', async () => {
    const c = await newCase();
    expect(c.status).toBe('dispatched');
    expect(c.route.assignee).toEqual({ kind: 'township', code: DONGCHENG, name: '东城街道' });
    expect(c.route.reason).toContain('事项已赋权东城街道');
    expect(c.assignee?.code).toBe(DONGCHENG);
    expect(c.deadlines.acknowledge).toBe(clock.now() + 1 * HOUR);
    expect(c.deadlines.finish).toBe(clock.now() + 72 * HOUR);
    expect(c.location.township.code).toBe(DONGCHENG);
    expect(c.location.micro.code.startsWith(DONGCHENG)).toBe(true);
  });

  it('routes a matter not delegated there to the owning department, the township cooperating', async () => {
    const c = await newCase({ matterCode: 'ZR01', description: '城区边缘耕地上堆土建房' });
    expect(c.route.assignee).toEqual({ kind: 'department', code: 'zrzyj', name: '高平市自然资源局' });
    expect(c.route.cooperating).toEqual([{ kind: 'township', code: DONGCHENG, name: '东城街道' }]);
    expect(c.route.reason).toBe('未赋权乡镇，由高平市自然资源局主办，东城街道配合');
    // The same matter in a town that holds it goes to the town.
    const r = await report(server, commander, clueAt(pointIn(geo(), MISHAN), { matterCode: 'ZR01' }));
    expect(r.body.case.route.assignee.code).toBe(MISHAN);
    expect(r.body.case.route.reason).toContain('事项已赋权米山镇');
  });

  it('keeps a case near a township boundary reported for the operator', async () => {
    const p = pointNearBoundary(geo(), DONGCHENG);
    const r = await report(server, commander, clueAt(p, { matterCode: 'SR05' }));
    expect(r.status).toBe(201);
    expect(r.body.case.status).toBe('reported');
    expect(r.body.case.assignee).toBeNull();
    expect(r.body.case.route.needsReview).toBe(true);
    expect(r.body.case.route.reason).toContain('边界');
  });

  it('names the township across a near boundary and how far, kept with the case; the county edge alone is no boundary', async () => {
    // In 寺庄镇, 24 m from its border with 石末乡.
    const r = await report(server, commander, clueAt([112.825144, 35.805962], { matterCode: 'SR05' }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.case.status).toBe('reported');
    expect(r.body.case.route.needsReview).toBe(true);
    expect(r.body.case.route.reason).toContain('；距石末乡边界约 24 米，请坐席确认归属');
    const stored = await getCase(server, commander, r.body.case.id);
    expect(stored.body.case.location).toMatchObject({
      township: { name: '寺庄镇' },
      nearBoundary: true,
      neighbour: { township: { code: '140581202', name: '石末乡' }, meters: 24 },
    });
    // 20 m from the county's edge, 4.4 km from any other township: nobody else to choose, so no
    // review on that account: dispatched at once.
    const edge = await report(server, commander, clueAt([112.714339, 35.805485], { matterCode: 'SR05' }));
    expect(edge.status, JSON.stringify(edge.body)).toBe(201);
    expect(edge.body.case.location.nearBoundary).toBe(false);
    expect(edge.body.case.route.reason).not.toContain('边界');
    expect(edge.body.case.status).toBe('dispatched');
  });

  it('links a possible duplicate (same matter within 50 m) and leaves it reported', async () => {
    const first = await newCase({ matterCode: 'SR03' }, commander, 3);
    const p = pointIn(geo(), DONGCHENG, 3);
    const r = await report(server, commander, clueAt([p[0] + 0.0002, p[1]], { matterCode: 'SR03' })); // ≈18 m east
    expect(r.body.case.status).toBe('reported');
    expect(r.body.case.duplicateOf).toBe(first.id);
    expect(r.body.case.route.reason).toContain('疑似重复');
    // Not another matter at the same spot, nor the same matter ~90 m north or ~90 m east.
    for (const [dLng, dLat, matterCode] of [
      [0.0002, 0, 'SR04'],
      [0, 0.0008, 'SR03'],
      [0.001, 0, 'SR03'],
    ] as const) {
      const other = await report(server, commander, clueAt([p[0] + dLng, p[1] + dLat], { matterCode }));
      expect(other.status).toBe(201);
      expect(other.body.case.duplicateOf).toBeNull();
    }
    // Merge it into the first; the merged case is final. The township working on the first hears
    // of the second report live, on the first case; another township does not.
    const towns = [connectSocket(server.url, dongcheng), connectSocket(server.url, mishan)];
    const hellos = towns.map((s) => waitFor(s, 'hello'));
    try {
      await Promise.all(hellos);
      const heardByMishan = collectCaseEvents(towns[1]!);
      const heard = waitForCaseEvent(towns[0]!, (e) => e.type === 'merged_in');
      const merged = await step(commander, r.body.case, {
        action: 'merge',
        into: first.id,
        reason: '重复上报',
      });
      expect(merged.status).toBe('rejected');
      expect(merged.mergedInto).toBe(first.id);
      const notice = await heard;
      expect(notice.caseId).toBe(first.id);
      expect(notice.case.version).toBe(first.version); // the original itself is unchanged
      expect(notice.actor.displayName).toBeTruthy();
      expect(notice.payload).toEqual({
        merged: merged.id,
        no: merged.no,
        source: merged.source,
        description: merged.description,
        reason: '重复上报',
      });
      // Recorded on the original's timeline, right after the duplicate's own merge event.
      const timeline = (await getCase(server, dongcheng, first.id)).body.case.timeline as CaseEvent[];
      const last = timeline[timeline.length - 1]!;
      expect(last).toMatchObject({ type: 'merged_in', payload: notice.payload, seq: notice.seq });
      const own = (await getCase(server, commander, merged.id)).body.case.timeline as CaseEvent[];
      expect(own[own.length - 1]).toMatchObject({ type: 'merge', seq: notice.seq - 1 });
      // And replayed to a township that reconnects (GET /api/events), which mishan never sees.
      const missed = await fetchEvents(server.url, dongcheng, notice.seq - 1);
      expect(missed.map((e) => [e.type, e.caseId])).toContainEqual(['merged_in', first.id]);
      expect(await fetchEvents(server.url, mishan, notice.seq - 2)).toEqual([]);
      await step(commander, merged, { action: 'dispatch' }, 422);
      // A later event on the first case reaches dongcheng; mishan has heard nothing of either case.
      const escalated = waitForCaseEvent(towns[0]!, (e) => e.type === 'escalate' && e.caseId === first.id);
      await step(commander, first, { action: 'escalate', reason: '尽快处置' });
      await escalated;
      expect(heardByMishan.filter((e) => e.caseId === first.id || e.caseId === merged.id)).toEqual([]);
    } finally {
      for (const s of towns) s.close();
    }
    const merged = (await getCase(server, commander, r.body.case.id)).body.case as CaseView;
    // The original keeps the second report: its number, words and caller, for whoever works on it
    // (the township too, which may see the original).
    for (const token of [commander, dongcheng]) {
      const original = (await getCase(server, token, first.id)).body.case as CaseView;
      expect(original.mergedFrom).toEqual([
        {
          id: merged.id,
          no: merged.no,
          createdAt: merged.createdAt,
          source: merged.source,
          description: merged.description,
          reporter: merged.reporter,
          photos: merged.photos,
        },
      ]);
    }
    expect((await getCase(server, commander, merged.id)).body.case.mergedFrom).toEqual([]);
  });

  it('carries the reports merged into a case along when that case is merged in turn', async () => {
    const at = pointIn(geo(), DONGCHENG, 11);
    const d = (await report(server, commander, clueAt(at, { matterCode: 'SR04', description: '原案' }))).body
      .case as CaseView;
    const c = (await report(server, commander, clueAt(at, { matterCode: 'SR04', description: '第二次' })))
      .body.case as CaseView;
    const b = (await report(server, commander, clueAt(at, { matterCode: 'SR04', description: '第三次' })))
      .body.case as CaseView;
    expect([c.status, b.status]).toEqual(['reported', 'reported']); // both held as possible duplicates
    await step(commander, b, { action: 'merge', into: c.id });
    await step(commander, (await getCase(server, commander, c.id)).body.case, {
      action: 'merge',
      into: d.id,
    });
    const original = (await getCase(server, dongcheng, d.id)).body.case as CaseView;
    // Both callers' words are with the case the work is done on; none is left on the merged one.
    expect(original.mergedFrom!.map((m) => m.description).sort()).toEqual(['第三次', '第二次']);
    expect((await getCase(server, commander, c.id)).body.case.mergedFrom).toEqual([]);
    expect((await getCase(server, commander, b.id)).body.case.mergedInto).toBe(d.id);
    const last = original.timeline![original.timeline!.length - 1]!;
    expect(last).toMatchObject({ type: 'merged_in', payload: { merged: c.id, carried: [b.id] } });
  });

  it('runs the whole lifecycle with rectification, rework and closure, recording every step', async () => {
    published.length = 0;
    let c = await newCase({ matterCode: 'SR08', description: '店外经营占用人行道' }, commander, 1);
    clock.advance(20 * 60_000);
    c = await step(dongcheng, c, { action: 'acknowledge', note: '已签收' });
    expect(c.status).toBe('accepted');
    expect(c.acknowledgedAt).toBe(clock.now());
    // Only one of the unit's own teams may be sent, and nothing is recorded otherwise.
    for (const [teamId, words] of [
      ['team-mishan', '不属于承办单位'],
      ['no-such-team', '没有队伍'],
      ['../../team-1', '没有队伍'],
    ] as const) {
      const refused = await act(server, dongcheng, c.id, { action: 'start', version: c.version, teamId });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ field: 'body.teamId' });
      expect(refused.body.error).toContain(words);
    }
    c = await step(dongcheng, c, { action: 'start', personnel: 3, teamId: 'team-1' });
    expect(c.status).toBe('in_progress');
    clock.advance(25 * 60_000);
    // An arrival's position: numbers as JSON has them, both or neither, near the case.
    for (const [body, status, field] of [
      [{ lng: '', lat: '' }, 400, 'body.lng'],
      [{ lng: null, lat: null }, 400, 'body.lng'],
      [{ lng: '0x70', lat: 35.8 }, 400, 'body.lng'],
      [{ lng: c.lng }, 400, 'body.lat'],
      [{ lng: -179, lat: -89 }, 422, 'body.lng'],
    ] as const) {
      const refused = await act(server, dongcheng, c.id, { action: 'arrive', version: c.version, ...body });
      expect(refused.status, JSON.stringify(body)).toBe(status);
      expect(refused.body).toMatchObject({ field });
    }
    expect((await getCase(server, dongcheng, c.id)).body.case.version).toBe(c.version);
    c = await step(dongcheng, c, { action: 'arrive' });
    expect(c.arrivedAt).toBe(clock.now());
    const arrivedAt = c.arrivedAt;
    clock.advance(60_000);
    c = await step(dongcheng, c, { action: 'arrive' }); // a second arrival keeps the first time
    expect(c.arrivedAt).toBe(arrivedAt);
    c = await step(dongcheng, c, { action: 'order_rectification' });
    expect(c.status).toBe('rectifying');
    // The rectification's clock starts with the order.
    expect(c.statusSince).toBe(clock.now());
    expect(c.deadlines.rectify).toBe(clock.now() + 7 * 86_400_000);
    clock.advance(2 * HOUR);
    c = await step(dongcheng, c, { action: 'report_rectified', note: '已清理' });
    expect(c.status).toBe('in_progress');
    expect(c.statusSince).toBe(clock.now());
    c = await step(dongcheng, c, {
      action: 'resolve',
      result: '当事人已整改，恢复通行',
      evidence: ['p1.jpg'],
    });
    expect(c.status).toBe('resolved');
    c = await step(commander, c, { action: 'verify_fail', reason: '现场仍有杂物' });
    expect(c.status).toBe('in_progress');
    expect(c.deadlineState.finish?.metAt).toBeNull();
    c = await step(dongcheng, c, { action: 'resolve', result: '杂物已清运' });
    expect(c.escalatedAt).toBeNull();
    c = await step(commander, c, { action: 'escalate', reason: '请加快办理' }, 200);
    expect(c.escalations).toBe(1);
    expect(c.escalatedAt).toBe(clock.now());
    expect(c.status).toBe('resolved');
    c = await step(commander, c, { action: 'verify_pass' });
    expect(c.status).toBe('closed');
    expect(c.closedAt).toBe(clock.now());

    const full = (await getCase(server, leader, c.id)).body.case as CaseView;
    const types = full.timeline!.map((e) => e.type);
    expect(types).toEqual([
      'created',
      'dispatch',
      'acknowledge',
      'start',
      'arrive',
      'arrive',
      'order_rectification',
      'report_rectified',
      'resolve',
      'verify_fail',
      'resolve',
      'escalate',
      'verify_pass',
    ]);
    const seqs = full.timeline!.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(full.timeline![2]!.actor.username).toBe('dongcheng');
    expect(full.timeline![9]!.payload.reason).toBe('现场仍有杂物');
    expect(full.version).toBe(1 + types.length - 1);
    // One bus message per stored event, after commit, carrying the case as it then was.
    const mine = published.filter((m) => m.event.caseId === c.id);
    expect(mine.map((m) => m.event.seq)).toEqual(seqs);
    expect(mine.at(-1)!.caseView.status).toBe('closed');
    expect(mine.at(-1)!.caseView.parties).toContainEqual({ kind: 'township', code: DONGCHENG });
    expect(await Promise.all(visible)).not.toContain(false);

    // closed is final
    await step(commander, full, { action: 'escalate', reason: '结案后督办' }, 422);
    await step(commander, full, { action: 'reassign', assignee: { kind: 'township', code: MISHAN } }, 422);
  });

  it('returns to the command centre, which re-dispatches (optionally elsewhere) or rejects', async () => {
    let c = await newCase({ matterCode: 'SR06' }, commander, 2);
    await step(dongcheng, c, { action: 'return' }, 400); // reason required
    // A field the action does not take is refused by name, not dropped unseen (a dispatch's words
    // go in its note; a reason sent with it would be lost).
    const extra = await act(server, dongcheng, c.id, {
      version: c.version,
      action: 'acknowledge',
      reason: '好',
    });
    expect(extra.status).toBe(400);
    expect(extra.body.field).toBe('body.reason');
    c = await step(dongcheng, c, { action: 'return', reason: '不属于本街道辖区' });
    expect(c.status).toBe('returned');
    expect(c.assignee).toBeNull();
    // Its 30 minutes to re-dispatch run from the 退回: a 督办 20 minutes later changes the case, not that.
    const returnedAt = clock.now();
    expect(c.statusSince).toBe(returnedAt);
    clock.advance(20 * 60_000);
    c = await step(commander, c, { action: 'escalate', reason: '请尽快改派' });
    expect(c.updatedAt).toBe(clock.now());
    expect(c.statusSince).toBe(returnedAt);
    expect((await getCase(server, commander, c.id)).body.case.statusSince).toBe(returnedAt);
    await step(dongcheng, c, { action: 'acknowledge' }, 422);
    c = await step(commander, c, { action: 'dispatch', assignee: { kind: 'department', code: 'cgj' } });
    expect(c.status).toBe('dispatched');
    expect(c.assignee).toEqual({ kind: 'department', code: 'cgj', name: '高平市城市管理局' });
    expect(c.cooperating.map((p) => p.code)).toEqual([DONGCHENG]);
    await step(dongcheng, c, { action: 'acknowledge' }, 403); // no longer the assignee
    c = await step(commander, c, {
      action: 'reassign',
      assignee: { kind: 'township', code: DONGCHENG },
      reason: '改回街道',
    });
    expect(c.assignee?.code).toBe(DONGCHENG);
    await step(commander, c, { action: 'reassign', assignee: { kind: 'township', code: DONGCHENG } }, 422);
    await step(commander, c, { action: 'reassign', assignee: { kind: 'township', code: '140581999' } }, 422);
    c = await step(dongcheng, c, { action: 'return', reason: '仍需调整' });
    c = await step(commander, c, { action: 'reject', reason: '经核实不属实' });
    expect(c.status).toBe('rejected');
    expect(Object.values(c.deadlineState).every((d) => d.metAt !== null)).toBe(true);
  });

  it('refuses what the role, scope, version or state does not allow, each with its status', async () => {
    const c = await newCase({ matterCode: 'SR02' }, commander, 4);
    // 403: role
    await step(leader, c, { action: 'acknowledge' }, 403);
    await step(leader, c, { action: 'escalate', reason: 'x' }, 403);
    await step(dongcheng, c, { action: 'dispatch' }, 403);
    await step(dongcheng, c, { action: 'verify_pass' }, 403);
    // 404: a township that cannot see the case; 403: a department that can see nothing to do here
    await step(mishan, c, { action: 'acknowledge' }, 404);
    // 409: stale version
    const stale = await act(server, dongcheng, c.id, { action: 'acknowledge', version: c.version - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatch(/版本|version/);
    expect(stale.body.currentVersion).toBe(c.version);
    // 422: illegal in this state, with a clear message
    const illegal = await act(server, dongcheng, c.id, {
      action: 'resolve',
      version: c.version,
      result: 'x',
    });
    expect(illegal.status).toBe(422);
    expect(illegal.body.error).toContain('已派遣');
    await step(commander, c, { action: 'verify_pass' }, 422);
    // 400: unknown action, missing version, missing fields
    expect((await act(server, commander, c.id, { action: 'fly', version: 1 })).status).toBe(400);
    expect((await act(server, commander, c.id, { action: 'escalate' })).status).toBe(400);
    const noReason = await act(server, commander, c.id, { action: 'escalate', version: c.version });
    expect(noReason.status).toBe(400);
    expect(noReason.body.field).toBe('body.reason');
    // 404: no such case; 401: no token
    expect(
      (await act(server, commander, 'nope', { action: 'escalate', version: 1, reason: 'x' })).status,
    ).toBe(404);
    expect((await act(server, null, c.id, { action: 'escalate', version: 1, reason: 'x' })).status).toBe(401);
    // admin may stand in for the assignee
    const ok = await step(admin, c, { action: 'acknowledge' });
    expect(ok.status).toBe('accepted');
    // order_rectification with a deadline in the past
    const started = await step(admin, ok, { action: 'start' });
    await step(admin, started, { action: 'order_rectification', deadline: clock.now() - 1 }, 422);
    // a department acts on cases it is assigned, sees those it cooperates on
    const dept = await newCase({ matterCode: 'ZR04' }, commander, 5);
    const seen = await getCase(server, zrzyj, dept.id);
    expect(seen.status).toBe(200);
    await step(dongcheng, dept, { action: 'acknowledge' }, 403); // cooperating only
    await step(zrzyj, dept, { action: 'acknowledge' });
  });

  it('answers 404 for a case outside the caller’s scope', async () => {
    const c = await newCase({ matterCode: 'SR04' }, commander, 6);
    expect((await getCase(server, mishan, c.id)).status).toBe(404);
    expect((await getCase(server, dongcheng, c.id)).status).toBe(200);
    expect((await getCase(server, leader, c.id)).status).toBe(200);
  });
});

describe('AUTO_DISPATCH=off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { AUTO_DISPATCH: 'off' } });
  });
  afterAll(() => server?.close());

  it('leaves every case reported with its route for the operator', async () => {
    const token = await tokenFor(server, 'op', 'commander');
    const r = await report(server, token, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG)));
    expect(r.status).toBe(201);
    expect(r.body.case.status).toBe('reported');
    expect(r.body.case.route.assignee.code).toBe(DONGCHENG);
    expect(r.body.case.deadlines.acknowledge).toBeNull();
    const d = await act(server, token, r.body.case.id, { action: 'dispatch', version: 1 });
    expect(d.status).toBe(200);
    expect(d.body.case.assignee.code).toBe(DONGCHENG);
    expect(d.body.case.deadlines.acknowledge).not.toBeNull();
  });
});
