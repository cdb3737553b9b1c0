// Plane geometry on lng/lat rings shared by the generator and the validator. Pure functions.
export type Position = [number, number];
export type Ring = Position[];
/** A polygon as rings, exterior first (GeoJSON / polygon-clipping order). */
export type Poly = Ring[];

/** Metres per degree near Gaoping; enough for jitter sizes, sample spacing and tolerances. */
export const M_PER_DEG_LAT = 110_574;
export const mPerDegLng = (lat: number): number => 111_320 * Math.cos((lat * Math.PI) / 180);

/** Shoelace area in degrees² (positive when counter-clockwise). */
export function signedArea(ring: Ring): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    s += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1]);
  }
  return s / 2;
}

export const polyArea = (p: Poly): number =>
  p.reduce((a, r, i) => a + (i === 0 ? Math.abs(signedArea(r)) : -Math.abs(signedArea(r))), 0);

export function bboxOf(rings: Ring[]): [number, number, number, number] {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const r of rings)
    for (const [x, y] of r) {
      if (x < x0) x0 = x;
      if (y < y0) y0 = y;
      if (x > x1) x1 = x;
      if (y > y1) y1 = y;
    }
  return [x0, y0, x1, y1];
}

/** Even-odd point in polygon over all rings (holes included). */
export function pointInRings(x: number, y: number, rings: Ring[]): boolean {
  let inside = false;
  for (const r of rings) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i]!;
      const [xj, yj] = r[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** Area-weighted centroid of the exterior ring. */
export function centroid(ring: Ring): Position {
  let a = 0,
    cx = 0,
    cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    const f = xj * yi - xi * yj;
    a += f;
    cx += (xj + xi) * f;
    cy += (yj + yi) * f;
  }
  if (a === 0) return ring[0]!;
  return [cx / (3 * a), cy / (3 * a)];
}

export const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

/** Round to 6 decimals, drop repeated points, close, and wind counter-clockwise (RFC 7946 exterior). */
export function cleanRing(ring: Ring, exterior = true): Ring {
  const out: Ring = [];
  for (const [x, y] of ring) {
    const p: Position = [round6(x), round6(y)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  if (out.length > 1) {
    const [fx, fy] = out[0]!;
    const [lx, ly] = out[out.length - 1]!;
    if (fx !== lx || fy !== ly) out.push([fx, fy]);
  }
  const ccw = signedArea(out) > 0;
  if (ccw !== exterior) out.reverse();
  return out;
}

const orient = (p: Position, q: Position, r: Position) =>
  (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);

const withinBox = (p: Position, q: Position, r: Position) =>
  Math.min(p[0], q[0]) <= r[0] &&
  r[0] <= Math.max(p[0], q[0]) &&
  Math.min(p[1], q[1]) <= r[1] &&
  r[1] <= Math.max(p[1], q[1]);

function segmentsCross(a: Position, b: Position, c: Position, d: Position): boolean {
  const d1 = orient(c, d, a),
    d2 = orient(c, d, b),
    d3 = orient(a, b, c),
    d4 = orient(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (
    (d1 === 0 && withinBox(c, d, a)) ||
    (d2 === 0 && withinBox(c, d, b)) ||
    (d3 === 0 && withinBox(a, b, c)) ||
    (d4 === 0 && withinBox(a, b, d))
  );
}

/**
 * Where a closed ring crosses or touches itself (non-adjacent segments meeting), as points.
 * Segments are bucketed by a sweep over x so large rings stay fast.
 */
export function selfIntersections(ring: Ring, limit = 5): Position[] {
  const n = ring.length - 1;
  const hits: Position[] = [];
  if (n < 3) return hits;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => Math.min(ring[i]![0], ring[i + 1]![0]) - Math.min(ring[j]![0], ring[j + 1]![0]),
  );
  const active: number[] = [];
  for (const i of order) {
    const a = ring[i]!,
      b = ring[i + 1]!;
    const minX = Math.min(a[0], b[0]);
    for (let k = active.length - 1; k >= 0; k--) {
      const j = active[k]!;
      if (Math.max(ring[j]![0], ring[j + 1]![0]) < minX) {
        active.splice(k, 1);
        continue;
      }
      const adjacent = Math.abs(i - j) === 1 || (i === 0 && j === n - 1) || (j === 0 && i === n - 1);
      if (adjacent) {
        // Adjacent segments share one joint; folding back along each other is still a defect.
        const joint = j === i + 1 ? i + 1 : i === j + 1 ? i : 0;
        const s = ring[joint]!;
        const p = joint === i ? b : a;
        const q = joint === j || (joint === 0 && j === 0) ? ring[j + 1]! : ring[j]!;
        const cross = (p[0] - s[0]) * (q[1] - s[1]) - (p[1] - s[1]) * (q[0] - s[0]);
        const dot = (p[0] - s[0]) * (q[0] - s[0]) + (p[1] - s[1]) * (q[1] - s[1]);
        if (cross === 0 && dot > 0) hits.push(s);
      } else if (segmentsCross(a, b, ring[j]!, ring[j + 1]!)) {
        hits.push([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
      }
      if (hits.length >= limit) return hits;
    }
    active.push(i);
  }
  return hits;
}
