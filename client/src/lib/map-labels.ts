// Where a township's name goes: the point inside it farthest from its edges (polylabel, what
// MapLibre itself uses for a polygon's label), in its largest part when it has several. A centroid
// can fall outside a bent township, or on its edge.
import polylabel from 'polylabel';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

export interface PlaceLabel {
  code: string;
  name: string;
  lngLat: [number, number];
}

/** Degrees; ~50 m at the county's latitude, finer than a label's size at any zoom it is shown. */
const PRECISION = 0.0005;

/** Twice the signed area of a ring (shoelace), in square degrees: enough to compare parts. */
function ringArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    a += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  return Math.abs(a);
}

function largestPart(geometry: Polygon | MultiPolygon): Position[][] | null {
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let best: Position[][] | null = null;
  let bestArea = -1;
  for (const part of parts) {
    const area = part[0] ? ringArea(part[0]) : 0;
    if (area > bestArea) [best, bestArea] = [part, area];
  }
  return best;
}

/** The label of each named polygon in `fc` (features without a polygon or a name are skipped). */
export function placeLabels(fc: FeatureCollection): PlaceLabel[] {
  const out: PlaceLabel[] = [];
  for (const f of fc.features as Feature[]) {
    const g = f.geometry;
    const props = f.properties ?? {};
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) continue;
    if (typeof props.name !== 'string' || !props.name) continue;
    const part = largestPart(g);
    if (!part?.[0]?.length) continue;
    const [lng, lat] = polylabel(part as Array<Array<[number, number]>>, PRECISION);
    out.push({ code: String(props.code ?? props.name), name: props.name, lngLat: [lng, lat] });
  }
  return out;
}
