// npm run bench:search — finding a case by free text (GET /api/cases?q=, the big screen's 查找案件) in
// a county's years of cases. Three ways, each running the list's two queries (the count and the
// newest page) on the same embedded SQLite file, seeded with real places from the county pack:
// - server: what the server does — a search of 3+ characters that the index narrows down takes its
//   candidates from the trigram index (`case_search`, server/store/search-index.ts) and checks them
//   against the search text; a common one (the index's statistics say it holds more than a twelfth
//   of the cases) is scanned, as are one and two characters. The decision is timed with the search;
// - scan: the same `like` over every case's search text (cases.search_text), without the index;
// - columns: `lower(column) like` over the stored columns themselves (id, description, the place and
//   reporter JSON, assignee, domain: what the first version did).
// SEARCH_BENCH_DATABASE_URL=postgres://… runs the same on PostgreSQL (its pg_trgm indexes; the scan
// with bitmap scans turned off). Also: what the index takes on disk, and how long indexing takes.
// Then the lists without a search (a state, a township): one query, the rows sorted whole, as the
// server does, against choosing the page's ids first as a search does. Last line: one JSON object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type ExpressionBuilder, type Insertable, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { FeatureCollection, Polygon } from 'geojson';
import { GEO_LAYERS, LAYER_FILES, type GeoLayer } from '../../shared/geo';
import { buildGeoIndex, type PackLayers } from '../../server/geo/index';
import { flattenPolygons, pointInFeature } from '../../server/geo/cell-index';
import { caseTextFilter, searchNeedle, searchTextOf } from '../../server/cases/search-text';
import { newestPage, pageIdsFirst, timeOrderedId } from '../../server/cases/service';
import { numberDayOf } from '../../server/cases/case-numbers';
import { caseNumber } from '../../shared/cases';
import { insertRows } from '../../server/store/insert-rows';
import { openStore } from '../../server/store/db';
import { ensureSearchIndex, trigramIndexHelps } from '../../server/store/search-index';
import { mulberry32 } from '../../geo/build/random';
import { databaseUrlFor, pgQuery } from '../support/pg';
import type { CasesTable, Database } from '../../server/store/schema';

const CASES = Number(process.env.SEARCH_BENCH_CASES ?? 100_000);
const ROUNDS = 5;
const PAGE = 51; // GET /api/cases's default limit, plus the one that says there is more
const PACK = path.resolve(import.meta.dirname, '../../geo/gaoping');

const rand = mulberry32(20261202);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

// The county pack: places to put the cases, and the matters.
const layers = {} as PackLayers;
for (const l of GEO_LAYERS as readonly GeoLayer[])
  layers[l] = JSON.parse(fs.readFileSync(path.join(PACK, LAYER_FILES[l]), 'utf8')) as FeatureCollection;
const geo = buildGeoIndex(layers);
const matters = (
  JSON.parse(fs.readFileSync(path.join(PACK, 'matters.json'), 'utf8')) as {
    matters: Array<{ code: string; name: string; domain: string }>;
  }
).matters;
const county = flattenPolygons([layers.county.features[0]!.geometry as Polygon]);
const [bx0, by0, bx1, by1] = county.bbox;

const SIDES = ['东侧', '西侧', '南侧', '北侧', '路口', '附近', '村委会旁', '主干道边'];
const TAILS = ['影响通行', '群众反映强烈', '请核查处置', '已持续数日', '存在安全隐患', ''];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗'.split('');
const GIVEN = '建国 秀英 志强 桂兰 海燕 丽娟 永红 德明 春梅 文华 国庆 小军'.split(' ');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaoping-search-bench-'));
// SEARCH_BENCH_DATABASE_URL: the same on PostgreSQL, in a database of its own made and dropped here.
const PG_URL = process.env.SEARCH_BENCH_DATABASE_URL;
const pgName = `gaoping_bench_search_${process.pid}`;
let databaseUrl: string | undefined;
if (PG_URL) {
  await pgQuery(PG_URL, `create database ${pgName}`);
  databaseUrl = databaseUrlFor(PG_URL, pgName);
}
const store = await openStore({ dataDir: dir, databaseUrl, writerThread: false });
const db = store.db;
const engine = store.engine;

// --- seed -------------------------------------------------------------------------------------
const t0 = performance.now();
const start = Date.UTC(2024, 0, 1);
const span = Date.UTC(2026, 11, 1) - start;
const probes: { phone: string; id: string; name: string; no: string } = {
  phone: '',
  id: '',
  name: '',
  no: '',
};
/** Most cases closed, some not cases (rejected), a tenth still open. */
const statusOf = (u: number) => (u < 0.85 ? 'closed' : u < 0.9 ? 'rejected' : 'dispatched');
/** 案件编号 as intake gives them (migration 013): the cases are seeded in report order. */
const numberOfDay = new Map<string, number>();
let batch: Array<Insertable<CasesTable>> = [];
for (let i = 0; i < CASES;) {
  const lng = bx0! + rand() * (bx1! - bx0!);
  const lat = by0! + rand() * (by1! - by0!);
  if (!pointInFeature(county, 0, lng, lat)) continue;
  const location = geo.locate(lng, lat);
  if (!location) continue;
  const matter = pick(matters);
  const at = start + Math.floor((i / CASES) * span);
  const id = timeOrderedId(at);
  const noDay = numberDayOf(at);
  const noSeq = (numberOfDay.get(noDay) ?? 0) + 1;
  numberOfDay.set(noDay, noSeq);
  const description = `${location.first.name}${pick(SIDES)}${matter.name}，${pick(TAILS)}`;
  const phone = `1${30 + Math.floor(rand() * 60)}-${String(Math.floor(rand() * 1e4)).padStart(4, '0')}-${String(Math.floor(rand() * 1e4)).padStart(4, '0')}`;
  const reporter = rand() < 0.7 ? { name: pick(SURNAMES) + pick(GIVEN), phone } : null;
  // What the searches look for: a case a third of the way in (its phone and number), a reporter.
  if (!probes.phone && i >= CASES / 3 && reporter) {
    probes.phone = phone.slice(4); // the last eight digits with their dash, as read out
    probes.id = id.slice(-12).toUpperCase();
    probes.no = caseNumber(noDay, noSeq);
  }
  if (!probes.name && i >= CASES / 2 && reporter) probes.name = reporter.name;
  const township = location.township;
  // What a case carries from intake; the columns the schema defaults (nulls, zero counters) left to it.
  batch.push({
    id,
    no_day: noDay,
    no_seq: noSeq,
    created_by: 'bench',
    created_at: at,
    updated_at: at,
    version: 2,
    status: statusOf(rand()),
    matter_code: matter.code,
    domain: matter.domain,
    source: 'grid_worker',
    description,
    search_text: searchTextOf({ description, domain: matter.domain, location, reporter }),
    reporter: reporter ? JSON.stringify(reporter) : null,
    photos: '[]',
    lng,
    lat,
    township_code: township.code,
    location: JSON.stringify(location),
    route: JSON.stringify({
      assignee: { kind: 'township', ...township },
      cooperating: [],
      reason: `事项已赋权${township.name}，由${township.name}主办`,
      needsReview: false,
    }),
    assignee_kind: 'township',
    assignee_code: township.code,
    assignee_name: township.name,
    cooperating: '[]',
    dispatched_at: at,
    first_dispatched_at: at,
  } as Insertable<CasesTable>);
  i++;
  if (batch.length === 2000 || i === CASES) {
    const rows = batch;
    batch = [];
    await db.transaction().execute((trx) => insertRows(trx, 'cases', rows));
    if (i % 20_000 === 0 || i === CASES)
      console.error(`[bench] seeded ${i.toLocaleString('en')} of ${CASES.toLocaleString('en')} cases`);
  }
}
const seedS = (performance.now() - t0) / 1000;
console.error(`[bench] ${CASES.toLocaleString('en')} cases in ${seedS.toFixed(1)} s`);
// Intake indexes new cases 64 at a time; seeded rows wait, and are indexed as at a start.
const t1 = performance.now();
await ensureSearchIndex(db);
const indexS = (performance.now() - t1) / 1000;
console.error(`[bench] indexed them in ${indexS.toFixed(1)} s`);
await sql`analyze`.execute(db);
// What the index takes on disk, against the cases table with its own indexes.
let indexMB: number;
let casesMB: number;
if (engine === 'sqlite') {
  const sizes = await sql<{ name: string; bytes: number }>`
    select name, sum(pgsize) as bytes from dbstat group by name`.execute(db);
  const bytesOf = (match: (name: string) => boolean) =>
    sizes.rows.filter((r) => match(r.name)).reduce((a, r) => a + Number(r.bytes), 0);
  indexMB = bytesOf((n) => n.startsWith('case_search')) / 2 ** 20;
  casesMB =
    bytesOf((n) => n === 'cases' || n.startsWith('cases_') || n.startsWith('sqlite_autoindex_cases')) /
    2 ** 20;
} else {
  const r = await sql<{ idx: number; total: number }>`
    select pg_relation_size('cases_search_trgm') + pg_relation_size('cases_id_trgm') as idx,
           pg_total_relation_size('cases') as total`.execute(db);
  indexMB = Number(r.rows[0]!.idx) / 2 ** 20;
  casesMB = (Number(r.rows[0]!.total) - Number(r.rows[0]!.idx)) / 2 ** 20;
}

// --- the two ways ------------------------------------------------------------------------------
type SelectCases = SelectQueryBuilder<Database, 'cases', object>;
type Where = (
  eb: ExpressionBuilder<Database, 'cases'>,
) => ReturnType<ExpressionBuilder<Database, 'cases'>['or']>;
const COLUMNS = ['id', 'description', 'location', 'reporter', 'assignee_name', 'domain'] as const;
function columnsFilter(text: string): Where {
  const needle = text.toLowerCase();
  const pattern = `%${needle.replace(/[!%_]/g, '!$&')}%`;
  const codes = matters.filter((m) => m.name.includes(needle)).map((m) => m.code);
  return (eb) =>
    eb.or([
      ...COLUMNS.map((c) => sql<SqlBool>`lower(${sql.ref(c)}) like ${pattern} escape '!'`),
      ...(codes.length ? [eb('matter_code', 'in', codes)] : []),
    ]);
}

/** The list's two queries, as GET /api/cases runs them: the count, and the newest page (its ids first). */
async function search(
  where: () => Promise<Where>,
  on: typeof db = db,
): Promise<{ ms: number; total: number }> {
  const t = performance.now();
  const base = on.selectFrom('cases').where(await where());
  const [, count] = await Promise.all([
    newestPage(on, base, PAGE).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { ms: performance.now() - t, total: Number(count.n) };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const QUERIES: Array<[string, string]> = [
  ['a common word', '垃圾'],
  ['a township', '米山镇'],
  ['a street', '东城街道'],
  ["the caller's phone, as read out", probes.phone],
  ['a reporter', probes.name],
  ['part of a case id', probes.id],
  ['a case number', probes.no],
  ['nothing like it', '不存在的文字'],
];

/** Pads to `n` columns of a terminal, where a Chinese character takes two. */
const pad = (s: string, n: number) => {
  const width = [...s].reduce((w, ch) => w + (ch.codePointAt(0)! >= 0x2e80 ? 2 : 1), 0);
  return s + ' '.repeat(Math.max(1, n - width));
};
console.log(
  `data: ${CASES.toLocaleString('en')} cases on ${engine === 'sqlite' ? 'embedded SQLite' : 'PostgreSQL'}, places from the county pack; each search = count + newest page of ${PAGE - 1}, median of ${ROUNDS}`,
);
console.log(
  `${pad('search', 48)}  way  server (ms)  scan (ms)  scan/server  columns (ms)   found (server / scan / columns)`,
);
/** PostgreSQL without its trigram indexes: GIN is only read by bitmap scans, turned off here. */
const withoutIndex = <T>(run: (conn: typeof db) => Promise<T>): Promise<T> =>
  db.connection().execute(async (conn) => {
    await sql`set enable_bitmapscan = off`.execute(conn);
    try {
      return await run(conn);
    } finally {
      await sql`reset enable_bitmapscan`.execute(conn);
    }
  });
/** What the server does: SQLite asks the index's statistics; PostgreSQL's planner chooses. */
const serverIndexed = async (text: string) =>
  engine === 'sqlite' && (await trigramIndexHelps(db, searchNeedle(text)));
const ways: Array<(text: string) => Promise<{ ms: number; total: number }>> = [
  (text) => search(async () => caseTextFilter(text, matters, await serverIndexed(text)) as unknown as Where),
  (text) =>
    engine === 'sqlite'
      ? search(async () => caseTextFilter(text, matters, false) as unknown as Where)
      : withoutIndex((conn) =>
          search(async () => caseTextFilter(text, matters, false) as unknown as Where, conn),
        ),
  (text) => search(async () => columnsFilter(text)),
];
const medians: [number[], number[], number[]] = [[], [], []];
for (const [label, text] of QUERIES) {
  const ms: [number[], number[], number[]] = [[], [], []];
  const found: number[] = [];
  for (let r = 0; r < ROUNDS; r++)
    for (const [w, way] of ways.entries()) {
      const x = await way(text);
      ms[w]!.push(x.ms);
      found[w] = x.total;
    }
  const m = ms.map(median) as [number, number, number];
  m.forEach((v, w) => medians[w]!.push(v));
  if (found[0] !== found[1])
    throw new Error(`the server found ${found[0]} cases for ${text}, the scan ${found[1]}`);
  const way = engine === 'postgres' ? 'plan' : (await serverIndexed(text)) ? 'index' : 'scan';
  console.log(
    `${pad(`${label} (${text})`, 48)}${way.padStart(6)}${m[0].toFixed(1).padStart(10)}${m[1].toFixed(0).padStart(11)}${`${(m[1] / m[0]).toFixed(1)}×`.padStart(12)}${m[2].toFixed(0).padStart(13)}   ${found.join(' / ')}`,
  );
}
const [oursMs, scanMs, theirsMs] = medians.map(median) as [number, number, number];
console.log(
  `median over the searches: server ${oursMs.toFixed(1)} ms, scan ${scanMs.toFixed(0)} ms, columns ${theirsMs.toFixed(0)} ms`,
);

// The lists without a search (GET /api/cases?status=…): the server reads the page in one query (the
// engine sorts the selected rows whole), against choosing the page's ids first as a search does
// (newestPage), which would sort only (created_at, id) but look every row up a second time.
const DAY_MS = 86_400_000;
const someTownship = geo.townships[0]!.code;
const LISTS: Array<[string, (q: SelectCases) => SelectCases, number]> = [
  [
    "closed and rejected of the last 30 days, 500 (the screen's start)",
    (q) =>
      q.where('status', 'in', ['closed', 'rejected']).where('created_at', '>=', start + span - 30 * DAY_MS),
    501,
  ],
  ['closed and rejected, newest 50', (q) => q.where('status', 'in', ['closed', 'rejected']), 51],
  ['open (dispatched), 500', (q) => q.where('status', 'in', ['dispatched']), 501],
  ['every closed case, newest 50', (q) => q.where('status', 'in', ['closed']), 51],
  ['a township, every state, newest 50', (q) => q.where('township_code', '=', someTownship), 51],
];
console.log(`${pad('list', 60)}  way  ids first (ms)  whole rows (ms)   rows`);
/** Per list: the way the server takes (pageIdsFirst), and the other. */
const listMedians: [number[], number[]] = [[], []];
for (const [label, where, n] of LISTS) {
  const ms: [number[], number[]] = [[], []];
  let rows: [string[], string[]] = [[], []];
  for (let r = 0; r < ROUNDS; r++) {
    let t = performance.now();
    const ours = await newestPage(db, where(db.selectFrom('cases')), n).execute();
    ms[0].push(performance.now() - t);
    t = performance.now();
    const whole = await where(db.selectFrom('cases'))
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(n)
      .execute();
    ms[1].push(performance.now() - t);
    rows = [ours.map((x) => x.id), whole.map((x) => x.id)];
  }
  if (rows[0].join() !== rows[1].join()) throw new Error(`the two ways listed different cases for ${label}`);
  const m = ms.map(median) as [number, number];
  const idsFirst = pageIdsFirst({}); // a list, no search
  listMedians[0].push(idsFirst ? m[0] : m[1]);
  listMedians[1].push(idsFirst ? m[1] : m[0]);
  console.log(
    `${pad(label, 60)}${(idsFirst ? 'ids' : 'rows').padStart(5)}${m[0].toFixed(1).padStart(15)}${m[1].toFixed(1).padStart(17)}${String(rows[0].length).padStart(7)}`,
  );
}
// The screen's start (the first list) is the one that selects thousands of rows of two states.
const [listMs, otherListMs] = [listMedians[0][0]!, listMedians[1][0]!];
console.log(
  `the screen's closed and rejected cases: the server's way ${listMs.toFixed(1)} ms, the other ${otherListMs.toFixed(1)} ms (${(otherListMs / listMs).toFixed(2)}×)`,
);
console.log(
  `on disk: the index ${indexMB.toFixed(1)} MB beside ${casesMB.toFixed(1)} MB of cases and their indexes; ${engine === 'sqlite' ? `indexing all ${CASES.toLocaleString('en')} at once ${indexS.toFixed(1)} s` : `the indexes kept up by every insert of the seeding (${seedS.toFixed(1)} s)`}`,
);
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
if (PG_URL) await pgQuery(PG_URL, `drop database if exists ${pgName} with (force)`);
console.log(
  JSON.stringify({
    bench: 'search',
    engine,
    cases: CASES,
    medianMs: Number(oursMs.toFixed(1)),
    worstMs: Number(Math.max(...medians[0]).toFixed(1)),
    scanMedianMs: Math.round(scanMs),
    columnsMedianMs: Math.round(theirsMs),
    speedup: Number((scanMs / oursMs).toFixed(1)),
    screenListMs: Number(listMs.toFixed(1)),
    screenListOtherWayMs: Number(otherListMs.toFixed(1)),
    indexMB: Number(indexMB.toFixed(1)),
    casesMB: Number(casesMB.toFixed(1)),
  }),
);
