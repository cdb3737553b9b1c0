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
