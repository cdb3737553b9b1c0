// Splits one polygon into n plausible areas that tile it exactly: Voronoi cells of well-spread
// seeds, every interior edge replaced by a seeded wiggly line shared by both neighbours, clipped
// to the parent. Children inherit the parent's vertices along its boundary, so tiers nest exactly.
import { featureCollection, point, voronoi } from '@turf/turf';
import polygonClipping from 'polygon-clipping';
import {
  bboxOf,
  cleanRing,
  mPerDegLng,
  M_PER_DEG_LAT,
  pointInRings,
  polyArea,
  selfIntersections,
  type Poly,
  type Position,
  type Ring,
} from './geometry';
import { hashString, mulberry32 } from './random';

export interface PartitionOptions {
  /** Names the randomness: the same key always gives the same cells. */
  key: string;
  /** Edges are subdivided until their pieces are about this long (metres). */
  segmentMeters: number;
  /** Seeds to use as they are (e.g. the three streets around the city centre). */
  seeds?: Position[];
  /** Only spread seeds over sample points passing this filter. */
  sampleFilter?: (p: Position) => boolean;
}

export interface Partition {
  seeds: Position[];
  /** One simple counter-clockwise ring per seed, rounded to 6 decimals, in seed order. */
  cells: Ring[];
}

/** Random points inside the polygon, in a metric-ish frame (x scaled by cos lat). */
export function samplePoints(
  parent: Poly,
  count: number,
  rand: () => number,
  filter?: (p: Position) => boolean,
) {
  const [x0, y0, x1, y1] = bboxOf(parent);
  const out: Position[] = [];
  for (let tries = 0; out.length < count && tries < count * 400; tries++) {
    const p: Position = [x0 + rand() * (x1 - x0), y0 + rand() * (y1 - y0)];
    if (pointInRings(p[0], p[1], parent) && (!filter || filter(p))) out.push(p);
  }
  return out;
}

/** Lloyd-style k-means over samples: seeds end up evenly spread, so cells have similar areas. */
export function spreadSeeds(samples: Position[], n: number, lat: number, iterations = 10): Position[] {
  if (samples.length < n) throw new Error(`only ${samples.length} samples for ${n} seeds`);
  const k = mPerDegLng(lat) / M_PER_DEG_LAT;
  const step = samples.length / n;
  const seeds: Position[] = Array.from(
    { length: n },
    (_, i) => [...samples[Math.floor(i * step)]!] as Position,
  );
  const sx = new Float64Array(n),
    sy = new Float64Array(n),
    cnt = new Int32Array(n);
  for (let it = 0; it < iterations; it++) {
    sx.fill(0);
    sy.fill(0);
    cnt.fill(0);
    for (const [x, y] of samples) {
      let best = 0,
        bestD = Infinity;
      for (let s = 0; s < n; s++) {
        const dx = (x - seeds[s]![0]) * k,
          dy = y - seeds[s]![1];
        const d = dx * dx + dy * dy;
        if (d < bestD) {
          bestD = d;
          best = s;
        }
      }
      sx[best]! += x;
      sy[best]! += y;
      cnt[best]!++;
    }
    for (let s = 0; s < n; s++) if (cnt[s]! > 0) seeds[s] = [sx[s]! / cnt[s]!, sy[s]! / cnt[s]!];
  }
  return seeds;
}

/**
 * Longest straight piece of any generated edge. A child's corner on its parent's outline is
 * rounded to 6 decimals (±5 cm) off the parent's segment; short segments keep the sliver that
 * leaves far below the 0.01 % tiling tolerance.
 */
export const MAX_PIECE_METERS = 50;

/** Insert evenly spaced points so no piece of the line is longer than `maxMeters`. */
export function densify(line: Position[], maxMeters: number, kx = mPerDegLng(line[0]![1])): Position[] {
  const out: Position[] = [line[0]!];
  for (let i = 1; i < line.length; i++) {
    const u = line[i - 1]!,
      v = line[i]!;
    const len = Math.hypot((v[0] - u[0]) * kx, (v[1] - u[1]) * M_PER_DEG_LAT);
    const pieces = Math.ceil(len / maxMeters);
    for (let k = 1; k < pieces; k++)
      out.push([u[0] + ((v[0] - u[0]) * k) / pieces, u[1] + ((v[1] - u[1]) * k) / pieces]);
    out.push(v);
  }
  return out;
}

/** A wiggly replacement for the edge a→b, the same for b→a (reversed), decided by the edge alone. */
function jitterEdge(
  a: Position,
  b: Position,
  segmentMeters: number,
  key: string,
  amplitude: number,
): Position[] {
  const forward = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const [p, q] = forward ? [a, b] : [b, a];
  const rand = mulberry32(hashString(`${key}|${p[0]},${p[1]}|${q[0]},${q[1]}`));
  const kx = mPerDegLng(p[1]);
  const lengthM = Math.hypot((q[0] - p[0]) * kx, (q[1] - p[1]) * M_PER_DEG_LAT);
  const levels = Math.max(0, Math.min(6, Math.floor(Math.log2(lengthM / segmentMeters))));
  const out: Position[] = [];
  // Midpoint displacement: each level moves midpoints at most 0.17 of the piece's length sideways,
  // which keeps the line inside a thin diamond around the edge, so neighbouring edges never cross.
  const split = (u: Position, v: Position, level: number) => {
    if (level === 0) return;
    const dx = (v[0] - u[0]) * kx,
      dy = (v[1] - u[1]) * M_PER_DEG_LAT;
    const off = (rand() * 2 - 1) * amplitude;
    const m: Position = [
      (u[0] + v[0]) / 2 + (-dy * off) / kx,
      (u[1] + v[1]) / 2 + (dx * off) / M_PER_DEG_LAT,
    ];
    split(u, m, level - 1);
    out.push(m);
    split(m, v, level - 1);
  };
  split(p, q, levels);
  return densify([p, ...out, q], MAX_PIECE_METERS, kx)
    .slice(1, -1)
    [forward ? 'slice' : 'reverse']();
}

const edgeKey = (a: Position, b: Position) =>
  a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])
    ? `${a[0]},${a[1]}|${b[0]},${b[1]}`
    : `${b[0]},${b[1]}|${a[0]},${a[1]}`;

function jitterRing(
  ring: Ring,
  box: number[],
  segmentMeters: number,
  key: string,
  damping: Map<string, number>,
): Ring {
  const out: Ring = [];
  const onBox = (p: Position, q: Position) =>
    (p[0] === q[0] && (p[0] === box[0] || p[0] === box[2])) ||
    (p[1] === q[1] && (p[1] === box[1] || p[1] === box[3]));
  for (let i = 0; i < ring.length - 1; i++) {
    const a = ring[i]!,
      b = ring[i + 1]!;
    out.push(a);
    if (!onBox(a, b))
      out.push(...jitterEdge(a, b, segmentMeters, key, 0.17 * (damping.get(edgeKey(a, b)) ?? 1)));
    else out.push(...densify([a, b], MAX_PIECE_METERS).slice(1, -1));
  }
  out.push(ring[0]!);
  return out;
}

const keyOf = (p: Position) => `${p[0]},${p[1]}`;

/**
 * d3-voronoi can clip two neighbouring cells to the box at points a hair apart; their edges would
 * then wiggle differently and leave a gap. One representative per cluster of close vertices fixes it.
 */
function mergeNearVertices(rings: Ring[], eps: number): void {
  const buckets = new Map<string, Position[]>();
  const rep = (p: Position): Position => {
    const bx = Math.floor(p[0] / eps),
      by = Math.floor(p[1] / eps);
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (const q of buckets.get(`${bx + dx},${by + dy}`) ?? [])
          if (Math.abs(q[0] - p[0]) <= eps && Math.abs(q[1] - p[1]) <= eps) return q;
    const k = `${bx},${by}`;
    buckets.set(k, [...(buckets.get(k) ?? []), p]);
    return p;
  };
  for (const ring of rings) {
    const merged = ring.map(rep).filter((p, i, a) => i === 0 || p !== a[i - 1]);
    ring.splice(0, ring.length, ...merged);
  }
}

function isSimple(ring: Ring): boolean {
  return ring.length >= 4 && selfIntersections(ring, 1).length === 0 && polyArea([ring]) > 0;
}

/** Merge pieces cut off by a concave parent into the neighbour they share most vertices with. */
function attachFragments(pieces: Poly[][]): Poly[] | null {
  const mains: Poly[] = [];
  const strays: Poly[] = [];
  for (const mp of pieces) {
    const sorted = [...mp].sort((a, b) => polyArea(b) - polyArea(a));
    if (!sorted[0]) return null;
    mains.push(sorted[0]);
    strays.push(...sorted.slice(1));
  }
  for (const stray of strays) {
    const keys = new Set(stray[0]!.map(keyOf));
    const ranked = mains
      .map((m, i) => ({ i, shared: m[0]!.reduce((n, p) => n + (keys.has(keyOf(p)) ? 1 : 0), 0) }))
      .filter((r) => r.shared >= 1)
      .sort((a, b) => b.shared - a.shared || a.i - b.i);
    let merged = false;
    for (const { i } of ranked) {
      const u = polygonClipping.union(mains[i]!, stray);
      if (u.length === 1 && u[0]!.length === 1) {
        mains[i] = u[0]!;
        merged = true;
        break;
      }
    }
    // Dropping even a 1 m² sliver would leave a hole someone could stand in: try other seeds.
    if (!merged) return null;
  }
  return mains;
}

function tryPartition(parent: Poly, seeds: Position[], opts: PartitionOptions, salt: number): Ring[] | null {
  const [x0, y0, x1, y1] = bboxOf(parent);
  const padX = (x1 - x0) * 0.2 + 1e-3,
    padY = (y1 - y0) * 0.2 + 1e-3;
  const box = [x0 - padX, y0 - padY, x1 + padX, y1 + padY] as [number, number, number, number];
  const cells = voronoi(featureCollection(seeds.map((s) => point(s))), { bbox: box });
  const key = `${opts.key}#${salt}`;
  const segmentMeters = opts.segmentMeters * (1 + salt * 0.5);
  const voronoiRings: Ring[] = [];
  for (let i = 0; i < seeds.length; i++) {
    const cell = cells.features[i];
    if (!cell) return null;
    voronoiRings.push(cell.geometry.coordinates[0] as Ring);
  }
  mergeNearVertices(voronoiRings, 1e-6);
  // Wiggles that cross a neighbouring edge (where cell corners are sharp) are calmed, then straightened.
  const damping = new Map<string, number>();
  let rings: Ring[] = [];
  for (let pass = 0; pass < 6; pass++) {
    rings = voronoiRings.map((r) => jitterRing(r, box, segmentMeters, key, damping));
    let clean = true;
    rings.forEach((r, i) => {
      if (selfIntersections(r, 1).length === 0) return;
      clean = false;
      const v = voronoiRings[i]!;
      for (let k = 0; k < v.length - 1; k++) {
        const e = edgeKey(v[k]!, v[k + 1]!);
        damping.set(e, pass >= 4 ? 0 : (damping.get(e) ?? 1) / 2);
      }
    });
    if (clean) break;
  }
  const pieces = rings.map((ring) => polygonClipping.intersection([ring], parent) as Poly[]);
  const mains = attachFragments(pieces);
  if (!mains) return null;
  const out: Ring[] = [];
  for (const m of mains) {
    if (m.length !== 1) return null;
    const ring = cleanRing(m[0]!);
    if (!isSimple(ring)) return null;
    out.push(ring);
  }
  snapCrossings(out, parent[0]!);
  return out;
}

/**
 * Where an inner edge meets the parent's outline the clipper makes a new corner; rounded to
 * 6 decimals it sits a few centimetres off the parent's segment and leaves a sliver nobody owns.
 * Moving that corner (in every cell that has it) onto an end of the parent's segment removes the
 * sliver; a move that would make a cell cross itself is skipped.
 */
function snapCrossings(cells: Ring[], outline: Ring): void {
  const parentKeys = new Set(outline.map(keyOf));
  const owners = new Map<string, number[]>();
  cells.forEach((ring, c) => {
    for (let i = 0; i < ring.length - 1; i++) {
      const k = keyOf(ring[i]!);
      if (parentKeys.has(k)) continue;
      const list = owners.get(k) ?? [];
      if (!list.includes(c)) list.push(c);
      owners.set(k, list);
    }
  });
  for (const [k, cellIds] of owners) {
    const [vx, vy] = k.split(',').map(Number) as [number, number];
    const seg = nearestSegment(outline, vx, vy);
    if (!seg) continue;
    for (const target of seg) {
      const moved = cellIds.map((c) =>
        cleanRing(cells[c]!.map((p) => (p[0] === vx && p[1] === vy ? target : p))),
      );
      if (moved.every(isSimple)) {
        cellIds.forEach((c, i) => (cells[c] = moved[i]!));
        break;
      }
    }
  }
}

/** The ends of the outline segment the point lies on (within ~0.1 m), nearer end first. */
function nearestSegment(outline: Ring, x: number, y: number): [Position, Position] | null {
  for (let i = 0; i < outline.length - 1; i++) {
    const a = outline[i]!,
      b = outline[i + 1]!;
    if (x < Math.min(a[0], b[0]) - 1e-6 || x > Math.max(a[0], b[0]) + 1e-6) continue;
    if (y < Math.min(a[1], b[1]) - 1e-6 || y > Math.max(a[1], b[1]) + 1e-6) continue;
    const dx = b[0] - a[0],
      dy = b[1] - a[1];
    const len2 = dx * dx + dy * dy;
    if (len2 === 0) continue;
    if (Math.abs((x - a[0]) * dy - (y - a[1]) * dx) / Math.sqrt(len2) > 1e-6) continue;
    const t = ((x - a[0]) * dx + (y - a[1]) * dy) / len2;
    if (t < -0.01 || t > 1.01) continue;
    return t < 0.5 ? [a, b] : [b, a];
  }
  return null;
}

/** Split `parent` (one exterior ring, no holes) into `n` cells. Throws if no salt gives clean cells. */
export function partition(parent: Poly, n: number, opts: PartitionOptions): Partition {
  const rand = mulberry32(hashString(opts.key));
  let seeds = opts.seeds;
  if (!seeds) {
    const lat = (bboxOf(parent)[1] + bboxOf(parent)[3]) / 2;
    seeds = spreadSeeds(samplePoints(parent, Math.max(300, n * 40), rand, opts.sampleFilter), n, lat);
  }
  if (n === 1) return { seeds, cells: [cleanRing(parent[0]!)] };
  for (let salt = 0; salt < 6; salt++) {
    const cells = tryPartition(parent, seeds, opts, salt);
    if (cells) return { seeds, cells };
  }
  throw new Error(`could not partition ${opts.key} into ${n} clean cells`);
}
