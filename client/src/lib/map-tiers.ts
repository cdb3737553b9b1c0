// Which layers the map draws at which zoom, and how many features each is expected to hold. The
// micro layer (~10,000 polygons) is fetched only once the map is zoomed close enough to show it.
import type { GeoLayer } from '../../../shared/geo';

export interface TierStyle {
  layer: GeoLayer;
  /** Drawn from this zoom (inclusive). */
  minzoom: number;
  /** Fetched once the zoom passes this (a little before it is drawn, so it is ready in time). */
  loadAt: number;
  line: string;
  lineWidth: number;
  fill: string;
  hoverFill: string;
  label: string;
}

export const GRID_TIERS: Record<'first' | 'second' | 'micro' | 'dedicated', TierStyle> = {
  first: {
    layer: 'first',
    minzoom: 11,
    loadAt: 10.5,
    line: '#3ea6ff',
    lineWidth: 1.2,
    fill: 'rgba(62,166,255,0.02)',
    hoverFill: 'rgba(62,166,255,0.30)',
    label: '一级网格',
  },
  second: {
    layer: 'second',
    minzoom: 12.5,
    loadAt: 12,
    line: '#38d9f5',
    lineWidth: 0.8,
    fill: 'rgba(56,217,245,0.02)',
    hoverFill: 'rgba(56,217,245,0.30)',
    label: '二级网格',
  },
  micro: {
    layer: 'micro',
    minzoom: 14,
    loadAt: 13.5,
    line: '#7fe3c4',
    lineWidth: 0.5,
    fill: 'rgba(127,227,196,0.02)',
    hoverFill: 'rgba(127,227,196,0.35)',
    label: '微网格',
  },
  dedicated: {
    layer: 'dedicated',
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
