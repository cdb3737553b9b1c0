// The basemap setting (BASEMAP, TIANDITU_KEY): checked when the server starts, handed to the map
// at run time (GET /api/map-config), and the tile hosts it names allowed by the CSP.
import { z } from 'zod';

/**
 * `offline` (default: our own layers on a dark ground) | `tianditu-vec` | `tianditu-img` (or
 * `tianditu`, vector) with TIANDITU_KEY | `xyz:<URL with {z}, {x} and {y}>` | `pmtiles:<path or
 * URL of a raster archive>` (a path is served by our own server).
 */
export const basemapSchema = z
  .string()
  .trim()
  .refine(
    (s) =>
      /^(offline|tianditu(-vec|-img)?)$/.test(s) ||
      (/^xyz:https?:\/\/\S+$/.test(s) && ['{z}', '{x}', '{y}'].every((p) => s.includes(p))) ||
      /^pmtiles:\S+$/.test(s),
    'must be offline, tianditu-vec, tianditu-img, xyz:<http(s) URL with {z}, {x} and {y}> or pmtiles:<path or URL>',
  );

export interface MapConfig {
  basemap: string;
  tiandituKey: string | null;
}

/** Hosts the browser must be allowed to fetch tiles from (img-src, connect-src). */
export function basemapTileOrigins(basemap: string): string[] {
  if (basemap.startsWith('tianditu')) return ['https://*.tianditu.gov.cn'];
  const url = basemap.startsWith('xyz:')
    ? basemap.slice(4)
    : basemap.startsWith('pmtiles:')
      ? basemap.slice(8)
      : '';
  if (!/^https?:\/\//.test(url)) return []; // offline, or a file on our own server
  // The origin, with any {s}-style placeholder in the host widened to a wildcard subdomain.
  const origin = /^(https?:\/\/[^/]+)/.exec(url)![1]!;
  return [origin.replace(/\/\/[^/]*\{[^}]+\}[^./]*\./, '//*.')];
}
