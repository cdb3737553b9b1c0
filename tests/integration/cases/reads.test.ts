// Reading cases: filters, cursor paging, the matter catalogue, and statistics over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/clock';
import type { CaseView } from '../../../shared/cases';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { act, clueAt, pointIn, report } from '../../support/cases';
import { CompiledQuery, sql } from 'kysely';
import { fillSearchText } from '../../../server/store/migrations/011_case_search';
import { caseTextFilter } from '../../../server/cases/search-text';
import { ensureSearchIndex, SEARCH_INDEX_EVERY, trigramIndexHelps } from '../../../server/store/search-index';

const DONGCHENG = '140581002';
const MISHAN = '140581101';
const HOUR = 3600_000;

describe.each(ENGINES)('case reads on %s', (engine) => {
  let server: TestServer;
  // 2026-06-01 10:00 Shanghai.
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 2, 0, 0));
  let commander: string;
  let leader: string;
  let dongcheng: string;
  const ids: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ engine, clock });
    commander = await tokenFor(server, 'commander1', 'commander');
    leader = await tokenFor(server, 'leader1', 'leader');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
    const geo = server.handle.ctx.geo;
    // 7 cases in 东城街道 (SR01, delegated), 3 in 米山镇 (ZR01, delegated), one minute apart.
    for (let i = 0; i < 10; i++) {
      const town = i < 7 ? DONGCHENG : MISHAN;
      const p = pointIn(geo, town, i);
      const r = await report(
        server,
        commander,
        clueAt(p, { matterCode: i < 7 ? 'SR01' : 'ZR01', source: i % 2 ? 'patrol' : 'grid_worker' }),
      );
      expect(r.status).toBe(201);
      ids.push(r.body.case.id);
      clock.advance(60_000);
    }
  });
  afterAll(() => server?.close());

  const list = (token: string, q: string) => call(server.url, token, 'GET', `/api/cases${q}`);

  it('lists newest first and pages with a cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await list(leader, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.body.total).toBe(10);
      seen.push(...r.body.items.map((c: CaseView) => c.id));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toEqual([...ids].reverse());
  });

  it('carries the event head it was read at: the page reflects every event up to it', async () => {
    const events = await call(server.url, leader, 'GET', '/api/events?after=0&limit=1');
    const head = events.body.head as number;
    expect(head).toBeGreaterThanOrEqual(10); // ten clues, at least one event each
    const page = await list(leader, '?limit=50');
    expect(page.body.head).toBe(head);
    // An action moves the head; the next page is read at the new head and shows the action.
    const c = (await call(server.url, commander, 'GET', `/api/cases/${ids[9]}`)).body.case as CaseView;
    await act(server, commander, c.id, { action: 'escalate', version: c.version, reason: '督办' });
    const after = await list(leader, '?limit=50');
    expect(after.body.head).toBeGreaterThan(head);
    const moved = (after.body.items as CaseView[]).find((x) => x.id === c.id)!;
    expect(moved.version).toBeGreaterThan(c.version);
    const newest = await call(server.url, leader, 'GET', `/api/events?after=${head}&limit=50`);
    expect(newest.body.events.map((e: { seq: number }) => e.seq).at(-1)).toBe(after.body.head);
  });

  it('filters by township, assignee, status, source, matter and time', async () => {
    expect((await list(leader, `?township=${MISHAN}`)).body.total).toBe(3);
    expect((await list(leader, `?assignee=township:${DONGCHENG}`)).body.total).toBe(7);
    expect((await list(leader, `?assignee=${MISHAN}`)).body.total).toBe(3);
    expect((await list(leader, '?source=patrol')).body.total).toBe(5);
    expect((await list(leader, '?matter=ZR01')).body.total).toBe(3);
    const start = Date.UTC(2026, 5, 1, 2, 0, 0);
    expect((await list(leader, `?from=${start + 2 * 60_000}&to=${start + 5 * 60_000}`)).body.total).toBe(3);
    expect((await list(leader, `?from=2026-06-01T02:08:00Z`)).body.total).toBe(2);
    // Without an offset, the county's clock (10:08 in Shanghai is 02:08 UTC), whatever the server's
    // own time zone; a day is the county's day.
    expect((await list(leader, `?from=2026-06-01T10:08`)).body.total).toBe(2);
    expect((await list(leader, `?from=2026-06-01&to=2026-06-02`)).body.total).toBe(10);
    expect((await list(leader, `?to=2026-06-01`)).body.total).toBe(0);
    const first = ids[0]!;
    const c = (await call(server.url, commander, 'GET', `/api/cases/${first}`)).body.case as CaseView;
    await act(server, dongcheng, first, { action: 'acknowledge', version: c.version });
    expect((await list(leader, '?status=accepted')).body.items.map((x: CaseView) => x.id)).toEqual([first]);
    expect((await list(leader, '?status=accepted,dispatched')).body.total).toBe(10);
    expect((await list(leader, '?overdue=false')).body.total).toBe(10);
    // A township sees its own cases only, whatever it asks for.
    expect((await list(dongcheng, '')).body.total).toBe(7);
    expect((await list(dongcheng, `?township=${MISHAN}`)).body.total).toBe(0);
  });

  it.each([
    ['?status=flying', 'query.status.0'],
    ['?limit=0', 'query.limit'],
    ['?limit=abc', 'query.limit'],
    ['?township=東城', 'query.township'],
    ['?overdue=maybe', 'query.overdue'],
    ['?from=yesterday', 'query.from'],
    ['?cursor=not-a-cursor', 'query.cursor'],
    [`?q=${'违'.repeat(51)}`, 'query.q'],
    ['?q=a%00b', 'query.q'],
  ])('answers 400 for %s naming %s', async (q, field) => {
    const r = await list(leader, q);
    expect(r.status).toBe(400);
    expect(r.body.field).toBe(field);
  });

  it('serves the matter catalogue', async () => {
    const r = await call(server.url, dongcheng, 'GET', '/api/matters');
    expect(r.status).toBe(200);
    expect(r.body.matters.length).toBeGreaterThanOrEqual(60);
    const delegated = r.body.matters.filter((m: { delegatedTownships: string[] }) =>
      m.delegatedTownships.includes(DONGCHENG),
    );
    expect(delegated).toHaveLength(15);
  });

  it('measures the cases in range and scope', async () => {
    // Arrive on one case 40 min after its dispatch.
    const id = ids[1]!;
    let c = (await call(server.url, commander, 'GET', `/api/cases/${id}`)).body.case as CaseView;
    const dispatchedAt = c.dispatchedAt!;
    clock.set(dispatchedAt + 10 * 60_000);
    c = (await act(server, dongcheng, id, { action: 'acknowledge', version: c.version })).body.case;
    c = (await act(server, dongcheng, id, { action: 'start', version: c.version, personnel: 4 })).body.case;
    clock.set(dispatchedAt + 40 * 60_000);
    c = (await act(server, dongcheng, id, { action: 'arrive', version: c.version })).body.case;
    const r = await call(
      server.url,
      leader,
      'GET',
      '/api/stats?from=2026-06-01T00:00:00%2B08:00&to=2026-06-02T00:00:00%2B08:00',
    );
    expect(r.status).toBe(200);
    expect(r.body.volume.total).toBe(10);
    expect(r.body.volume.byDay).toEqual([
      { day: '2026-06-01', count: 10 },
      { day: '2026-06-02', count: 0 },
    ]);
    expect(r.body.volume.byTownship).toEqual({ [DONGCHENG]: 7, [MISHAN]: 3 });
    expect(r.body.registered).toBe(10);
    expect(r.body.turnouts).toBe(4);
    expect(r.body.responseTime.arrive).toEqual({ count: 1, medianMinutes: 40, p90Minutes: 40 });
    expect(r.body.responseTime.acknowledge.count).toBe(2);
    const scoped = await call(
      server.url,
      leader,
      `GET`,
      `/api/stats?township=${MISHAN}&from=2026-06-01&to=2026-06-01T23:59:59Z`,
    );
    expect(scoped.body.volume.total).toBe(3);
    const bad = await call(server.url, leader, 'GET', '/api/stats?from=2026-06-02&to=2026-06-01');
    expect(bad.status).toBe(422);
    clock.advance(HOUR);
  });

  it('finds cases by free text: description, place, the reporter and their phone however written, matter, id; values only; % and _ only themselves', async () => {
    const geo = server.handle.ctx.geo;
    const extra = async (town: string, i: number, over: Parameters<typeof clueAt>[1]) => {
      const r = await report(server, commander, clueAt(pointIn(geo, town, 20 + i), over));
      expect(r.status).toBe(201);
      return r.body.case as CaseView;
    };
    const dumped = await extra(MISHAN, 0, {
      matterCode: 'ZR01',
      description: '河道旁倾倒建筑垃圾，约 100%_ 堆满',
      reporter: { name: '张建国', phone: '139-8765-4321' },
    });
    // What `%100%_%` would match if % and _ in the text were wildcards.
    const lookalike = await extra(MISHAN, 1, {
      matterCode: 'ZR01',
      description: '耕地上堆放 1000X 吨煤泥，Ｂ区',
    });
    const found = async (text: string, token = leader, more = '') => {
      const r = await list(token, `?q=${encodeURIComponent(text)}&limit=100${more}`);
      expect(r.status).toBe(200);
      expect(r.body.total).toBe(r.body.items.length);
      return (r.body.items as CaseView[]).map((c) => c.id).sort();
    };
    expect(await found('建筑垃圾')).toEqual([dumped.id]);
    expect(await found('100%_')).toEqual([dumped.id]);
    // The caller's phone, as read out or typed: with dashes, spaces or none.
    expect(await found('8765-4321')).toEqual([dumped.id]);
    expect(await found('13987654321')).toEqual([dumped.id]);
    expect(await found('139 8765')).toEqual([dumped.id]);
    // Only values are searched: not the stored JSON's keys, nor the county's codes (every grid code
    // starts 140581, and a phone's digits must not find the whole county).
    expect(await found('phone')).toEqual([]);
    expect(await found('name')).toEqual([]);
    expect(await found('0581')).toEqual([]);
    // %, _ and the escape character are only themselves.
    expect(await found('%')).toEqual([dumped.id]);
    expect(await found('_')).toEqual([dumped.id]);
    expect(await found('!')).toEqual([]);
    expect(await found('张建国')).toEqual([dumped.id]);
    // Full-width letters as a Chinese input method types them are the same letters, in any case.
    expect(await found('b区')).toEqual([lookalike.id]);
    expect(await found('Ｂ区')).toEqual([lookalike.id]);
    // Part of the id, in capitals (its last twelve characters: the first ones are the time).
    expect(await found(lookalike.id.slice(-12).toUpperCase())).toEqual([lookalike.id]);
    // The matter's name (not stored on the case) and its code.
    const ownLand = [...ids.slice(7), dumped.id, lookalike.id].sort();
    expect(await found('占用耕地')).toEqual(ownLand);
    expect(await found('zr01')).toEqual(ownLand);
    // The township's name is in the case's place.
    expect(await found('米山镇')).toEqual(ownLand);
    const micro = dumped.location.micro.name;
    expect(await found(micro)).toContain(dumped.id);
    // Combined with a filter, paged like any list, and only within the caller's scope.
    expect(await found('米山镇', leader, '&source=patrol')).toEqual(
      [ids[7], ids[9]].filter((id): id is string => !!id).sort(),
    );
    const pages = await list(leader, `?q=${encodeURIComponent('米山镇')}&limit=2`);
    expect(pages.body.total).toBe(5);
    expect(pages.body.nextCursor).toBeTruthy();
    expect(await found('建筑垃圾', dongcheng)).toEqual([]);
    expect(await found('占道经营', dongcheng)).toHaveLength(7);
    // Nothing matches: an empty page, not an error; blank text is no filter.
    expect(await found('不存在的文字')).toEqual([]);
    expect((await list(leader, '?q=%20%20')).body.total).toBe(12);
  });

  it('fills in the search text of the cases stored before there was one (the migration)', async () => {
    const db = server.handle.ctx.store.db;
    await db.updateTable('cases').set({ search_text: '' }).execute();
    expect(await list(leader, `?q=${encodeURIComponent('张建国')}`)).toMatchObject({ body: { total: 0 } });
    await fillSearchText(db);
    expect((await list(leader, `?q=${encodeURIComponent('张建国')}`)).body.total).toBe(1);
    expect((await list(leader, '?q=87654321')).body.total).toBe(1);
    expect((await list(leader, `?q=${encodeURIComponent('米山镇')}`)).body.total).toBe(5);
  });
  it('answers a search of three or more characters from the index, kept in step with every case', async () => {
    const { store, geo } = server.handle.ctx;
    const db = store.db;
    const found = async (text: string) =>
      ((await list(leader, `?q=${encodeURIComponent(text)}`)).body.items as CaseView[]).map(
        (c) => c.reporter?.phone,
      );
    // Clues sent together, so they share commits as a busy county's do; each with its own phone.
    let n = 0;
    const send = async (count: number) => {
      const phones = Array.from({ length: count }, () => `1370000${String(n++).padStart(4, '0')}`);
      const sent = await Promise.all(
        phones.map((phone, i) =>
          report(
            server,
            commander,
            clueAt(pointIn(geo, DONGCHENG, 40 + n + i), { reporter: { name: '李四', phone } }),
          ),
        ),
      );
      expect(sent.map((r) => r.status)).toEqual(phones.map(() => 201));
      return phones;
    };
    // The plan of the search's query names the index (PostgreSQL: with scans priced out, as the
    // planner would choose on a table of real size rather than this test's few dozen rows).
    const planOf = async (text: string) => {
      const q = db
        .selectFrom('cases')
        .select('id')
        .where(caseTextFilter(text, [], engine === 'sqlite'))
        .compile();
      return db.connection().execute(async (conn) => {
        if (engine === 'postgres') await sql`set enable_seqscan = off`.execute(conn);
        try {
          const prefix = engine === 'sqlite' ? 'explain query plan ' : 'explain ';
          const r = await conn.executeQuery<Record<string, unknown>>(
            CompiledQuery.raw(prefix + q.sql, [...q.parameters]),
          );
          return r.rows.map((row) => Object.values(row).join(' ')).join('\n');
        } finally {
          if (engine === 'postgres') await sql`reset enable_seqscan`.execute(conn);
        }
      });
    };
    if (engine === 'postgres') {
      expect(await planOf('13700000')).toMatch(/cases_search_trgm/);
      expect(await planOf('87654321')).toMatch(/cases_search_trgm/);
      expect(await planOf('0a1b2c3d4e')).toMatch(/cases_id_trgm/);
      return;
    }
    expect(await planOf('13700001')).toMatch(/case_search VIRTUAL TABLE/);
    // Two characters are fewer than a trigram: those scan.
    expect(await planOf('米山')).not.toMatch(/case_search/);

    // Each case is in exactly one place: the index (under its own number, with its own text) or
    // the cases waiting for it; nothing else is in either.
    const consistent = async () => {
      const r = await sql<{ bad: number; orphans: number; pending: number }>`
        select
          (select count(*) from cases c where
             (select count(*) from case_search_map m join case_search s on s.rowid = m.fts_rowid
               where m.case_id = c.id and s.case_id = c.id and s.body = c.search_text)
           + (select count(*) from case_search_pending p where p.case_id = c.id) <> 1) as bad,
          (select count(*) from case_search s where s.case_id not in (select id from cases))
           + (select count(*) from case_search_map m where m.case_id not in (select id from cases))
           + (select count(*) from case_search where rowid not in (select fts_rowid from case_search_map))
            as orphans,
          (select count(*) from case_search_pending) as pending`.execute(db);
      return r.rows[0]!;
    };
    expect(await consistent()).toMatchObject({ bad: 0, orphans: 0 });
    // Intake indexes what waits every SEARCH_INDEX_EVERY cases, in its own commit: in the writer
    // thread, then (the thread stopped) on the main connection. Found before and after.
    for (const path of ['writer thread', 'main connection']) {
      if (path === 'main connection') await store.writer!.close();
      const phones = await send(SEARCH_INDEX_EVERY + 6);
      const state = await consistent();
      expect(state, path).toMatchObject({ bad: 0, orphans: 0 });
      expect(state.pending, path).toBeLessThan(SEARCH_INDEX_EVERY);
      for (const phone of [phones[0]!, phones.at(-1)!]) expect(await found(phone), path).toEqual([phone]);
    }
    // A rewritten search text replaces the case's row (the backfill rewrites every one); the start
    // indexes what is pending.
    await fillSearchText(db);
    await ensureSearchIndex(db);
    expect(await consistent()).toEqual({ bad: 0, orphans: 0, pending: 0 });
    expect(await found('13700000000')).toEqual(['13700000000']);
    // A search the index narrows down uses it (a word in every case is scanned: storage.test.ts).
    expect(await trigramIndexHelps(db, '13700000069')).toBe(true);
  });
});
