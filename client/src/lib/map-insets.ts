// What covers the big screen's map, in the screen's design pixels (the 1920×1080 canvas): the
// layer switcher on the left always, the dispatch panel on the right while a case is selected. The
// camera frames the county and flies to a case within what is left uncovered (MapLibre's padding,
// which fitBounds, flyTo and easeTo all keep to), so nothing it shows lands under a panel.
/** Between an overlay and the map's edge, and between an overlay and what is framed beside it. */
export const OVERLAY_GAP = 12;
export const LAYER_SWITCHER_WIDTH = 214;
export const DISPATCH_PANEL_WIDTH = 470;

/** Room around the county when it is framed, inside what the overlays leave. */
export const FIT_PADDING = 24;

/** What the layer switcher covers on the left, a gap either side of it. */
export const SWITCHER_INSET = OVERLAY_GAP + LAYER_SWITCHER_WIDTH + OVERLAY_GAP;
/** Room around a cluster's cases when a click frames them, inside what the overlays leave. */
export const CLUSTER_FIT_PADDING = 48;

/**
 * The map's padding with the layer switcher on it (unless folded to its title), and the dispatch
 * panel when `panel`.
 */
export function mapInsets(
  panel: boolean,
  switcherFolded = false,
): { top: number; bottom: number; left: number; right: number } {
  return {
    top: 0,
    bottom: 0,
    left: switcherFolded ? 0 : SWITCHER_INSET,
    right: panel ? DISPATCH_PANEL_WIDTH + OVERLAY_GAP : 0,
  };
}
