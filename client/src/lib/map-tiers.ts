// Which layers the map draws at which zoom. Each tier is handed to MapLibre as a URL, so its
// GeoJSON is fetched and parsed in MapLibre's worker, never on the main thread, and only once the
// map is zoomed close enough to show it (the micro layer is ~10,000 polygons, ~9 MB).
import type { GeoLayer } from '../../../shared/geo';

export interface TierStyle {
  layer: GeoLayer;
  /** Drawn from this zoom (inclusive). */
  minzoom: number;
  /** Fetched once the zoom passes this (a little before it is drawn, so it is ready in time). */
  loadAt: number;
  /** Tiles are cut up to this zoom and over-zoomed beyond (less tiling work, same look). */
  sourceMaxzoom: number;
  line: string;
  lineWidth: number;
  /** The fill at rest; null for none (the fill is still there, invisible, for hover hit-tests). */
  fill: string | null;
  hoverFill: string;
  label: string;
}

/**
 * The outline of a selected case's grids: white and heavier than a hovered grid's, apart from every
 * tier's colour (blue-green, and the dedicated grids' amber).
 */
export const SELECTED_LINE = '#ffffff';

export const GRID_TIERS: Record<'first' | 'second' | 'micro' | 'dedicated', TierStyle> = {
  first: {
    layer: 'first',
    sourceMaxzoom: 14,
    minzoom: 11,
    loadAt: 10.5,
    line: '#3ea6ff',
    lineWidth: 1.2,
    fill: null,
    hoverFill: 'rgba(62,166,255,0.30)',
    label: '一级网格',
  },
  second: {
    layer: 'second',
    sourceMaxzoom: 15,
    minzoom: 12.5,
    loadAt: 12,
    line: '#38d9f5',
    lineWidth: 0.8,
    fill: null,
    hoverFill: 'rgba(56,217,245,0.30)',
    label: '二级网格',
  },
  micro: {
    layer: 'micro',
    sourceMaxzoom: 15,
    minzoom: 14,
    loadAt: 13.5,
    line: '#7fe3c4',
    lineWidth: 0.5,
    fill: null,
    hoverFill: 'rgba(127,227,196,0.35)',
    label: '微网格',
  },
  dedicated: {
    layer: 'dedicated',
    sourceMaxzoom: 16,
    minzoom: 11.5,
    loadAt: 11,
    line: '#ffcc4d',
    lineWidth: 1.5,
    fill: 'rgba(255,204,77,0.12)',
    hoverFill: 'rgba(255,204,77,0.40)',
    label: '专属网格',
  },
};
export type GridTier = keyof typeof GRID_TIERS;

/** Whether a layer should be fetched now: visible in the switcher and close to its zoom. */
export function shouldLoad(tier: TierStyle, zoom: number, enabled: boolean): boolean {
  return enabled && zoom >= tier.loadAt;
}

/** Where MapLibre's worker fetches a layer (GET /api/geo/:layer, gzip, ETag-revalidated). */
export const layerUrl = (layer: GeoLayer, origin: string): string =>
  new URL(`/api/geo/${layer}`, origin).href;
