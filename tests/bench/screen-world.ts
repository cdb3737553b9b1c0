// Seeded places on the real county pack (geo/gaoping) for the screen benchmark: clue positions
// inside real micro-grids, team start points inside real townships. Same seed, same points.
import fs from 'node:fs';
import path from 'node:path';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { LAYER_FILES } from '../../shared/geo';

export const PACK_DIR = path.resolve(import.meta.dirname, '../../geo/gaoping');

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Area = Feature<Polygon | MultiPolygon, { code: string; name: string; townshipCode?: string | null }>;

export function readLayer(layer: keyof typeof LAYER_FILES): Area[] {
  const fc = JSON.parse(
    fs.readFileSync(path.join(PACK_DIR, LAYER_FILES[layer]), 'utf8'),
  ) as FeatureCollection;
  return fc.features as Area[];
}

function bbox(f: Area): [number, number, number, number] {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  const rings: Position[][] =
    f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat();
  for (const ring of rings)
    for (const [x, y] of ring) {
      x0 = Math.min(x0, x!);
      y0 = Math.min(y0, y!);
      x1 = Math.max(x1, x!);
      y1 = Math.max(y1, y!);
    }
  return [x0, y0, x1, y1];
}

/** A point inside `f`, drawn uniformly from its bounding box until one falls inside. */
export function pointInside(f: Area, rand: () => number): [number, number] {
  const [x0, y0, x1, y1] = bbox(f);
  for (let i = 0; i < 200; i++) {
    const p: [number, number] = [x0 + (x1 - x0) * rand(), y0 + (y1 - y0) * rand()];
    if (booleanPointInPolygon(p, f)) return p;
  }
  throw new Error(`no point found inside ${f.properties.code}`);
}

export interface Place {
  lng: number;
  lat: number;
  micro: string;
  township: string;
}

/** `n` places inside micro-grids picked at random (denser towns get more, as clues do). */
export function cluePlaces(n: number, seed = 7): Place[] {
  const rand = mulberry32(seed);
  const micro = readLayer('micro');
  return Array.from({ length: n }, () => {
    const f = micro[Math.floor(rand() * micro.length)]!;
    const [lng, lat] = pointInside(f, rand);
    return { lng, lat, micro: f.properties.code, township: String(f.properties.townshipCode ?? '') };
  });
}

/** A centre point of a township (for the benchmark's close-up of the micro layer). */
export function townshipCentre(code: string): [number, number] {
  const f = readLayer('townships').find((t) => t.properties.code === code);
  if (!f) throw new Error(`no township ${code}`);
  const [x0, y0, x1, y1] = bbox(f);
  return [(x0 + x1) / 2, (y0 + y1) / 2];
}

export function townships(): Array<{ code: string; name: string; area: Area }> {
  return readLayer('townships').map((area) => ({
    code: area.properties.code,
    name: area.properties.name,
    area,
  }));
}

/** A team's device walking about for a benchmark, with the token it reports with. */
export interface Walker {
  deviceId: string;
  token: string;
  lng: number;
  lat: number;
  bearing: number;
}

/**
 * One step of a walk (a little turn, then `step` degrees on) and its fix, sent as a phone sends
 * it (POST /api/positions, a request of its own). Whether the server took it.
 */
export function walkAndReport(
  url: string,
  d: Walker,
  rand: () => number,
  step: number,
  speed: number,
): Promise<boolean> {
  d.bearing = (d.bearing + (rand() - 0.5) * 30 + 360) % 360;
  d.lng += Math.sin((d.bearing * Math.PI) / 180) * step;
  d.lat += Math.cos((d.bearing * Math.PI) / 180) * step;
  return fetch(`${url}/api/positions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Device-Token': d.token },
    body: JSON.stringify({
      deviceId: d.deviceId,
      fixes: [{ lng: d.lng, lat: d.lat, at: Date.now(), speed, bearing: d.bearing }],
    }),
  }).then(
    (r) => r.arrayBuffer().then(() => r.ok),
    () => false,
  );
}
