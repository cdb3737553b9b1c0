// The jurisdiction index: built once from a county pack at server start, then answers
// "which township and grids contain this point?" without allocating on the common path.
import fs from 'node:fs';
import path from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import {
  GEO_LAYERS,
  LAYER_FILES,
  type BoundaryNeighbour,
  type GeoLayer,
  type Jurisdiction,
  type UnitProperties,
  type UnitRef,
} from '../../shared/geo';
import { compareCodes } from '../../shared/codes';
import { BucketGrid } from './bucket-grid';
import {
  CellIndex,
  flattenPolygons,
  pointInFeature,
  type CellIndexStats,
  type FlatPolygons,
} from './cell-index';
import type { GeoIndex } from './types';

export interface GeoIndexOptions {
  /**
   * nearBoundary is true within this many metres of another township's boundary (0 turns it off);
   * the county's outline alone does not count (no township of the county lies beyond it).
   */
  boundaryMeters?: number;
  /**
   * Edge of the lookup grid's cells (default 40 m: ~4 MB; seven in ten lookups are one array read, and the
   * build stays well inside 200 ms — 30 m answers no faster but takes a quarter longer to build).
   * Smaller cells answer more lookups without a polygon test but miss the CPU cache more often.
   */
  cellMeters?: number;
}

export interface GeoIndexStats {
  /** Building the index from parsed layers. */
  buildMs: number;
  /** Reading and parsing the layer files (0 when built from objects). */
  parseMs: number;
  units: number;
  micro: CellIndexStats;
  boundarySegments: number;
}

export interface LoadedGeoIndex extends GeoIndex {
  readonly stats: GeoIndexStats;
  /** A layer file exactly as stored, so it can be served without serializing it again. */
  rawLayer(name: GeoLayer): Buffer | undefined;
}

export type PackLayers = Record<GeoLayer, FeatureCollection>;

export class GeoPackError extends Error {}

interface UnitEntry extends UnitRef {
  tier: string;
  parentCode: string;
  townshipCode: string;
  /** Of the unit's largest polygon; the geometry itself is not kept (see buildGeoIndex). */
  centroid: [number, number];
}

/**
 * Layers parsed again from their file when asked for (`layer()`), not kept parsed: 11.8 MB of
 * GeoJSON whose 445,000 coordinate arrays were ~65 MB of the server's heap for good, while only
 * the demo history and tests read them. The map gets the file's bytes (`rawLayer`).
 */
const PARSED_ON_DEMAND: ReadonlySet<GeoLayer> = new Set<GeoLayer>(['first', 'second', 'micro']);

const EMPTY: readonly UnitRef[] = Object.freeze([]);
const M_PER_DEG_LAT = 110_574;

/** Read the six layer files of a pack folder and build the index. */
export async function loadGeoIndex(dir: string, opts: GeoIndexOptions = {}): Promise<LoadedGeoIndex> {
  const t0 = performance.now();
  const raw = {} as Record<GeoLayer, Buffer>;
  await Promise.all(
    GEO_LAYERS.map(async (layer) => {
      const file = path.join(dir, LAYER_FILES[layer]);
      try {
        raw[layer] = await fs.promises.readFile(file);
      } catch (err) {
        throw new GeoPackError(`cannot read ${file}: ${(err as Error).message}`);
      }
    }),
  );
  const layers = {} as PackLayers;
  for (const layer of GEO_LAYERS) {
    try {
      layers[layer] = JSON.parse(raw[layer].toString('utf8')) as FeatureCollection;
    } catch (err) {
      throw new GeoPackError(`${path.join(dir, LAYER_FILES[layer])} is not JSON: ${(err as Error).message}`);
    }
  }
  return buildGeoIndex(layers, opts, raw, performance.now() - t0);
}

const TIER_SET = new Set<string>(['county', 'township', 'first', 'second', 'micro', 'dedicated']);

/** The properties the index relies on, checked by hand: zod over 10,000 features costs the start-up budget. */
function unitsOf(
  fc: FeatureCollection | undefined,
  layer: GeoLayer,
): Array<Feature<Polygon | MultiPolygon, UnitProperties>> {
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features))
    throw new GeoPackError(`layer ${layer} is not a GeoJSON FeatureCollection`);
  fc.features.forEach((f, i) => {
    const p = f.properties as Partial<UnitProperties> | null;
    if (
      !p ||
      typeof p.code !== 'string' ||
      typeof p.name !== 'string' ||
      typeof p.parentCode !== 'string' ||
      !TIER_SET.has(p.tier as string)
    )
      throw new GeoPackError(`layer ${layer} features[${i}]: needs string code, name, parentCode and a tier`);
    if (f.geometry?.type !== 'Polygon' && f.geometry?.type !== 'MultiPolygon')
      throw new GeoPackError(`layer ${layer} ${p.code}: geometry must be a Polygon or MultiPolygon`);
  });
  return fc.features as Array<Feature<Polygon | MultiPolygon, UnitProperties>>;
}

/**
 * Written as a literal on purpose: objects made with spread syntax end up with slow (dictionary)
 * properties in V8, and reading one costs a few hundred nanoseconds instead of ten.
 */
function jurisdiction(
  township: UnitRef,
  first: UnitRef,
  second: UnitRef,
  micro: UnitRef,
  dedicated: readonly UnitRef[],
  nearBoundary: boolean,
): Jurisdiction {
  return Object.freeze({
    township,
    first,
    second,
    micro,
    dedicated: (dedicated.length === 0 ? EMPTY : Object.freeze([...dedicated])) as UnitRef[],
    nearBoundary,
  });
}

/** `base` (not near) as it is at a point near the boundary of `neighbour`: made per point, rare. */
function nearJurisdiction(base: Jurisdiction, neighbour: BoundaryNeighbour): Jurisdiction {
  return Object.freeze({
    township: base.township,
    first: base.first,
    second: base.second,
    micro: base.micro,
    dedicated: base.dedicated,
    nearBoundary: true,
    neighbour: Object.freeze(neighbour),
  });
}

function ringArea(ring: number[][]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    s += ring[j]![0]! * ring[i]![1]! - ring[i]![0]! * ring[j]![1]!;
  return Math.abs(s) / 2;
}

/** The centroid of a unit's largest polygon (its outer ring). */
function centroidOf(geometry: Polygon | MultiPolygon, of: string): [number, number] {
  const polys = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates).filter(
    (p) => Array.isArray(p) && Array.isArray(p[0]) && p[0].length >= 3,
  );
  if (!polys.length) throw new GeoPackError(`${of}: the geometry has no ring of at least 3 points`);
  const largest = polys.reduce((a, b) => (ringArea(b[0]!) > ringArea(a[0]!) ? b : a));
  return ringCentroid(largest[0]!);
}

function ringCentroid(ring: number[][]): [number, number] {
  let a = 0,
    cx = 0,
    cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j]![0]! * ring[i]![1]! - ring[i]![0]! * ring[j]![1]!;
    a += f;
    cx += (ring[j]![0]! + ring[i]![0]!) * f;
    cy += (ring[j]![1]! + ring[i]![1]!) * f;
  }
  return a === 0 ? [ring[0]![0]!, ring[0]![1]!] : [cx / (3 * a), cy / (3 * a)];
}

export function buildGeoIndex(
  layers: PackLayers,
  opts: GeoIndexOptions = {},
  raw?: Partial<Record<GeoLayer, Buffer>>,
  parseMs = 0,
): LoadedGeoIndex {
  const t0 = performance.now();
  const boundaryMeters = opts.boundaryMeters ?? 30;

  const units = new Map<string, UnitEntry>();
  const refs = new Map<string, UnitRef>();
  const features = {} as Record<GeoLayer, Array<Feature<Polygon | MultiPolygon, UnitProperties>>>;
  for (const layer of GEO_LAYERS) {
    features[layer] = unitsOf(layers[layer], layer);
    for (const f of features[layer]) {
      const p = f.properties;
      if (units.has(p.code)) throw new GeoPackError(`duplicate code ${p.code}`);
      units.set(p.code, {
        code: p.code,
        name: p.name,
        tier: p.tier,
        parentCode: p.parentCode,
        townshipCode: p.townshipCode ?? '',
        centroid: centroidOf(f.geometry, `layer ${layer} ${p.code}`),
      });
      refs.set(p.code, Object.freeze({ code: p.code, name: p.name }));
    }
  }
  const countyFeature = features.county[0];
  if (!countyFeature) throw new GeoPackError('the county layer is empty');
  const ref = (code: string, tier: string, of: string): UnitRef => {
    const u = units.get(code);
    if (!u || u.tier !== tier) throw new GeoPackError(`${of}: parent ${code} is not a ${tier} in the pack`);
    return refs.get(code)!;
  };

  // Micro-grids answer the lookup; the chain above each one is resolved once, here.
  const micro = features.micro;
  const microIndex = new CellIndex(flattenPolygons(micro.map((f) => f.geometry)), opts.cellMeters ?? 40);
  const plain: Jurisdiction[] = new Array(micro.length);
  // Each township by its place in the townships layer (the boundary segments' owners).
  const townshipFeatures = features.townships;
  const townshipIndex = new Map(townshipFeatures.map((f, i) => [f.properties.code, i]));
  const townshipRefs = townshipFeatures.map((f) => refs.get(f.properties.code)!);
  /** The township of each micro-grid, by its place in the townships layer. */
  const townshipOfMicro = new Int32Array(micro.length);
  micro.forEach((f, i) => {
    const m = f.properties;
    const second = ref(m.parentCode, 'second', m.code);
    const first = ref(units.get(second.code)!.parentCode, 'first', second.code);
    const township = ref(units.get(first.code)!.parentCode, 'township', first.code);
    plain[i] = jurisdiction(township, first, second, refs.get(m.code)!, EMPTY, false);
    townshipOfMicro[i] = townshipIndex.get(township.code)!;
  });

  // Dedicated grids overlay the regular tiers and may overlap each other: test their boxes.
  const dedicated = features.dedicated;
  const dedicatedPolys = flattenPolygons(dedicated.map((f) => f.geometry));
  const dedicatedRefs = dedicated.map((f) => refs.get(f.properties.code)!);
  const box = dedicatedPolys.bbox;
  let dx0 = 0,
    dy0 = 0,
    dx1 = 0,
    dy1 = 0;
  for (let d = 0; d < dedicated.length; d++) {
    dx0 = d === 0 ? box[0]! : Math.min(dx0, box[d * 4]!);
    dy0 = d === 0 ? box[1]! : Math.min(dy0, box[d * 4 + 1]!);
    dx1 = d === 0 ? box[2]! : Math.max(dx1, box[d * 4 + 2]!);
    dy1 = d === 0 ? box[3]! : Math.max(dy1, box[d * 4 + 3]!);
  }
  const dedicatedGrid = new BucketGrid(dx0, dy0, dx1, dy1, 0.002, 0.002, box); // cells of ~200 m

  // Township boundaries, each segment with the township(s) whose outline it is: a border shared by
  // two townships appears in both polygons, a stretch of the county outline in one only.
  const {
    grid: boundaryGrid,
    segments,
    owners,
    boxes: boundaryBoxes,
    kx,
  } = buildBoundary(townshipFeatures, boundaryMeters);

  const withDedicated = new Map<string, Jurisdiction>();
  const hits: number[] = [];
  const limit2 = boundaryMeters * boundaryMeters;

  /** The township other than `own` whose outline segment `s` (its index) is, or -1: none. */
  const otherOwner = (s: number, own: number): number => {
    const a = owners[s * 2]!,
      b = owners[s * 2 + 1]!;
    return a !== own ? a : b !== own ? b : -1;
  };
  /** Squared metres from (x, y) to segment `s`. */
  const distance2 = (x: number, y: number, s: number): number => {
    const i = s * 4;
    const ax = segments[i]!,
      ay = segments[i + 1]!;
    const dx = (segments[i + 2]! - ax) * kx,
      dy = (segments[i + 3]! - ay) * M_PER_DEG_LAT;
    const px = (x - ax) * kx,
      py = (y - ay) * M_PER_DEG_LAT;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? (px * dx + py * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const ex = px - t * dx,
      ey = py - t * dy;
    return ex * ex + ey * ey;
  };

  /** Within boundaryMeters of the outline of a township other than `own` (index in the layer). */
  const isNear = (x: number, y: number, own: number): boolean => {
    if (!boundaryGrid) return false;
    const cell = boundaryGrid.cellOf(x, y);
    if (cell < 0) return false;
    for (let k = boundaryGrid.start(cell), end = boundaryGrid.end(cell); k < end; k++) {
      const s = boundaryGrid.items[k]!;
      if (otherOwner(s, own) >= 0 && distance2(x, y, s) <= limit2) return true;
    }
    return false;
  };

  /**
   * The nearest township other than `own` and the distance to its outline: only for a point
   * isNear has found near (every segment within the limit is listed in the point's cell).
   */
  const neighbourOf = (x: number, y: number, own: number): BoundaryNeighbour => {
    const cell = boundaryGrid!.cellOf(x, y);
    let best = -1,
      best2 = Infinity;
    for (let k = boundaryGrid!.start(cell), end = boundaryGrid!.end(cell); k < end; k++) {
      const s = boundaryGrid!.items[k]!;
      const other = otherOwner(s, own);
      if (other < 0) continue;
      const d2 = distance2(x, y, s);
      if (d2 < best2) {
        best2 = d2;
        best = other;
      }
    }
    return { township: townshipRefs[best]!, meters: Math.round(Math.sqrt(best2)) };
  };

  // The micro cells carry two flags, so most lookups never touch the other grids.
  const NEAR_BOUNDARY = 1,
    NEAR_DEDICATED = 2;
  if (boundaryGrid) microIndex.flagBoxes(boundaryBoxes, NEAR_BOUNDARY);
  microIndex.flagBoxes(dedicatedPolys.bbox, NEAR_DEDICATED);

  /** The answer near another township: the neighbour named, made for the point (rare). */
  const nearAnswer = (base: Jurisdiction, lng: number, lat: number, m: number): Jurisdiction =>
    nearJurisdiction(base, neighbourOf(lng, lat, townshipOfMicro[m]!));

  const locate = (lng: number, lat: number): Jurisdiction | null => {
    const v = microIndex.locateFlagged(lng, lat);
    if (v < 0) return null;
    const m = v >> 2;
    const nearBoundary = (v & NEAR_BOUNDARY) !== 0 && isNear(lng, lat, townshipOfMicro[m]!);
    if ((v & NEAR_DEDICATED) === 0) return nearBoundary ? nearAnswer(plain[m]!, lng, lat, m) : plain[m]!;
    const cell = dedicatedGrid.cellOf(lng, lat);
    if (cell < 0 || dedicatedGrid.start(cell) === dedicatedGrid.end(cell))
      return nearBoundary ? nearAnswer(plain[m]!, lng, lat, m) : plain[m]!;
    hits.length = 0;
    for (let k = dedicatedGrid.start(cell), end = dedicatedGrid.end(cell); k < end; k++) {
      const d = dedicatedGrid.items[k]!;
      if (pointInFeature(dedicatedPolys, d, lng, lat)) hits.push(d);
    }
    if (hits.length === 0) return nearBoundary ? nearAnswer(plain[m]!, lng, lat, m) : plain[m]!;
    // Rare (a point inside a school or market): one cached answer per combination.
    const key = `${m}|${hits.join(',')}`;
    let j = withDedicated.get(key);
    if (!j) {
      const b = plain[m]!;
      j = jurisdiction(
        b.township,
        b.first,
        b.second,
        b.micro,
        hits.map((d) => dedicatedRefs[d]!),
        false,
      );
      withDedicated.set(key, j);
    }
    return nearBoundary ? nearAnswer(j, lng, lat, m) : j;
  };

  const county = refs.get(countyFeature.properties.code)!;
  const townships = features.townships
    .map((f) => refs.get(f.properties.code)!)
    .sort((a, b) => compareCodes(a.code, b.code));
  const unitViews = new Map<
    string,
    UnitRef & { tier: string; townshipCode: string; centroid: [number, number] }
  >();

  // Only the small layers stay parsed; the grids are parsed again from their bytes when asked for.
  const kept: Partial<PackLayers> = {};
  for (const layer of GEO_LAYERS)
    if (!raw?.[layer] || !PARSED_ON_DEMAND.has(layer)) kept[layer] = layers[layer];
  const reparsed = new Map<GeoLayer, WeakRef<FeatureCollection>>();

  const buildMs = performance.now() - t0;
  return {
    locate,
    county,
    townships,
    unit(code) {
      let view = unitViews.get(code);
      if (view) return view;
      const u = units.get(code);
      if (!u) return undefined;
      view = Object.freeze({
        code: u.code,
        name: u.name,
        tier: u.tier,
        townshipCode: u.townshipCode,
        centroid: u.centroid,
      });
      unitViews.set(code, view);
      return view;
    },
    layer(name) {
      const held = kept[name];
      if (held) return held;
      let parsed = reparsed.get(name)?.deref();
      if (!parsed) {
        parsed = JSON.parse(raw![name]!.toString('utf8')) as FeatureCollection;
        reparsed.set(name, new WeakRef(parsed)); // reused while someone still holds it
      }
      return parsed;
    },
    rawLayer: (name) => raw?.[name],
    stats: {
      buildMs,
      parseMs,
      units: units.size,
      micro: microIndex.stats,
      boundarySegments: segments.length / 4,
    },
  };
}

function buildBoundary(townships: Array<Feature<Polygon | MultiPolygon, UnitProperties>>, meters: number) {
  /** Each segment's index by its key. */
  const seen = new Map<string, number>();
  const out: number[] = [];
  /** Per segment: the township(s) whose outline it is (index in `townships`), -1 for none. */
  const ownerList: number[] = [];
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  townships.forEach((t, ti) => {
    const polys = t.geometry.type === 'Polygon' ? [t.geometry.coordinates] : t.geometry.coordinates;
    for (const p of polys)
      for (const ring of p)
        for (let i = 0; i + 1 < ring.length; i++) {
          const a = ring[i]!,
            b = ring[i + 1]!;
          // A shared boundary appears in both townships; keep one copy.
          const key =
            a[0]! < b[0]! || (a[0] === b[0] && a[1]! < b[1]!)
              ? `${a[0]},${a[1]},${b[0]},${b[1]}`
              : `${b[0]},${b[1]},${a[0]},${a[1]}`;
          const already = seen.get(key);
          if (already !== undefined) {
            // A shared border: the second township (a township's own repeated edge changes nothing).
            if (ownerList[already * 2] !== ti) ownerList[already * 2 + 1] = ti;
            continue;
          }
          seen.set(key, out.length / 4);
          out.push(a[0]!, a[1]!, b[0]!, b[1]!);
          ownerList.push(ti, -1);
          x0 = Math.min(x0, a[0]!, b[0]!);
          y0 = Math.min(y0, a[1]!, b[1]!);
          x1 = Math.max(x1, a[0]!, b[0]!);
          y1 = Math.max(y1, a[1]!, b[1]!);
        }
  });
  const segments = Float64Array.from(out);
  const owners = Int32Array.from(ownerList);
  const midLat = Number.isFinite(y0) ? (y0 + y1) / 2 : 0;
  const kx = 111_320 * Math.cos((midLat * Math.PI) / 180);
  if (meters <= 0 || segments.length === 0)
    return { grid: undefined, segments, owners, boxes: new Float64Array(0), kx };
  const padX = meters / kx,
    padY = meters / M_PER_DEG_LAT;
  const boxes = new Float64Array(segments.length);
  for (let s = 0; s < segments.length; s += 4) {
    boxes[s] = Math.min(segments[s]!, segments[s + 2]!) - padX;
    boxes[s + 1] = Math.min(segments[s + 1]!, segments[s + 3]!) - padY;
    boxes[s + 2] = Math.max(segments[s]!, segments[s + 2]!) + padX;
    boxes[s + 3] = Math.max(segments[s + 1]!, segments[s + 3]!) + padY;
  }
  const cell = Math.max(meters * 2, 60);
  const grid = new BucketGrid(
    x0 - padX,
    y0 - padY,
    x1 + padX,
    y1 + padY,
    cell / kx,
    cell / M_PER_DEG_LAT,
    boxes,
  );
  return { grid, segments, owners, boxes, kx };
}

export type { FlatPolygons };
