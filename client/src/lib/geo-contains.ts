// Whether a point lies inside GeoJSON polygons: the screen's 登记线索 tells a point outside the
// county at once, from the outline it has drawn, without asking the server (whose 404 the browser
// would log as an error on the wall). The test is the server's own (shared/polygons.ts), so the two
// agree; each layer is flattened once.
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { flattenPolygons, pointInFeature, type FlatPolygons } from '../../../shared/polygons';

const flattened = new WeakMap<readonly Feature[], FlatPolygons>();

/** True when [lng, lat] is inside one of the features' Polygon or MultiPolygon geometries. */
export function featuresContain(features: readonly Feature[], [x, y]: [number, number]): boolean {
  let flat = flattened.get(features);
  if (!flat) {
    const polygons = features
      .map((f) => f.geometry)
      .filter((g): g is Polygon | MultiPolygon => g?.type === 'Polygon' || g?.type === 'MultiPolygon');
    flattened.set(features, (flat = flattenPolygons(polygons)));
  }
  for (let f = 0; f < flat.featureRingStart.length - 1; f++) if (pointInFeature(flat, f, x, y)) return true;
  return false;
}
