// The relative heatmap's weight (client/src/lib/heat-style.ts): the busy places reach the top of
// the ramp whatever the number of cases, and a lone case is not made a hotspot.
import { describe, expect, it } from 'vitest';
import { heatRadiusAt, relativeHeatWeight } from '../../../client/src/lib/heat-style';
import { mulberry32 } from '../../../geo/build/random';

const ZOOM = 9;
const RADIUS = 13;
/** About one kernel radius at zoom 9, in degrees of longitude. */
const CELL = (RADIUS * 360) / (512 * 2 ** ZOOM);

/** `n` cases scattered within a square of `cells` radii around a town at (112.9, 35.8). */
function town(n: number, cells: number, seed: number, at: [number, number] = [112.9, 35.8]) {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => ({
    lng: at[0] + (rand() - 0.5) * cells * CELL,
    lat: at[1] + (rand() - 0.5) * cells * CELL * 0.8,
  }));
}

/** What the busiest square adds up to at the weight: the density MapLibre draws there. */
function peak(points: Array<{ lng: number; lat: number }>, weight: number): number {
  const counts = new Map<string, number>();
  for (const p of points) {
    const k = `${Math.floor(p.lng / CELL)}:${Math.floor(p.lat / (CELL * Math.cos((35.8 * Math.PI) / 180)))}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return 0.28 * Math.max(...counts.values()) * weight;
}

describe('relative heatmap weight', () => {
  it('brings a month of cases and a day of them to the same top of the ramp', () => {
    // A county town and villages around it: 1,500 cases in a month, 50 in a day, same places.
    const month = [...town(1000, 6, 1), ...town(500, 40, 2)];
    const day = [...town(33, 6, 3), ...town(17, 40, 4)];
    const wMonth = relativeHeatWeight(month, ZOOM, RADIUS);
    const wDay = relativeHeatWeight(day, ZOOM, RADIUS);
    // At a fixed weight of 1 the month's town is 30 times over the top (all red).
    expect(peak(month, 1)).toBeGreaterThan(10);
    // Relative: the busiest squares at or a little over the top, the month's and the day's alike.
    expect(peak(month, wMonth)).toBeGreaterThanOrEqual(1);
    expect(peak(month, wMonth)).toBeLessThan(3);
    expect(wMonth).toBeLessThan(wDay);
  });

  it('does not let one very busy square fade everything else out', () => {
    // 400 cases on one street corner, 600 spread over the town: the town still shows.
    const corner = town(400, 0.5, 5);
    const spread = town(600, 30, 6);
    const w = relativeHeatWeight([...corner, ...spread], ZOOM, RADIUS);
    const byMax = 1 / (0.28 * 400);
    expect(w).toBeGreaterThan(5 * byMax);
  });

  it('keeps a lone case below red, and is 1 with nothing to draw', () => {
    expect(relativeHeatWeight([{ lng: 112.9, lat: 35.8 }], ZOOM, RADIUS) * 0.4).toBeLessThan(1);
    expect(relativeHeatWeight([], ZOOM, RADIUS)).toBe(1);
  });

  it('reads the kernel radius at a zoom from the scale', () => {
    const s = { zoom: [8, 14] as [number, number], radius: [10, 30] as [number, number] };
    expect(heatRadiusAt(s, 8)).toBe(10);
    expect(heatRadiusAt(s, 11)).toBe(20);
    expect(heatRadiusAt(s, 20)).toBe(30);
    expect(heatRadiusAt(s, 2)).toBe(10);
  });
});
