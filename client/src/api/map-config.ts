// The basemap the server is configured with (BASEMAP, TIANDITU_KEY; GET /api/map-config), asked
// once per page. Without an answer the map uses its offline basemap.
import { api } from './http';

export interface MapConfig {
  basemap: string;
  tiandituKey: string | null;
}

let asked: Promise<MapConfig> | null = null;

export function loadMapConfig(): Promise<MapConfig> {
  asked ??= api<unknown>('/api/map-config').then(
    (b) => {
      const c = (b ?? {}) as Partial<Record<keyof MapConfig, unknown>>;
      return {
        basemap: typeof c.basemap === 'string' ? c.basemap : 'offline',
        tiandituKey: typeof c.tiandituKey === 'string' ? c.tiandituKey : null,
      };
    },
    () => {
      asked = null; // ask again next time a map opens
      return { basemap: 'offline', tiandituKey: null };
    },
  );
  return asked;
}
