// Markers as HTML elements over the map canvas, placed with map.project once per frame while the
// map moves. For things that change all the time but are few (teams moving each second, the
// pulsing rings of overdue cases): moving or animating them restyles a few elements instead of
// redrawing the WebGL map, and a CSS animation on transform/opacity runs off the main thread.
import type { Map as MapLibreMap } from 'maplibre-gl';

/** Pixels a press may move and still be a click (MapLibre's own click tolerance is 3). */
const DRAG_TOLERANCE = 3;

export interface DomMarker {
  key: string;
  el: HTMLElement;
  lngLat: [number, number];
}

export class DomOverlay {
  readonly root: HTMLDivElement;
  private readonly markers = new Map<string, DomMarker>();
  private frame = 0;
  /** Markers to place at the next frame; null: all of them (the map moved or resized). */
  private dirty: Set<DomMarker> | null = new Set();
  private readonly onMove = () => this.schedule();

  /**
   * `order`: where this overlay goes among the map's overlays, higher on top, whichever is created
   * first. All of them sit above the canvas and below what a page puts over the map (z-index 2 up:
   * the layer switcher, legends, tooltips, panels). They sit in the canvas's container, where
   * MapLibre puts its own markers: a wheel or a drag that starts on a marker reaches the map's
   * handlers there (beside it, the map did not zoom or pan under the pointer on a team's marker).
   * A marker that takes clicks keeps them from the map and ignores the one that ends a drag
   * (`clickable`).
   */
  constructor(
    private readonly map: MapLibreMap,
    className: string,
    order = 0,
  ) {
    this.root = document.createElement('div');
    this.root.className = `dom-overlay ${className}`;
    this.root.dataset.order = String(order);
    Object.assign(this.root.style, {
      position: 'absolute',
      inset: '0',
      pointerEvents: 'none',
      overflow: 'hidden',
      zIndex: '1',
    });
    // The overlays follow the canvas in its container, in order: before the first with a higher one.
    let after: Element = map.getCanvas();
    for (let el = after.nextElementSibling; el instanceof HTMLElement; el = el.nextElementSibling) {
      if (!el.classList.contains('dom-overlay') || Number(el.dataset.order) > order) break;
      after = el;
    }
    after.after(this.root);
    map.on('move', this.onMove);
    map.on('resize', this.onMove);
  }

  /** Add or move a marker; `make` builds its element the first time. */
  set(key: string, lngLat: [number, number], make: () => HTMLElement): DomMarker {
    let m = this.markers.get(key);
    if (!m) {
      m = { key, el: make(), lngLat };
      m.el.style.position = 'absolute';
      m.el.style.left = '0';
      m.el.style.top = '0';
      this.root.appendChild(m.el);
      this.markers.set(key, m);
    }
    const moved = m.lngLat[0] !== lngLat[0] || m.lngLat[1] !== lngLat[1];
    m.lngLat = lngLat;
    // Only this marker: 200 teams reporting each second must not re-place every marker each time.
    if (moved || !m.el.style.transform) {
      this.dirty?.add(m);
      this.frame ||= requestAnimationFrame(() => this.place());
    }
    return m;
  }

  /**
   * `onClick` on a click of `el` (a marker), kept from the map (a case's dot under it is not opened
   * too); not when the press moved the map first (a drag that started on the marker, which moves
   * with the map and so is under the pointer again when it ends).
   */
  static clickable(el: HTMLElement, onClick: () => void): void {
    let down: { x: number; y: number } | null = null;
    el.addEventListener('mousedown', (e) => (down = { x: e.clientX, y: e.clientY }));
    el.addEventListener('click', (e) => {
      e.stopPropagation();
      const dragged = down && Math.hypot(e.clientX - down.x, e.clientY - down.y) > DRAG_TOLERANCE;
      down = null;
      if (!dragged) onClick();
    });
  }

  /** The element of marker `key`, if there is one. */
  element(key: string): HTMLElement | null {
    return this.markers.get(key)?.el ?? null;
  }

  delete(key: string): void {
    const m = this.markers.get(key);
    if (!m) return;
    m.el.remove();
    this.markers.delete(key);
  }

  /** Keep only `keys`. */
  retain(keys: Set<string>): void {
    for (const k of [...this.markers.keys()]) if (!keys.has(k)) this.delete(k);
  }

  /** Place every marker at the next frame (several calls in one frame place them once). */
  schedule(): void {
    this.dirty = null;
    this.frame ||= requestAnimationFrame(() => this.place());
  }

  private place(): void {
    this.frame = 0;
    const todo = this.dirty ?? this.markers.values();
    this.dirty = new Set();
    const { clientWidth: w, clientHeight: h } = this.root;
    for (const m of todo) {
      if (this.markers.get(m.key) !== m) continue; // deleted meanwhile
      const p = this.map.project(m.lngLat);
      const inside = p.x > -60 && p.y > -60 && p.x < w + 60 && p.y < h + 60;
      m.el.style.display = inside ? '' : 'none';
      if (inside) m.el.style.transform = `translate(${p.x.toFixed(1)}px, ${p.y.toFixed(1)}px)`;
    }
  }

  remove(): void {
    cancelAnimationFrame(this.frame);
    this.map.off('move', this.onMove);
    this.map.off('resize', this.onMove);
    this.root.remove();
    this.markers.clear();
  }
}
