// The demo county's index (geo/gaoping), parsed and built once per process: every test server in
// a run shares it instead of spending ~0.4 s each.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { loadGeoIndex, type LoadedGeoIndex } from './index';

export const DEFAULT_GEO_PACK_DIR = path.resolve(import.meta.dirname, '../../geo/gaoping');

const cache = new Map<number, Promise<LoadedGeoIndex>>();

export function loadDefaultGeoIndex(config: Pick<Config, 'BOUNDARY_METERS'>): Promise<LoadedGeoIndex> {
  const key = config.BOUNDARY_METERS;
  let index = cache.get(key);
  if (!index) {
    index = loadGeoIndex(DEFAULT_GEO_PACK_DIR, { boundaryMeters: key });
    index.catch(() => cache.delete(key));
    cache.set(key, index);
  }
  return index;
}

/**
 * The pack's townships, code and name, read from its townships layer alone (for the `users` command,
 * which checks a scope without building the whole index).
 */
export function packTownships(dir = DEFAULT_GEO_PACK_DIR): Array<{ code: string; name: string }> {
  const layer = JSON.parse(fs.readFileSync(path.join(dir, 'townships.geojson'), 'utf8')) as {
    features: Array<{ properties: { code: string; name: string } }>;
  };
  return layer.features
    .map((f) => ({ code: String(f.properties.code), name: String(f.properties.name) }))
    .sort((a, b) => a.code.localeCompare(b.code));
}
