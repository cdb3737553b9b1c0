// The county's map layers (GET /api/geo/:layer), fetched once each and only when wanted (the micro
// layer only when the map is zoomed close), kept out of Vue's deep reactivity, and the layer
// switcher's choices.
import { computed, markRaw, reactive, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { FeatureCollection } from 'geojson';
import type { GeoLayer, UnitRef } from '@shared/geo';
import { compareCodes } from '@shared/codes';
import { api, ApiError } from '@/api/http';

export type LayerStatus = 'idle' | 'loading' | 'ready' | 'missing' | 'error';
export type ToggleKey =
  'townships' | 'first' | 'second' | 'micro' | 'dedicated' | 'cases' | 'heatmap' | 'teams';

export interface HoveredUnit {
  layer: GeoLayer;
  code: string;
  name: string;
  staff: string;
  x: number;
  y: number;
}

export const useGeoStore = defineStore('geo', () => {
  const layers = shallowRef<Partial<Record<GeoLayer, FeatureCollection>>>({});
  const status = reactive<Record<GeoLayer, LayerStatus>>({
    county: 'idle',
    townships: 'idle',
    first: 'idle',
    second: 'idle',
    micro: 'idle',
    dedicated: 'idle',
  });
  const visible = reactive<Record<ToggleKey, boolean>>({
    townships: true,
    first: true,
    second: true,
    micro: true,
    dedicated: true,
    cases: true,
    heatmap: false,
    teams: true,
  });
  const hovered = ref<HoveredUnit | null>(null);
  /**
   * The big screen's layer switcher folded to its title (while a clue is registered, the map is for
   * picking the place): the camera then frames up to the map's left edge.
   */
  const switcherFolded = ref(false);
  const inflight = new Map<GeoLayer, Promise<FeatureCollection | null>>();

  /** The layer, fetched on first call; null while the geo API or the layer is missing. */
  function load(layer: GeoLayer): Promise<FeatureCollection | null> {
    const have = layers.value[layer];
    if (have) return Promise.resolve(have);
    let p = inflight.get(layer);
    if (p) return p;
    status[layer] = 'loading';
    p = api<FeatureCollection>(`/api/geo/${layer}`)
      .then((fc) => {
        // 10,000 polygons must never become reactive proxies.
        const data = markRaw(fc);
        layers.value = { ...layers.value, [layer]: data };
        status[layer] = 'ready';
        performance.mark(`geo:${layer}`);
        return data;
      })
      .catch((err: unknown) => {
        status[layer] = err instanceof ApiError && err.status === 404 ? 'missing' : 'error';
        inflight.delete(layer); // allow a later retry
        return null;
      });
    inflight.set(layer, p);
    return p;
  }

  /** The townships with their codes, from the townships layer (for chart rows and labels). */
  const townships = computed<UnitRef[]>(() =>
    (layers.value.townships?.features ?? [])
      .map((f) => ({ code: String(f.properties?.code ?? ''), name: String(f.properties?.name ?? '') }))
      .filter((t) => t.code)
      .sort((a, b) => compareCodes(a.code, b.code)),
  );

  function toggle(key: ToggleKey, on = !visible[key]): void {
    visible[key] = on;
  }

  return { layers, status, visible, hovered, switcherFolded, townships, load, toggle };
});
