// Point in polygon over GeoJSON polygons flattened into typed arrays: the server's locate (its cell
// index, server/geo/cell-index.ts) and the big screen's check of a picked point against the county
// outline (client/src/lib/geo-contains.ts) give the same answer, shared edges included.
import type { MultiPolygon, Polygon } from 'geojson';

/** Polygons as flat typed arrays: cache-friendly and no per-vertex objects. */
export interface FlatPolygons {
  /** x0, y0, x1, y1, … for every ring vertex (rings closed, as in GeoJSON). */
  coords: Float64Array;
  /** ringStart[r] .. ringStart[r + 1] are the vertex indices of ring r. */
  ringStart: Int32Array;
  /** featureRingStart[f] .. featureRingStart[f + 1] are the rings of feature f (all parts). */
  featureRingStart: Int32Array;
  /** minX, minY, maxX, maxY per feature. */
  bbox: Float64Array;
}

export function flattenPolygons(geometries: ReadonlyArray<Polygon | MultiPolygon>): FlatPolygons {
  let vertices = 0,
    rings = 0;
  for (const g of geometries) {
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const p of polys)
      for (const r of p) {
        rings++;
        vertices += r.length;
      }
  }
  const coords = new Float64Array(vertices * 2);
  const ringStart = new Int32Array(rings + 1);
  const featureRingStart = new Int32Array(geometries.length + 1);
  const bbox = new Float64Array(geometries.length * 4);
  let v = 0,
    r = 0;
  geometries.forEach((g, f) => {
    featureRingStart[f] = r;
    let x0 = Infinity,
      y0 = Infinity,
      x1 = -Infinity,
      y1 = -Infinity;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const p of polys)
      for (const ring of p) {
        ringStart[r++] = v;
        for (const pos of ring) {
          const x = pos[0]!,
            y = pos[1]!;
          coords[v * 2] = x;
          coords[v * 2 + 1] = y;
          v++;
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      }
    bbox.set([x0, y0, x1, y1], f * 4);
  });
  ringStart[r] = v;
  featureRingStart[geometries.length] = r;
  return { coords, ringStart, featureRingStart, bbox };
}

/**
 * Even-odd test over all rings of feature f. The crossing x is computed from the edge's lower end
 * whichever polygon the edge belongs to, so a point on an edge shared by two polygons lands in
 * exactly one of them (the one to its right): one deterministic answer on shared edges.
 */
export function pointInFeature(p: FlatPolygons, f: number, x: number, y: number): boolean {
  const b = p.bbox;
  if (x < b[f * 4]! || y < b[f * 4 + 1]! || x > b[f * 4 + 2]! || y > b[f * 4 + 3]!) return false;
  const c = p.coords;
  let inside = false;
  for (let r = p.featureRingStart[f]!, rEnd = p.featureRingStart[f + 1]!; r < rEnd; r++) {
    const end = p.ringStart[r + 1]! * 2;
    for (let i = p.ringStart[r]! * 2; i < end - 2; i += 2) {
      let ax = c[i]!,
        ay = c[i + 1]!,
        bx = c[i + 2]!,
        by = c[i + 3]!;
      if (ay > y === by > y) continue;
      if (ay > by) {
        const tx = ax,
          ty = ay;
        ax = bx;
        ay = by;
        bx = tx;
        by = ty;
      }
      if (x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
    }
  }
  return inside;
}
