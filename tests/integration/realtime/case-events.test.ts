// Case events over real Socket.IO connections: who receives what, socket actions with REST's
// errors, and the resync after a reconnect (state recovery, and over HTTP) leaving each client's
// state equal to the server's — no gap, no duplicate, seq order kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clueSchema, type CaseView } from '../../../shared/cases';
import type { CaseActAck, CaseEventMessage, EventsPage } from '../../../shared/realtime';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, login, tokenFor, TEST_PASSWORD } from '../../support/auth';
import { act, clueAt, pointIn, report } from '../../support/cases';
import {
  collectCaseEvents,
  connectSocket,
  waitConnected,
  waitForCaseEvent,
  type ClientSocket,
} from '../../support/socket';
import { CaseMirror, serverVersions } from '../../support/case-mirror';

const DONGCHENG = '140581002';
const MISHAN = '140581101';

describe.each(ENGINES)('case events on %s', (engine) => {
  let server: TestServer;
  let commander: string;
  let dongcheng: string;
  let mishan: string;
  let zrzyj: string;
  const sockets: ClientSocket[] = [];
  const mirrors: CaseMirror[] = [];
  let n = 0;

  beforeAll(async () => {
    server = await startTestServer({ engine });
    commander = await tokenFor(server, 'commander1', 'commander');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    mishan = await tokenFor(server, 'mishan', 'township', { kind: 'township', code: MISHAN });
    zrzyj = await tokenFor(server, 'zrzyj1', 'department', { kind: 'department', code: 'zrzyj' });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    for (const m of mirrors) m.close();
    await server?.close();
  });

  async function connected(token: string): Promise<ClientSocket> {
    const s = connectSocket(server.url, token);
    sockets.push(s);
    await waitConnected(s);
    return s;
  }

  async function newCase(township: string, matterCode: string): Promise<CaseView> {
    const r = await report(
      server,
      commander,
      clueAt(pointIn(server.handle.ctx.geo, township, n++ % 20), { matterCode }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.case as CaseView;
  }

  it('sends each case event to the county and to the parties of that case only', async () => {
    const [cc, dc, ms, zr] = await Promise.all([commander, dongcheng, mishan, zrzyj].map(connected));
    const got = {
      county: collectCaseEvents(cc!),
      dongcheng: collectCaseEvents(dc!),
      mishan: collectCaseEvents(ms!),
      zrzyj: collectCaseEvents(zr!),
    };
    const street = await newCase(DONGCHENG, 'SR01'); // delegated to 东城街道
    const land = await newCase(DONGCHENG, 'ZR01'); // 自然资源局 owns it in 东城
    const village = await newCase(MISHAN, 'ZR01'); // delegated to 米山镇
    // Each socket receives in seq order, so once the last case it may see has arrived, so has
    // everything before it.
    const arrived = (list: CaseEventMessage[], socket: ClientSocket, caseId: string) =>
      list.some((e) => e.caseId === caseId) ? null : waitForCaseEvent(socket, (e) => e.caseId === caseId);
    await Promise.all([
      arrived(got.county, cc!, village.id),
      arrived(got.dongcheng, dc!, land.id),
      arrived(got.zrzyj, zr!, land.id),
      arrived(got.mishan, ms!, village.id),
    ]);
    const ids = (list: CaseEventMessage[]) => [...new Set(list.map((e) => e.caseId))];
    expect(ids(got.county)).toEqual([street.id, land.id, village.id]);
    expect(ids(got.dongcheng)).toEqual([street.id, land.id]);
    expect(ids(got.zrzyj)).toEqual([land.id]);
    expect(ids(got.mishan)).toEqual([village.id]);
    // Every event carries its seq and the case as it now is; seqs rise.
    const seqs = got.county.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const created = got.county.find((e) => e.caseId === street.id && e.type === 'created')!;
    expect(created.case.status).toBeDefined();
    expect(created.case.location.township.code).toBe(DONGCHENG);
  });

  it('sends the events committed together as one packet: a clue and its dispatch arrive at once', async () => {
    const cc = await connected(commander);
    const packets: string[][] = [];
    cc.on('case:events', (events) => packets.push(events.map((e) => `${e.caseId} ${e.type}`)));
    // Waited for from before the post: the events are sent before the reply to it is written.
    const dispatched = waitForCaseEvent(cc, (e) => e.type === 'dispatch');
    const c = await newCase(DONGCHENG, 'SR01');
    expect(c.status).toBe('dispatched');
    expect((await dispatched).caseId).toBe(c.id);
    expect(packets.filter((p) => p.some((e) => e.startsWith(c.id)))).toEqual([
      [`${c.id} created`, `${c.id} dispatch`],
    ]);
  });

  it("has handed a change's events on before the case engine answers (the reply comes after them)", async () => {
    await connected(commander); // someone in the county room: its events are sent
    // What the socket layer hands to the adapter (the Redis adapter publishes from here).
    const adapter = server.handle.io.of('/').adapter;
    const broadcast = adapter.broadcast.bind(adapter);
    const handedOn = new Set<string>(); // once per room it goes to: counted once
    adapter.broadcast = (packet, opts) => {
      const [name, events] = packet.data as [string, CaseEventMessage[]];
      if (name === 'case:events') for (const e of events) handedOn.add(`${e.caseId} ${e.type}`);
      return broadcast(packet, opts);
    };
    try {
      const { user } = await login(server.url, 'commander1', TEST_PASSWORD);
      const cases = server.handle.ctx.cases;
      const clue = clueSchema.parse(
        clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, n++ % 20), { matterCode: 'SR01' }),
      );
      const { case: c } = await cases.intake(user, clue);
      // Checked the moment the engine answers, before anything else can run.
      expect([...handedOn]).toEqual([`${c.id} created`, `${c.id} dispatch`]);
      const acked = await cases.act(user, c.id, { action: 'escalate', version: c.version, reason: '督办' });
      expect([...handedOn].slice(2)).toEqual([`${acked.id} escalate`]);
    } finally {
      adapter.broadcast = broadcast;
    }
  });

  it('takes case actions over the socket, with the same refusals as REST', async () => {
    const c = await newCase(DONGCHENG, 'SR01');
    expect(c.status).toBe('dispatched');
    const dc = await connected(dongcheng);
    const ms = await connected(mishan);
    const cc = await connected(commander);
    const ask = (s: ClientSocket, req: unknown) =>
      new Promise<CaseActAck>((resolve) => s.emit('case:act', req as never, resolve));

    const seen = waitForCaseEvent(cc, (e) => e.caseId === c.id && e.type === 'acknowledge');
    const ok = await ask(dc, { caseId: c.id, input: { action: 'acknowledge', version: c.version } });
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(ok.case.status).toBe('accepted');
    expect((await seen).case.version).toBe(ok.case.version);

    const stale = await ask(dc, { caseId: c.id, input: { action: 'arrive', version: c.version } });
    expect(stale).toMatchObject({ ok: false, status: 409 });
    const wrongState = await ask(dc, {
      caseId: c.id,
      input: { action: 'acknowledge', version: ok.case.version },
    });
    expect(wrongState).toMatchObject({ ok: false, status: 422 }); // not an action of an accepted case
    const other = await ask(ms, { caseId: c.id, input: { action: 'arrive', version: ok.case.version } });
    expect(other.ok).toBe(false);
    expect([403, 404]).toContain(!other.ok && other.status);
    const bad = await ask(dc, { caseId: c.id, input: { action: 'fly' } });
    expect(bad).toMatchObject({ ok: false, status: 400, field: 'payload.input.action' });
    const noId = await ask(dc, { input: { action: 'arrive' } });
    expect(noId).toMatchObject({ ok: false, status: 400, field: 'payload.caseId' });
    // An argument too many is answered (the ack is the last), not left to the client's timeout.
    const loose = dc as unknown as { emit: (...args: unknown[]) => void };
    const extra = await new Promise<CaseActAck>((resolve) =>
      loose.emit(
        'case:act',
        { caseId: c.id, input: { action: 'arrive', version: ok.case.version } },
        'x',
        resolve,
      ),
    );
    expect(extra).toMatchObject({ ok: false, status: 400, field: 'payload' });
    expect(await new Promise((resolve) => loose.emit('ping', 'x', resolve))).toEqual(expect.any(Number));
    // REST sees what the socket did.
    const r = await call(server.url, dongcheng, 'GET', `/api/cases/${c.id}`);
    expect(r.body.case.status).toBe('accepted');
  });

  it('a client that drops and comes back (state recovery) ends with the server state', async () => {
    const m = new CaseMirror(server.url, dongcheng);
    mirrors.push(m);
    await m.until((x) => x.resyncs === 1, 'first resync');
    const before = m.resyncs;
    // Cut the connection under it; while it is away, the county keeps working.
    const down = new Promise<void>((resolve) => m.socket.once('disconnect', () => resolve()));
    m.socket.io.engine.close();
    await down;
    const a = await newCase(DONGCHENG, 'SR02');
    await newCase(MISHAN, 'ZR01'); // not its business
    await act(server, dongcheng, a.id, { action: 'acknowledge', version: a.version });
    await m.until((x) => x.resyncs > before, 'reconnect and resync');
    expect(m.socket.recovered).toBe(true);
    const want = await serverVersions(server.url, dongcheng);
    await m.until((x) => JSON.stringify(x.versions()) === JSON.stringify(want), 'state equal to the server');
    expect(m.versions()).toEqual(want);
    expect(m.applied).toEqual([...m.applied].sort((x, y) => x - y));
    expect(new Set(m.applied).size).toBe(m.applied.length);
  });

  it('a client that was away longer resyncs over HTTP page by page, no gap, no duplicate', async () => {
    // First life: follows along, then leaves.
    const first = new CaseMirror(server.url, dongcheng, { pageSize: 3 });
    mirrors.push(first);
    await first.until((x) => x.resyncs === 1, 'first resync');
    first.close();
    // While nobody is connected for 东城: new cases, actions, and other townships' work.
    for (let i = 0; i < 4; i++) {
      const c = await newCase(DONGCHENG, 'SR03');
      if (i % 2) await act(server, dongcheng, c.id, { action: 'acknowledge', version: c.version });
      await newCase(MISHAN, 'ZR01');
    }
    // Second life: a new connection (nothing to recover) that starts from the old cursor; events
    // keep happening during its resync.
    const second = new CaseMirror(server.url, dongcheng, { pageSize: 3 });
    mirrors.push(second);
    for (const [id, c] of first.cases) second.cases.set(id, c);
    second.lastSeq = first.lastSeq;
    const during = newCase(DONGCHENG, 'SR04');
    await second.until((x) => x.resyncs === 1, 'resync');
    const late = await during;
    await second.until((x) => x.cases.has(late.id), 'the case reported during the resync');
    const want = await serverVersions(server.url, dongcheng);
    expect(second.versions()).toEqual(want);
    expect(new Set(second.applied).size).toBe(second.applied.length); // each applied once
    expect(second.applied).toEqual([...second.applied].sort((x, y) => x - y));
    expect(second.applied.every((s) => s > first.lastSeq)).toBe(true);
    // Nothing of 米山镇 leaked into 东城's stream.
    for (const c of second.cases.values()) expect(c.parties.some((p) => p.code === DONGCHENG)).toBe(true);
  });

  it('GET /api/events is scoped, ordered, paged by cursor, and checks its query', async () => {
    const all = await call<EventsPage>(server.url, commander, 'GET', '/api/events?after=0&limit=1000');
    expect(all.status).toBe(200);
    const seqs = all.body.events.map((e) => e.seq);
    expect(seqs.length).toBeGreaterThan(10);
    // The county sees every event: seqs 1..lastSeq with no hole.
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(all.body.lastSeq).toBe(seqs.at(-1));
    expect(all.body.more).toBe(false);
    expect(all.body.head).toBe(all.body.lastSeq);

    const page = await call<EventsPage>(server.url, mishan, 'GET', '/api/events?after=0&limit=2');
    expect(page.body.events).toHaveLength(2);
    expect(page.body.more).toBe(true);
    expect(page.body.head).toBe(all.body.lastSeq); // the head, whatever the caller may see
    expect(page.body.events.every((e) => e.case.parties.some((p) => p.code === MISHAN))).toBe(true);
    const rest = await call<EventsPage>(
      server.url,
      mishan,
      'GET',
      `/api/events?after=${page.body.lastSeq}&limit=1000`,
    );
    const mine = all.body.events
      .filter((e) => e.case.parties.some((p) => p.code === MISHAN))
      .map((e) => e.seq);
    expect([...page.body.events, ...rest.body.events].map((e) => e.seq)).toEqual(mine);
    expect(rest.body.lastSeq).toBe(all.body.lastSeq);

    expect((await call(server.url, null, 'GET', '/api/events')).status).toBe(401);
    const bad = await call(server.url, commander, 'GET', '/api/events?after=-1');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('query.after');
    const tooMany = await call(server.url, commander, 'GET', '/api/events?limit=5000');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.field).toBe('query.limit');
    // An empty, hex, exponent or repeated value is refused naming it, not read as 0 or converted.
    for (const [query, field] of [
      ['after=', 'query.after'],
      ['after=0x10', 'query.after'],
      ['after=1e3', 'query.after'],
      ['after=1&after=2', 'query.after'],
      ['limit=', 'query.limit'],
      ['limit=0x10', 'query.limit'],
    ]) {
      const r = await call(server.url, commander, 'GET', `/api/events?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.field, query).toBe(field);
    }
  });
});
