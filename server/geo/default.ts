// The demo county's index (geo/gaoping), parsed and built once per process: every test server in
// a run shares it instead of spending ~0.4 s each.
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
