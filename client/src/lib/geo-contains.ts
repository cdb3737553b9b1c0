// Whether a point lies inside GeoJSON polygons (even-odd rule over every ring, so a hole is out):
// the screen's 登记线索 tells a point outside the county at once, from the outline it has drawn,
// without asking the server (whose 404 the browser would log as an error on the wall).
import type { Feature, Position } from 'geojson';

function inRing(ring: Position[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi! > y !== yj! > y && x < ((xj! - xi!) * (y - yi!)) / (yj! - yi!) + xi!) inside = !inside;
  }
  return inside;
}

function inPolygon(rings: Position[][], x: number, y: number): boolean {
  let inside = false;
  for (const ring of rings) if (inRing(ring, x, y)) inside = !inside;
  return inside;
}

/** True when [lng, lat] is inside one of the features' Polygon or MultiPolygon geometries. */
export function featuresContain(features: Iterable<Feature>, [x, y]: [number, number]): boolean {
  for (const f of features) {
    const g = f.geometry;
    if (g?.type === 'Polygon' && inPolygon(g.coordinates, x, y)) return true;
    if (g?.type === 'MultiPolygon' && g.coordinates.some((p) => inPolygon(p, x, y))) return true;
  }
  return false;
}
