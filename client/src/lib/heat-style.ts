// The look of a case-density heatmap (热力图), one for the big screen and the leader page: the
// colour ramp from clear through blue and green to amber and red, and intensity and radius that
// grow as the map zooms in.
import type { HeatmapLayerSpecification } from 'maplibre-gl';

type HeatPaint = NonNullable<HeatmapLayerSpecification['paint']>;

export interface HeatScale {
  /** The zoom range over which intensity and radius grow (linearly). */
  zoom: [number, number];
  intensity: [number, number];
  radius: [number, number];
  opacity: number;
}

export function heatPaint(s: HeatScale): HeatPaint {
  const [z0, z1] = s.zoom;
  return {
    'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], z0, s.intensity[0], z1, s.intensity[1]],
    'heatmap-radius': ['interpolate', ['linear'], ['zoom'], z0, s.radius[0], z1, s.radius[1]],
    'heatmap-opacity': s.opacity,
    'heatmap-color': [
      'interpolate',
      ['linear'],
      ['heatmap-density'],
      0,
      'rgba(0,0,0,0)',
      0.2,
      '#1b4f9c',
      0.45,
      '#21c07a',
      0.7,
      '#ffcc4d',
      1,
      '#ff4d4f',
    ],
  };
}

/** The kernel radius, px, that heatPaint's `radius` gives at `zoom`. */
export function heatRadiusAt(s: Pick<HeatScale, 'zoom' | 'radius'>, zoom: number): number {
  const [z0, z1] = s.zoom;
  const f = Math.min(1, Math.max(0, (zoom - z0) / (z1 - z0)));
  return s.radius[0] + f * (s.radius[1] - s.radius[0]);
}

/**
 * What one kernel-radius square full of points, `n` of them, adds up to at its middle, per point
 * and unit of weight: MapLibre's kernel is a Gaussian of σ = radius / 3 scaled by 1/√(2π), so a
 * uniform spread of n points per radius² sums to about n × 0.4 × 2πσ²/radius² ≈ 0.28 n.
 */
const SQUARE_SUM = 0.28;
/** The share of squares (by count) that may reach the top of the ramp. */
const HOT_SHARE = 0.05;

/**
 * The weight each point gets so that the busiest places of `points` at `zoom` reach the top of the
 * ramp and the rest show in proportion (a relative heatmap, 相对热度): a month of a county's cases
 * at a fixed weight turns every town red and shows no hotspot. The points are counted in squares
 * one kernel radius across (Web Mercator, 512-px tiles); the weight brings the square at the 95th
 * percentile of the counts to density 1, so one very busy town centre does not fade all else out.
 * At most 2: a lone case shows amber, not red.
 */
export function relativeHeatWeight(
  points: ReadonlyArray<{ lng: number; lat: number }>,
  zoom: number,
  radiusPx: number,
): number {
  if (!points.length) return 1;
  const lngCell = (radiusPx * 360) / (512 * 2 ** zoom);
  const latCell = lngCell * Math.cos((points[0]!.lat * Math.PI) / 180);
  const counts = new Map<number, number>();
  for (const p of points) {
    // One number per square: columns and rows of a county stay far below 2^20.
    const key = Math.floor(p.lng / lngCell) * 1_048_576 + Math.floor(p.lat / latCell);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const sorted = [...counts.values()].sort((a, b) => b - a);
  const hot = sorted[Math.floor(HOT_SHARE * (sorted.length - 1))]!;
  return Math.min(2, 1 / (SQUARE_SUM * hot));
}
