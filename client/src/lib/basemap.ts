// The map's base style from the BASEMAP setting: our own layers on a dark background (offline,
// the default), Tianditu vector or imagery with a key, any XYZ raster URL, or a PMTiles file.
import type { StyleSpecification } from 'maplibre-gl';

export type BasemapConfig =
  | { kind: 'offline' }
  | { kind: 'tianditu'; variant: 'vec' | 'img'; key: string }
  | { kind: 'xyz'; url: string; attribution: string }
  | { kind: 'pmtiles'; url: string };

export const DARK_BACKGROUND = '#04122b';

/**
 * `offline` | `tianditu-vec` | `tianditu-img` | `xyz:https://…/{z}/{x}/{y}.png` | `pmtiles:/tiles/x.pmtiles`.
 * Anything unusable (no Tianditu key, a URL without {z}/{x}/{y}) falls back to offline with a reason.
 */
export function parseBasemap(
  spec: string | undefined,
  tiandituKey?: string,
): { config: BasemapConfig; warning?: string } {
  const s = (spec ?? '').trim();
  if (!s || s === 'offline') return { config: { kind: 'offline' } };
  const tdt = /^tianditu(?:-(vec|img))?$/.exec(s);
  if (tdt) {
    if (!tiandituKey)
      return { config: { kind: 'offline' }, warning: '天地图底图需要密钥 (TIANDITU_KEY)，已使用离线底图' };
    return {
      config: { kind: 'tianditu', variant: (tdt[1] as 'vec' | 'img' | undefined) ?? 'vec', key: tiandituKey },
    };
  }
  if (s.startsWith('xyz:')) {
    const url = s.slice(4);
    if (!/\{z\}/.test(url) || !/\{x\}/.test(url) || !/\{y\}/.test(url))
      return { config: { kind: 'offline' }, warning: `XYZ 地址缺少 {z}/{x}/{y}：${url}` };
    return { config: { kind: 'xyz', url, attribution: '' } };
  }
  if (s.startsWith('pmtiles:')) return { config: { kind: 'pmtiles', url: s.slice(8) } };
  return { config: { kind: 'offline' }, warning: `无法识别的底图设置 BASEMAP=${s}，已使用离线底图` };
}

function tiandituTiles(layer: string, key: string): string[] {
  return Array.from(
    { length: 8 },
    (_, i) =>
      `https://t${i}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}` +
      `&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`,
  );
}

/**
 * The style the map starts from; our county, grid, case and team layers are added on top of it.
 * A PMTiles URL is resolved against `origin` (a file our own server serves).
 */
export function basemapStyle(config: BasemapConfig, origin = 'http://localhost'): StyleSpecification {
  // No `glyphs`: MapLibre draws every label locally with the system's CJK font (nothing to fetch
  // on an isolated network). No background layer: the dark ground is the map element's CSS
  // background (DARK_BACKGROUND) showing through the transparent canvas, which saves the GPU a
  // full-screen pass on every frame (and, on a machine without a GPU, that is most of a frame).
  const style: StyleSpecification = { version: 8, sources: {}, layers: [] };
  const raster = (id: string, tiles: string[], attribution: string, opacity = 1) => {
    style.sources[id] = { type: 'raster', tiles, tileSize: 256, attribution, maxzoom: 18 };
    style.layers.push({ id, type: 'raster', source: id, paint: { 'raster-opacity': opacity } });
  };
  if (config.kind === 'tianditu') {
    const annotation = config.variant === 'img' ? 'cia' : 'cva';
    raster(
      `tdt-${config.variant}`,
      tiandituTiles(config.variant, config.key),
      '© 天地图',
      config.variant === 'vec' ? 0.55 : 0.85,
    );
    raster(`tdt-${annotation}`, tiandituTiles(annotation, config.key), '', 0.9);
  } else if (config.kind === 'xyz') {
    raster('xyz', [config.url], config.attribution, 0.7);
  } else if (config.kind === 'pmtiles') {
    // A raster archive (PNG/JPEG/WebP tiles); the `pmtiles` protocol reads its header for the zooms.
    style.sources.pmtiles = {
      type: 'raster',
      url: `pmtiles://${new URL(config.url, origin).href}`,
      tileSize: 256,
    };
    style.layers.push({ id: 'pmtiles', type: 'raster', source: 'pmtiles', paint: { 'raster-opacity': 0.7 } });
  }
  return style;
}
