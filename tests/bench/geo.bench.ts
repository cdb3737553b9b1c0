// npm run bench:geo — the jurisdiction index against which-polygon (the usual choice) and a linear
// scan with @turf/boolean-point-in-polygon, on the real micro-grid layer and the same seeded points.
// Last line: one JSON object for CI.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { GEO_LAYERS, LAYER_FILES, type GeoLayer } from '../../shared/geo';
import { buildGeoIndex, type PackLayers } from '../../server/geo/index';
import { flattenPolygons, pointInFeature } from '../../server/geo/cell-index';

const require = createRequire(import.meta.url);
const whichPolygon = require('which-polygon') as (
  fc: FeatureCollection,
) => (p: [number, number]) => { code: string } | null;

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const PACK = path.resolve(import.meta.dirname, '../../geo/gaoping');
const POINTS = Number(process.env.GEO_BENCH_POINTS ?? 200_000);
const TURF_POINTS = 300;
const ROUNDS = 7;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const t0 = performance.now();
const layers = {} as PackLayers;
for (const l of GEO_LAYERS as readonly GeoLayer[])
  layers[l] = JSON.parse(fs.readFileSync(path.join(PACK, LAYER_FILES[l]), 'utf8')) as FeatureCollection;
const parseMs = performance.now() - t0;
const micro = layers.micro as FeatureCollection<Polygon | MultiPolygon, { code: string }>;

// Seeded points inside the county outline: clues always come from within the county.
const county = flattenPolygons([(layers.county.features[0] as Feature<Polygon>).geometry]);
const [bx0, by0, bx1, by1] = county.bbox;
const rand = mulberry32(20240601);
const pts = new Float64Array(POINTS * 2);
for (let i = 0; i < POINTS;) {
  const x = bx0! + rand() * (bx1! - bx0!),
    y = by0! + rand() * (by1! - by0!);
  if (!pointInFeature(county, 0, x, y)) continue;
  pts[i * 2] = x;
  pts[i * 2 + 1] = y;
  i++;
}

function heapNow() {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

type Lookup = (x: number, y: number) => unknown;
/** Wall-clock and CPU milliseconds. On a shared machine CPU time is the honest "one core" figure. */
interface Took {
  wall: number;
  cpu: number;
}

function measure(run: () => void): Took {
  const c = process.cpuUsage();
  const s = performance.now();
  run();
  const wall = performance.now() - s;
  const d = process.cpuUsage(c);
  return { wall, cpu: (d.user + d.system) / 1000 };
}

function pass(lookup: Lookup, n: number): Took {
  let sink = 0;
  const took = measure(() => {
    for (let i = 0; i < n; i++) if (lookup(pts[i * 2]!, pts[i * 2 + 1]!)) sink++;
  });
  if (sink < 0) console.log(sink);
  return took;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const medianTook = (ts: Took[]): Took => ({
  wall: median(ts.map((t) => t.wall)),
  cpu: median(ts.map((t) => t.cpu)),
});

/**
 * Median time of one pass over the first n points, per lookup function. Rounds alternate between
 * the functions so that a busy neighbour on a shared machine slows all of them alike.
 */
function time(lookups: Lookup[], n: number): Took[] {
  for (const l of lookups) pass(l, Math.min(n, 20_000)); // warm-up
  const runs = lookups.map(() => [] as Took[]);
  for (let r = 0; r < ROUNDS; r++) lookups.forEach((l, k) => runs[k]!.push(pass(l, n)));
  return runs.map(medianTook);
}

// Ours: the whole index the server uses (township chain, dedicated grids, nearBoundary).
const CELL_METERS = process.env.GEO_CELL_METERS ? Number(process.env.GEO_CELL_METERS) : undefined;
const build = () => buildGeoIndex(layers, { boundaryMeters: 30, cellMeters: CELL_METERS });
const heap0 = heapNow();
let index = build();
const heapMB = (heapNow() - heap0) / 1e6;
const builds: Took[] = [];
for (let k = 0; k < 7; k++) builds.push(measure(() => (index = build())));
const buildTook = medianTook(builds);

let wp: ReturnType<typeof whichPolygon> = () => null;
const wpBuild = measure(() => (wp = whichPolygon(micro)));
const [ours, which] = time([(x, y) => index.locate(x, y), (x, y) => wp([x, y])], POINTS) as [Took, Took];

const turfScan = (x: number, y: number) => {
  for (const f of micro.features) if (booleanPointInPolygon([x, y], f)) return f.properties.code;
  return null;
};
const [turf] = time([turfScan], TURF_POINTS) as [Took];

// The three must agree, or the speed means nothing.
let disagree = 0;
for (let i = 0; i < TURF_POINTS; i++) {
  const x = pts[i * 2]!,
    y = pts[i * 2 + 1]!;
  const a = index.locate(x, y)?.micro.code ?? null,
    b = wp([x, y])?.code ?? null,
    c = turfScan(x, y);
  if (a !== b || a !== c) disagree++;
}

const ns = (ms: number, n: number) => (ms * 1e6) / n;
const oursNs = ns(ours.cpu, POINTS),
  whichNs = ns(which.cpu, POINTS),
  turfNs = ns(turf.cpu, TURF_POINTS);
const st = index.stats.micro;
const fmt = (v: number, d = 0) =>
  v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const rows = [
  ['method', 'build ms', 'lookups/s', 'ns/lookup', 'wall ns/lookup', 'ours is'],
  [
    'jurisdiction index (ours)',
    fmt(buildTook.cpu, 1),
    fmt(1e9 / oursNs),
    fmt(oursNs, 1),
    fmt(ns(ours.wall, POINTS), 1),
    '—',
  ],
  [
    'which-polygon 2.2',
    fmt(wpBuild.cpu, 1),
    fmt(1e9 / whichNs),
    fmt(whichNs, 1),
    fmt(ns(which.wall, POINTS), 1),
    `${fmt(whichNs / oursNs, 1)}× faster`,
  ],
  [
    'turf scan (linear)',
    '0',
    fmt(1e9 / turfNs),
    fmt(turfNs, 0),
    fmt(ns(turf.wall, TURF_POINTS), 0),
    `${fmt(turfNs / oursNs, 0)}× faster`,
  ],
];
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
console.log(
  `geo bench: ${micro.features.length.toLocaleString('en-US')} micro-grids, ${POINTS.toLocaleString('en-US')} seeded points in 高平市 (turf: first ${TURF_POINTS}), median of ${ROUNDS} rounds`,
);
console.log(
  `index: ${st.columns}×${st.rows} cells of ${st.cellMeters} m, ${fmt((st.interiorCells / (st.interiorCells + st.edgeCells)) * 100, 1)} % of covered cells answer without a point-in-polygon test`,
);
console.log(
  `times are CPU time of this single-threaded process (the machine may be shared; load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores); build: median of ${builds.length}, wall ${fmt(buildTook.wall, 1)} ms; parsing the layers (${fmt(parseMs, 0)} ms) is not included`,
);
for (const [i, r] of rows.entries()) {
  console.log(r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
console.log(
  `agreement on ${TURF_POINTS} points: ${disagree === 0 ? 'all three agree' : `${disagree} disagreements`}`,
);
console.log(
  JSON.stringify({
    bench: 'geo',
    lookupsPerSec: Math.round(1e9 / oursNs),
    nsPerLookup: Number(oursNs.toFixed(1)),
    buildMs: Number(buildTook.cpu.toFixed(1)),
    ratioVsWhichPolygon: Number((whichNs / oursNs).toFixed(2)),
    ratioVsTurfScan: Number((turfNs / oursNs).toFixed(0)),
    heapMB: Number(heapMB.toFixed(1)),
  }),
);
if (disagree > 0) process.exitCode = 1;
