// 交接班 against the real server: the shift's summary counted from the stored case events and the
// open cases, a handover kept with its note and taken once, live to the command centre's sockets,
// and every bad request refused naming the field with nothing stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/clock';
import type { CaseView } from '../../../shared/cases';
import { HANDOVER_NOTE_MAX, SHIFT_MAX_MS, type CurrentShift, type Handover } from '../../../shared/handovers';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, TEST_PASSWORD, tokenFor } from '../../support/auth';
import { act, clueAt, pointIn, report } from '../../support/cases';
import { collect, connectSocket, waitConnected, waitFor, type ClientSocket } from '../../support/socket';

const DONGCHENG = '140581002';
const HOUR = 3600_000;

describe.each(ENGINES)('交接班 on %s', (engine) => {
  let server: TestServer;
  const clock = new ManualClock(Date.UTC(2026, 4, 1, 0, 0, 0));
  let commander: string;
  let admin: string;
  let leader: string;
  let dongcheng: string;
  let wall: ClientSocket;
  let desk: ClientSocket;

  beforeAll(async () => {
    // Clues wait for the operator (no automatic dispatch), as the queue's 待派遣 shows them.
    server = await startTestServer({ engine, clock, env: { AUTO_DISPATCH: 'off' } });
    commander = await operator('zhang', '张坐席', 'commander');
    admin = await operator('li', '李坐席', 'admin');
    leader = await tokenFor(server, 'leader1', 'leader');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    wall = connectSocket(server.url, admin);
    desk = connectSocket(server.url, dongcheng);
    await Promise.all([waitConnected(wall), waitConnected(desk)]);
  });
  afterAll(async () => {
    wall?.close();
    desk?.close();
    await server?.close();
  });

  /** An operator signed in under their own name (what a handover records). */
  const operator = async (username: string, displayName: string, role: 'commander' | 'admin') => {
    await server.handle.ctx.users.ensure({
      username,
      displayName,
      role,
      scope: { kind: 'county' },
      password: TEST_PASSWORD,
    });
    return tokenFor(server, username, role);
  };
  const current = async (token = commander) => {
    const r = await call<CurrentShift>(server.url, token, 'GET', '/api/handovers/current');
    expect(r.status).toBe(200);
    return r.body;
  };
  const list = async () =>
    (await call<{ handovers: Handover[] }>(server.url, commander, 'GET', '/api/handovers?limit=100')).body
      .handovers;
  const clue = async (i: number): Promise<CaseView> => {
    const r = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, i)));
    expect(r.status).toBe(201);
    return r.body.case as CaseView;
  };
  const step = async (token: string, c: CaseView, body: Record<string, unknown>): Promise<CaseView> => {
    const r = await act(server, token, c.id, { ...body, version: c.version });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.case as CaseView;
  };

  let first: Handover;
  let awaiting: CaseView;
  let dispatched: CaseView;

  it('sums up the shift so far from the case events, and lists what is left open as the queue does', async () => {
    dispatched = await clue(0);
    const rejected = await clue(1);
    awaiting = await clue(2);
    clock.advance(60_000);
    dispatched = await step(commander, dispatched, { action: 'dispatch' });
    await step(commander, rejected, { action: 'reject', reason: '重复上报' });
    dispatched = await step(commander, dispatched, { action: 'escalate', reason: '请尽快签收' });

    const now = clock.now();
    const { summary, latest } = await current();
    expect(latest).toBeNull();
    // No handover yet: the shift is the last 24 hours.
    expect(summary.from).toBe(now - SHIFT_MAX_MS);
    expect(summary.to).toBe(now);
    expect(summary.activity).toEqual({
      reported: 3,
      dispatched: 1,
      reassigned: 0,
      rejected: 1,
      returned: 0,
      resolved: 0,
      closed: 0,
      reworked: 0,
      escalated: 1,
      extended: 0,
      extensionDenied: 0,
      overdue: 0,
    });
    expect(summary.pending.reported).toEqual({ count: 1, cases: [{ id: awaiting.id, no: awaiting.no }] });
    expect(summary.pending.returned.count).toBe(0);
    expect(summary.pending.overdue.count).toBe(0);
    expect(summary.pending.resolved.count).toBe(0);
    // A leader reads it; a township does not.
    expect((await current(leader)).summary.activity.reported).toBe(3);
    expect((await call(server.url, dongcheng, 'GET', '/api/handovers/current')).status).toBe(403);
    expect((await call(server.url, null, 'GET', '/api/handovers/current')).status).toBe(401);
  });

  it('keeps a handover with the summary of that moment and the note, and tells the command centre live', async () => {
    const wallHears = waitFor(wall, 'handover');
    const deskHeard = collect(desk, 'handover');
    const r = await call<{ handover: Handover }>(server.url, commander, 'POST', '/api/handovers', {
      note: '  20260501 那件占道经营待核实位置，请接班后先联系东城街道。  ',
    });
    expect(r.status).toBe(201);
    first = r.body.handover;
    expect(first.note).toBe('20260501 那件占道经营待核实位置，请接班后先联系东城街道。');
    expect(first.by.name).toBe('张坐席');
    expect(first.at).toBe(clock.now());
    expect(first.taken).toBeNull();
    expect(first.summary.activity.reported).toBe(3);
    expect(first.summary.pending.reported?.cases).toEqual([{ id: awaiting.id, no: awaiting.no }]);
    expect(await wallHears).toEqual(first);

    // The next shift starts at the handover: what happens after it is the next shift's.
    clock.advance(HOUR);
    const deskHearsClue = waitFor(desk, 'case:events', (events) => events.some((e) => e.type === 'created'));
    const later = await clue(3);
    // The township's desk hears the clue sent after the handover, and not the handover: it is not in
    // the county room, and packets to one socket keep their order.
    expect((await deskHearsClue).some((e) => e.caseId === later.id)).toBe(true);
    expect(deskHeard).toEqual([]);
    dispatched = await step(dongcheng, dispatched, { action: 'acknowledge' });
    // 延期: the township asks twice; the command centre grants the first and refuses the second.
    dispatched = await step(dongcheng, dispatched, {
      action: 'request_extension',
      days: 3,
      reason: '待鉴定',
    });
    dispatched = await step(commander, dispatched, { action: 'approve_extension' });
    dispatched = await step(dongcheng, dispatched, {
      action: 'request_extension',
      days: 2,
      reason: '再等两天',
    });
    dispatched = await step(commander, dispatched, { action: 'deny_extension', reason: '可按期办结' });
    const { summary, latest } = await current(admin);
    expect(latest).toEqual(first);
    expect(summary.from).toBe(first.at);
    expect(summary.activity).toMatchObject({
      reported: 1,
      dispatched: 0,
      rejected: 0,
      escalated: 0,
      extended: 1,
      extensionDenied: 1,
    });
    expect(summary.pending.reported).toEqual({
      count: 2,
      cases: [
        { id: awaiting.id, no: awaiting.no },
        { id: later.id, no: later.no },
      ],
    });
    // What was handed over stays as it was handed over.
    expect((await list())[0]).toEqual(first);
  });

  it('is taken over once: a second taker is told who took it, and the record keeps the first', async () => {
    const wallHears = waitFor(wall, 'handover', (h) => h.taken !== null);
    clock.advance(5 * 60_000);
    const took = await call<{ handover: Handover }>(
      server.url,
      admin,
      'POST',
      `/api/handovers/${first.id}/take`,
    );
    expect(took.status).toBe(200);
    expect(took.body.handover.taken).toEqual({
      at: clock.now(),
      by: { id: expect.any(String), name: '李坐席' },
    });
    expect(await wallHears).toEqual(took.body.handover);

    const again = await call(server.url, commander, 'POST', `/api/handovers/${first.id}/take`);
    expect(again.status).toBe(409);
    expect(again.body.error).toContain('李坐席');
    expect(again.body.handover).toEqual(took.body.handover);
    expect((await list())[0]!.taken).toEqual(took.body.handover.taken);
    expect((await call(server.url, commander, 'POST', '/api/handovers/no-such-id/take')).status).toBe(404);
  });

  it('counts an overdue case under 超时 (not twice), and a shift never reaches back beyond 24 hours', async () => {
    // SR01 占道经营: 1 h to acknowledge. The awaiting clue stays 待派遣 even when late.
    let late = await clue(4);
    late = await step(commander, late, { action: 'dispatch' });
    clock.advance(HOUR + 1);
    await server.handle.ctx.caseDeadlines.scan();
    const { summary } = await current();
    // Both dispatched cases missed a deadline (to acknowledge, to arrive); the 待派遣 clues are late
    // too, and stay under 待派遣.
    expect(summary.pending.overdue.cases.map((c) => c.id)).toEqual([dispatched.id, late.id]);
    expect(summary.pending.reported.cases.map((c) => c.id)).toContain(awaiting.id);
    expect(summary.pending.reported.cases.map((c) => c.id)).not.toContain(late.id);
    expect(summary.activity.overdue).toBeGreaterThanOrEqual(1);

    clock.advance(30 * HOUR);
    // Tokens last 12 h of the clock: everyone signs in again.
    commander = await operator('zhang', '张坐席', 'commander');
    admin = await operator('li', '李坐席', 'admin');
    leader = await tokenFor(server, 'leader1', 'leader');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    const long = await current();
    expect(long.summary.from).toBe(clock.now() - SHIFT_MAX_MS);
    expect(long.summary.activity.reported).toBe(0);
    expect(long.summary.pending.overdue.count).toBe(2);
  });

  it('refuses bad requests naming the field, lets only the command centre hand over, and stores nothing then', async () => {
    const before = await list();
    const bad: Array<[string, string | null, unknown, number, string | undefined]> = [
      ['a note too long', commander, { note: '字'.repeat(HANDOVER_NOTE_MAX + 1) }, 400, 'body.note'],
      ['a note that is not text', commander, { note: 42 }, 400, 'body.note'],
      ['a field it does not take', commander, { note: '好', from: 0 }, 400, 'body.from'],
      ['a leader', leader, { note: '好' }, 403, undefined],
      ['a township', dongcheng, { note: '好' }, 403, undefined],
      ['no session', null, { note: '好' }, 401, undefined],
    ];
    for (const [what, token, body, status, field] of bad) {
      const r = await call(server.url, token, 'POST', '/api/handovers', body);
      expect(r.status, what).toBe(status);
      if (field) expect(r.body.field, what).toBe(field);
    }
    // The note sent as plain text (not JSON) is refused, not taken as a handover without its note.
    const plain = await fetch(`${server.url}/api/handovers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${commander}`, 'Content-Type': 'text/plain' },
      body: '请接班后先联系东城街道',
    });
    expect(plain.status).toBe(400);
    expect(((await plain.json()) as { field: string }).field).toBe('body');
    expect((await call(server.url, commander, 'GET', '/api/handovers?limit=0')).body.field).toBe(
      'query.limit',
    );
    expect(await list()).toEqual(before);
    // An empty note is a handover all the same (the summary is the record).
    const bare = await call<{ handover: Handover }>(server.url, commander, 'POST', '/api/handovers', {});
    expect(bare.status).toBe(201);
    expect((await list()).length).toBe(before.length + 1);
    // Handed over again before anyone took it: the new one counts from the last, which stays on the
    // record untaken; only the latest may be taken.
    clock.advance(60_000);
    const again = await call<{ handover: Handover }>(server.url, commander, 'POST', '/api/handovers', {
      note: '补充：东城街道已回电',
    });
    expect(again.body.handover.summary.from).toBe(bare.body.handover.at);
    const older = await call(server.url, admin, 'POST', `/api/handovers/${bare.body.handover.id}/take`);
    expect(older.status).toBe(409);
    expect(older.body.handover.id).toBe(again.body.handover.id);
    expect((await list())[1]).toEqual(bare.body.handover);
    expect((await call(server.url, admin, 'POST', `/api/handovers/${'x'.repeat(65)}/take`)).status).toBe(404);
  });

  it('pages back through the handovers, newest first, each once, ties in time included', async () => {
    // Two more at the same moment (same `at`): the page boundary may fall between them.
    await call(server.url, commander, 'POST', '/api/handovers', { note: '同刻交班甲' });
    await call(server.url, commander, 'POST', '/api/handovers', { note: '同刻交班乙' });
    const all = await list();
    expect(all.length).toBeGreaterThanOrEqual(4);
    const paged: Handover[] = [];
    let before: string | undefined;
    for (let i = 0; i <= all.length; i++) {
      const q = `limit=1${before ? `&before=${before}` : ''}`;
      const r = await call<{ handovers: Handover[]; more: boolean }>(
        server.url,
        commander,
        'GET',
        `/api/handovers?${q}`,
      );
      expect(r.status).toBe(200);
      paged.push(...r.body.handovers);
      before = r.body.handovers.at(-1)?.id;
      if (!r.body.more) break;
    }
    expect(paged).toEqual(all);
    const first = await call<{ more: boolean }>(server.url, commander, 'GET', '/api/handovers?limit=100');
    expect(first.body.more).toBe(false);
    // A cursor that is no handover, or not an id at all: 400 naming it.
    for (const bad of ['no-such-handover', 'a%20b', 'x'.repeat(65)]) {
      const r = await call(server.url, commander, 'GET', `/api/handovers?before=${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.body.field).toBe('query.before');
    }
  });

  it('finds handovers by who handed over or took over, and by when, paging within what it finds', async () => {
    // A shift later (tokens last 12 h of the clock: signed in again).
    clock.advance(8 * HOUR);
    commander = await operator('zhang', '张坐席', 'commander');
    admin = await operator('li', '李坐席', 'admin');
    const r1 = await call<{ handover: Handover }>(server.url, commander, 'POST', '/api/handovers', {
      note: '筛选甲',
    });
    expect(r1.status, JSON.stringify(r1.body)).toBe(201);
    const h1 = r1.body.handover;
    expect((await call(server.url, admin, 'POST', `/api/handovers/${h1.id}/take`)).status).toBe(200);
    clock.advance(8 * HOUR);
    commander = await operator('zhang', '张坐席', 'commander');
    admin = await operator('li', '李坐席', 'admin');
    const h2 = (
      await call<{ handover: Handover }>(server.url, admin, 'POST', '/api/handovers', { note: '筛选乙' })
    ).body.handover;
    const all = await list();
    const find = async (q: string) => {
      const r = await call<{ handovers: Handover[]; more: boolean }>(
        server.url,
        commander,
        'GET',
        `/api/handovers?limit=100&${q}`,
      );
      expect(r.status, `${q}: ${JSON.stringify(r.body)}`).toBe(200);
      return r.body.handovers;
    };
    const involves = (h: Handover, name: string) =>
      h.by.name.includes(name) || !!h.taken?.by.name.includes(name);

    // 李坐席 handed over h2 and took over h1: both found, and only what involves 李.
    const li = await find(`who=${encodeURIComponent('李')}`);
    expect(li).toEqual(all.filter((h) => involves(h, '李')));
    expect(li.map((h) => h.id)).toEqual(expect.arrayContaining([h1.id, h2.id]));
    expect(all.some((h) => !involves(h, '李'))).toBe(true); // the filter left some out
    // By time: [from, to), `to` excluded.
    expect((await find(`from=${h2.at}&to=${h2.at + 1}`)).map((h) => h.id)).toEqual([h2.id]);
    expect((await find(`from=${h1.at}&to=${h2.at}`)).map((h) => h.id)).toEqual([h1.id]);
    expect(await find(`from=${h2.at + 1}`)).toEqual([]);
    // Both at once, and `%`, `_` taken as themselves (no name has them).
    expect((await find(`who=${encodeURIComponent('张')}&from=${h1.at}`)).map((h) => h.id)).toEqual([h1.id]);
    expect(await find('who=%25')).toEqual([]);
    expect(await find('who=_')).toEqual([]);
    // Paging back within a search finds each once, in order.
    const zhang = all.filter((h) => involves(h, '张'));
    expect(zhang.length).toBeGreaterThan(2);
    const paged: Handover[] = [];
    let before: string | undefined;
    for (let i = 0; i <= zhang.length; i++) {
      const r = await call<{ handovers: Handover[]; more: boolean }>(
        server.url,
        commander,
        'GET',
        `/api/handovers?limit=2&who=${encodeURIComponent('张')}${before ? `&before=${before}` : ''}`,
      );
      paged.push(...r.body.handovers);
      before = r.body.handovers.at(-1)?.id;
      if (!r.body.more) break;
    }
    expect(paged).toEqual(zhang);
    // Refused, naming the field.
    for (const [q, field] of [
      [`from=${h2.at}&to=${h2.at}`, 'query.to'],
      ['from=yesterday', 'query.from'],
      ['to=-1', 'query.to'],
      ['who=', 'query.who'],
      [`who=${encodeURIComponent('名'.repeat(33))}`, 'query.who'],
      // An empty field is refused, not read as 0 (which would find nothing, or everything).
      ['from=', 'query.from'],
      ['to=%20', 'query.to'],
      ['from=0x10', 'query.from'],
      // A control character (PostgreSQL refuses a NUL in text; SQLite matched every handover).
      ['who=%00', 'query.who'],
      ['who=%E6%9D%8E%0A%E5%9D%90', 'query.who'],
    ] as const) {
      const r = await call(server.url, commander, 'GET', `/api/handovers?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.field, q).toBe(field);
    }

    // A Latin name is found in any case of A–Z, and as it is spelt (É), on both engines.
    clock.advance(HOUR);
    const elodie = await operator('elodie', 'Élodie Wang', 'commander');
    const h3 = (await call<{ handover: Handover }>(server.url, elodie, 'POST', '/api/handovers', {})).body
      .handover;
    for (const who of ['wang', 'WANG', 'Élodie', 'Élodie W'])
      expect(
        (await find(`who=${encodeURIComponent(who)}`)).map((h) => h.id),
        who,
      ).toEqual([h3.id]);
  });
});
