// The map a MapView provides, and the bookkeeping every layer component shares: what it added
// (sources, layers, images, handlers) is removed again when the component unmounts.
import { inject, onBeforeUnmount, type InjectionKey, type ShallowRef } from 'vue';
import type {
  AddLayerObject,
  Map as MapLibreMap,
  MapLayerEventType,
  MapLayerMouseEvent,
  SourceSpecification,
} from 'maplibre-gl';
import { FlushClock } from '@/lib/flush-clock';
import { boundsOf, type Bounds } from '@/lib/geo-bounds';
import { FIT_PADDING } from '@/lib/map-insets';
import type { useGeoStore } from '@/stores/geo';

export const MAP_KEY: InjectionKey<ShallowRef<MapLibreMap | null>> = Symbol('map');

/**
 * Layer groups, bottom to top. MapView adds one invisible anchor layer per group, and each layer
 * component inserts below its group's anchor, so the stacking does not depend on mount order.
 */
export const Z_GROUPS = ['units', 'grids', 'outlines', 'heat', 'cases', 'labels', 'teams', 'top'] as const;
export type ZGroup = (typeof Z_GROUPS)[number];
export const anchorId = (g: ZGroup) => `z-${g}`;

export function useMap(): MapLibreMap {
  const map = inject(MAP_KEY, null)?.value;
  if (!map) throw new Error('a map layer must be placed inside <MapView> (after the map has loaded)');
  return map;
}

type LayerHandler = (e: MapLayerMouseEvent) => void;

const clocks = new WeakMap<MapLibreMap, FlushClock>();

/**
 * `schedule()` asks for `flush` to run on the map's flush clock (lib/flush-clock.ts): every layer
 * of the map that uses it writes its source in the same task, at once after a quiet second, else
 * at most once a second however many events arrived in between.
 */
export function useFlushClock(map: MapLibreMap, flush: () => void) {
  let clock = clocks.get(map);
  if (!clock) clocks.set(map, (clock = new FlushClock()));
  const own = clock;
  onBeforeUnmount(() => own.cancel(flush));
  return { schedule: () => own.schedule(flush) };
}

/** Add sources/layers through this and they are cleaned up on unmount. */
export function useDisposableLayers(map: MapLibreMap) {
  const sources: string[] = [];
  const layers: string[] = [];
  const images: string[] = [];
  const handlers: Array<() => void> = [];

  function addSource(id: string, spec: SourceSpecification): void {
    map.addSource(id, spec);
    sources.push(id);
  }
  function addLayer(layer: AddLayerObject, group: ZGroup): void {
    map.addLayer(layer, anchorId(group));
    layers.push(layer.id);
  }
  function addImage(id: string, image: ImageData, opts: { sdf?: boolean; pixelRatio?: number } = {}): void {
    if (!map.hasImage(id)) {
      map.addImage(id, image, opts);
      images.push(id);
    }
  }
  function onLayer<K extends 'click' | 'mousemove' | 'mouseleave' | 'mouseenter'>(
    type: K & keyof MapLayerEventType,
    layerId: string,
    fn: LayerHandler,
  ): void {
    map.on(type, layerId, fn as never);
    handlers.push(() => map.off(type, layerId, fn as never));
  }
  function setVisible(ids: string[], on: boolean): void {
    for (const id of ids)
      if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
  }

  onBeforeUnmount(() => {
    for (const off of handlers) off();
    // The map itself may already be gone (MapView unmounts after its children).
    if (!map.style) return;
    for (const id of layers.reverse()) if (map.getLayer(id)) map.removeLayer(id);
    for (const id of sources.reverse()) if (map.getSource(id)) map.removeSource(id);
    for (const id of images) if (map.hasImage(id)) map.removeImage(id);
  });

  return { addSource, addLayer, addImage, onLayer, setVisible };
}

/**
 * `run` once the map has nothing to load or draw and then the page is idle (requestIdleCallback,
 * at most 5 s later): for background work that must not hold up what is on screen.
 */
export function whenIdle(map: MapLibreMap, run: () => void): void {
  const later = () =>
    typeof requestIdleCallback === 'function'
      ? requestIdleCallback(run, { timeout: 5000 })
      : setTimeout(run, 0);
  if (map.loaded() && !map.isMoving()) later();
  else map.once('idle', later);
}

/**
 * Ease to `bounds`, framed `padding` inside what the overlays leave uncovered, no closer than
 * `maxZoom` and at least as close as `atLeast` (a cluster's cases, as close as it splits; a group of
 * teams, as close as they are named).
 */
export function easeToFrame(
  map: MapLibreMap,
  bounds: Bounds,
  o: { padding: number; maxZoom: number; atLeast: number; duration?: number },
): void {
  const fit = map.cameraForBounds(bounds, { padding: o.padding, maxZoom: o.maxZoom });
  map.easeTo({
    center: fit?.center ?? [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2],
    zoom: Math.max(fit?.zoom ?? o.atLeast, o.atLeast),
    ...(o.duration === undefined ? {} : { duration: o.duration }),
  });
}

/**
 * Frame the county (its outline, else its townships) in the map, FIT_PADDING inside what the
 * overlays leave uncovered (the map's padding); `duration` 0 jumps.
 */
export async function frameCounty(
  map: MapLibreMap,
  geo: ReturnType<typeof useGeoStore>,
  duration = 0,
): Promise<void> {
  const [county, townships] = await Promise.all([geo.load('county'), geo.load('townships')]);
  const b = boundsOf((county ?? townships)?.features ?? []);
  if (b && map.style) map.fitBounds(b, { padding: FIT_PADDING, duration });
}
