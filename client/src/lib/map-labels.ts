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

/** A label's box around its anchor (its middle), in screen pixels. */
export interface LabelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Room kept between two names, px. */
const LABEL_GAP = 2;

/**
 * Vertical shifts, px, that keep names from overlapping where townships are small beside large
 * ones (a 乡 beside the city's 街道 at the county's zoom): each label in turn keeps its place if it
 * is clear of those already placed, else moves up or down by up to two of its heights, the nearest
 * clear place first. Earlier labels win (the caller lists the 街道 first). One that finds no clear
 * place stays where it was.
 */
export function spreadLabels(boxes: readonly LabelBox[]): number[] {
  const placed: Array<{ x0: number; x1: number; y0: number; y1: number }> = [];
  return boxes.map((b) => {
    const tries = [0, -1, 1, -2, 2].map((k) => k * (b.height + LABEL_GAP));
    const x0 = b.x - b.width / 2;
    const x1 = b.x + b.width / 2;
    const at = (dy: number) => ({ x0, x1, y0: b.y + dy - b.height / 2, y1: b.y + dy + b.height / 2 });
    const clear = (r: ReturnType<typeof at>) =>
      placed.every(
        (p) =>
          r.x1 + LABEL_GAP <= p.x0 ||
          p.x1 + LABEL_GAP <= r.x0 ||
          r.y1 + LABEL_GAP <= p.y0 ||
          p.y1 + LABEL_GAP <= r.y0,
      );
    const dy = tries.find((d) => clear(at(d))) ?? 0;
    placed.push(at(dy));
    return dy;
  });
}
