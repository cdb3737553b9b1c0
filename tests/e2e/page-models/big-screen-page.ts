// The command-centre big screen as a test drives it: sign in through the form, read the panels,
// select and dispatch a case, ask the map what it shows; and, through `SocketControl`, hold back
// the live events of a case or drop the connection, as a slow or broken network would.
import type { Page, WebSocketRoute } from 'playwright-core';
import { LoginPage } from './login-page';
import { CaseSearchModel } from './case-search';
import { GRID_TIERS } from '../../../client/src/lib/map-tiers';

const MAP = '[data-testid=map] .maplibregl-map';

export class BigScreenPage {
  constructor(readonly page: Page) {
    this.search = new CaseSearchModel(page);
  }

  /** 查找案件 in the header. */
  readonly search: CaseSearchModel;

  /** Sign in through the login form and land on /screen with the map loaded. */
  async signInAndOpen(baseUrl: string, username: string, password: string): Promise<void> {
    const login = new LoginPage(this.page);
    await login.open(`${baseUrl}`);
    await login.signIn(username, password);
    await this.page.waitForURL(/\/screen$/);
    await this.page.getByTestId('big-screen').waitFor();
    await this.mapCanvas().waitFor();
  }

  /** Until the header says 实时 (live): subscribed, and caught up with what happened before. */
  async waitLive(timeout = 15_000): Promise<void> {
    await this.page.locator('[data-testid=connection-state].live').waitFor({ timeout });
  }

  /** The header's menu, opened (its list shown). */
  async openMenu(): Promise<void> {
    await this.page.getByTestId('screen-menu').click();
    await this.menuList().waitFor();
  }
  menuList() {
    return this.page.getByTestId('screen-menu-list');
  }
  /** The pages the menu offers, as the operator reads them. */
  async menuPages(): Promise<string[]> {
    return this.menuList().locator('a').allTextContents();
  }
  /** Whether the page is shown full screen (the browser's own state). */
  async isFullscreen(): Promise<boolean> {
    return this.page.evaluate(() => document.fullscreenElement !== null);
  }

  /** The test id of what has the keyboard's focus (null: nothing with one, the page itself). */
  async focusedTestId(): Promise<string | null> {
    return this.page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
  }

  mapCanvas() {
    return this.page.locator('[data-testid=map] canvas.maplibregl-canvas');
  }
  /** Chart panels whose ECharts instance is up (echarts.init marks its element). */
  chartsInitialised() {
    return this.page.locator('[data-testid^="chart-"][_echarts_instance_]');
  }
  /** Chart panels that have drawn figures (not an empty frame). */
  chartsDrawn() {
    return this.page.locator('[data-testid^="chart-"][data-drawn]');
  }
  connectionState() {
    return this.page.getByTestId('connection-state');
  }
  kpi(name: 'cluesToday' | 'dispatchedToday' | 'closedToday' | 'overdue') {
    return this.page.getByTestId(`kpi-${name}`).locator('.value');
  }
  feedItem(caseId: string) {
    return this.page.locator(`[data-testid=feed-item][data-case-id="${caseId}"]`).first();
  }
  feedItems(caseId: string) {
    return this.page.locator(`[data-testid=feed-item][data-case-id="${caseId}"]`);
  }
  queueRow(caseId: string) {
    return this.page.locator(`[data-testid=queue-row][data-case-id="${caseId}"]`);
  }
  queueTab(bucket: 'awaiting' | 'returned' | 'overdue' | 'extension' | 'verify') {
    return this.page.getByTestId(`queue-tab-${bucket}`);
  }
  teamMarkers() {
    return this.page.getByTestId('team-marker');
  }
  teamMarker(teamId: string) {
    return this.page.locator(`[data-testid=team-marker][data-team-id="${teamId}"]`);
  }
  dispatchPanel() {
    return this.page.getByTestId('dispatch-panel');
  }
  async selectFromFeed(caseId: string): Promise<void> {
    await this.feedItem(caseId).click();
    await this.page.locator(`[data-testid=dispatch-panel][data-case-id="${caseId}"]`).waitFor();
  }
  async selectFromQueue(caseId: string): Promise<void> {
    await this.queueRow(caseId).click();
    await this.page.locator(`[data-testid=dispatch-panel][data-case-id="${caseId}"]`).waitFor();
  }
  /** Opens a case by its number from 查找案件, as an operator told it on the phone would. */
  async openByNumber(c: { id: string; no: string }): Promise<void> {
    await this.page.getByTestId('case-search-input').fill(c.no);
    await this.search.done();
    await this.page.getByTestId('case-search-input').press('Enter');
    await this.panelFor(c.id).waitFor();
  }
  /** The dispatch panel holds `caseId` (it has opened on it). */
  panelFor(caseId: string) {
    return this.page.locator(`[data-testid=dispatch-panel][data-case-id="${caseId}"]`);
  }
  async confirmDispatch(): Promise<void> {
    await this.page.getByTestId('dispatch-confirm').click();
  }
  dispatchMessage() {
    return this.page.getByTestId('dispatch-message');
  }
  dispatchState() {
    return this.page.getByTestId('dispatch-state');
  }

  /**
   * Until the map has nothing left to load or draw (MapLibre's `idle`): the screen as it stands on
   * the wall between events, not the tail of its start.
   */
  async waitMapIdle(timeout = 15_000): Promise<void> {
    await this.page.evaluate(
      ({ sel, timeout }) =>
        new Promise<void>((resolve, reject) => {
          const map = (document.querySelector(sel) as (HTMLElement & { __map?: any }) | null)?.__map;
          if (!map) return reject(new Error('no map on the page'));
          if (map.loaded() && map.areTilesLoaded() && !map.isMoving()) return resolve();
          const timer = setTimeout(
            () => reject(new Error(`the map was not idle within ${timeout} ms`)),
            timeout,
          );
          map.once('idle', () => {
            clearTimeout(timer);
            resolve();
          });
        }),
      { sel: MAP, timeout },
    );
  }

  /**
   * Until the four grid tiers are read (each has its data in MapLibre's worker, the switcher's row
   * says so): once the screen has started it reads them in the background, whatever the zoom.
   */
  async waitGridsRead(timeout = 20_000): Promise<void> {
    for (const tier of Object.keys(GRID_TIERS))
      await this.page.locator(`[data-testid=layer-toggle-${tier}][data-status=ready]`).waitFor({ timeout });
  }

  /** The map's zoom now. */
  async zoom(): Promise<number> {
    return this.page.evaluate((sel) => (document.querySelector(sel) as any).__map.getZoom(), MAP);
  }

  /**
   * Where on the page's map element a place is drawn (x, y from its top left) and the map's
   * size: whether it is in view, and clear of what covers the map's sides.
   */
  async mapPoint(lngLat: [number, number]): Promise<{ x: number; y: number; width: number; height: number }> {
    return this.page.evaluate(
      ({ sel, p }) => {
        const map = (document.querySelector(sel) as any).__map;
        const { x, y } = map.project(p);
        const c = map.getContainer();
        return { x, y, width: c.clientWidth, height: c.clientHeight };
      },
      { sel: MAP, p: lngLat },
    );
  }

  /** Where the county's outline is drawn across the map element (its west and east edges' x). */
  async countyOnMap(): Promise<{ left: number; right: number; mapWidth: number }> {
    return this.page.evaluate(async (sel) => {
      const map = (document.querySelector(sel) as any).__map;
      const data = await map.getSource('county').getData();
      const xs: number[] = [];
      const walk = (c: any): void => {
        if (typeof c[0] === 'number') xs.push(map.project(c).x);
        else for (const k of c) walk(k);
      };
      for (const f of data.features) walk(f.geometry.coordinates);
      return { left: Math.min(...xs), right: Math.max(...xs), mapWidth: map.getContainer().clientWidth };
    }, MAP);
  }

  /**
   * The township names on the map: each one's code, text, the place under its middle, and whether
   * its text is what is drawn on top there (not hidden by a marker); none when the names are off.
   */
  async townshipNames(): Promise<
    Array<{ code: string; name: string; lngLat: [number, number]; onTop: boolean }>
  > {
    return this.page.evaluate((sel) => {
      const map = (document.querySelector(sel) as any).__map;
      const c = map.getContainer() as HTMLElement;
      const m = c.getBoundingClientRect();
      const scale = m.width / c.clientWidth;
      return [...document.querySelectorAll<HTMLElement>('[data-testid=township-label]')]
        .filter((el) => el.offsetParent !== null)
        .map((el) => {
          const text = el.firstElementChild as HTMLElement;
          const b = text.getBoundingClientRect();
          const [x, y] = [b.left + b.width / 2, b.top + b.height / 2];
          // Hit-testing skips what ignores the pointer (as the names do): let it count, briefly.
          text.style.pointerEvents = 'auto';
          const hit = document.elementFromPoint(x, y);
          text.style.pointerEvents = '';
          const p = map.unproject([(x - m.left) / scale, (y - m.top) / scale]);
          return {
            code: el.dataset.code!,
            name: text.textContent ?? '',
            lngLat: [p.lng, p.lat] as [number, number],
            onTop: !!hit && text.contains(hit),
          };
        });
    }, MAP);
  }

  /** Move the map at once to `center` and `zoom`. */
  async jumpTo(center: [number, number], zoom: number): Promise<void> {
    await this.page.evaluate(
      ({ sel, c, z }) => (document.querySelector(sel) as any).__map.jumpTo({ center: c, zoom: z }),
      { sel: MAP, c: center, z: zoom },
    );
  }

  /** Whether a team marker is drawn over the place (within its ring). */
  async teamMarkerAt(lngLat: [number, number]): Promise<boolean> {
    return this.page.evaluate(
      ({ sel, p }) => {
        const map = (document.querySelector(sel) as any).__map;
        const c = map.getContainer() as HTMLElement;
        const m = c.getBoundingClientRect();
        const scale = m.width / c.clientWidth;
        const { x, y } = map.project(p);
        const [px, py] = [m.left + x * scale, m.top + y * scale];
        return [...document.querySelectorAll('[data-testid=team-marker] .ring')].some((r) => {
          const b = r.getBoundingClientRect();
          return px >= b.left && px <= b.right && py >= b.top && py <= b.bottom;
        });
      },
      { sel: MAP, p: lngLat },
    );
  }

  /** Click the map where a place is drawn (the page's pixels: the canvas may be scaled). */
  async clickMap(lngLat: [number, number]): Promise<void> {
    const at = await this.page.evaluate(
      ({ sel, p }) => {
        const map = (document.querySelector(sel) as any).__map;
        const c = map.getContainer() as HTMLElement;
        const m = c.getBoundingClientRect();
        const scale = m.width / c.clientWidth;
        const { x, y } = map.project(p);
        return { x: m.left + x * scale, y: m.top + y * scale };
      },
      { sel: MAP, p: lngLat },
    );
    await this.page.mouse.click(at.x, at.y);
  }

  /** The box an element of the screen takes, in the map element's coordinates (design pixels). */
  async boxOnMap(testId: string): Promise<{ left: number; right: number; top: number; bottom: number }> {
    return this.page.evaluate(
      ({ sel, id }) => {
        const c = (document.querySelector(sel) as any).__map.getContainer() as HTMLElement;
        const el = document.querySelector(`[data-testid=${id}]`) as HTMLElement;
        const m = c.getBoundingClientRect();
        const b = el.getBoundingClientRect();
        const scale = m.width / c.clientWidth; // the screen's canvas is scaled to the window
        return {
          left: (b.left - m.left) / scale,
          right: (b.right - m.left) / scale,
          top: (b.top - m.top) / scale,
          bottom: (b.bottom - m.top) / scale,
        };
      },
      { sel: MAP, id: testId },
    );
  }

  /** Whether the case is a feature in the map's case source (drawn as a point or inside a cluster). */
  async mapHoldsCase(caseId: string): Promise<boolean> {
    return this.page.evaluate(
      async ({ id, sel }) => {
        const map = (document.querySelector(sel) as (HTMLElement & { __map?: any }) | null)?.__map;
        const src = map?.getSource('cases');
        if (!src) return false;
        if (map.querySourceFeatures('cases', { filter: ['==', ['get', 'id'], id] }).length) return true;
        for (const f of map.querySourceFeatures('cases', { filter: ['has', 'point_count'] })) {
          const leaves = await src.getClusterLeaves(f.properties.cluster_id, Infinity, 0);
          if (leaves.some((l: any) => l.properties.id === id)) return true;
        }
        return false;
      },
      { id: caseId, sel: MAP },
    );
  }

  /**
   * The case ids a GeoJSON source of the map holds (its data, not its tiles: a source whose layers
   * are hidden loads no tiles), sorted.
   */
  async sourceCaseIds(sourceId: string): Promise<string[]> {
    return this.page.evaluate(
      async ({ source, sel }) => {
        const map = (document.querySelector(sel) as (HTMLElement & { __map?: any }) | null)?.__map;
        const data = await map?.getSource(source)?.getData();
        return (data?.features ?? []).map((f: any) => String(f.properties?.id ?? f.id)).sort();
      },
      { source: sourceId, sel: MAP },
    );
  }
  /**
   * The place 查找地点 outlined on the map while a clue is registered: the name of each feature of
   * its source (its outline and its label), none when nothing is outlined.
   */
  async cluePlaceNames(): Promise<string[]> {
    return this.page.evaluate(async (sel) => {
      const map = (document.querySelector(sel) as (HTMLElement & { __map?: any }) | null)?.__map;
      const data = await map?.getSource('clue-place')?.getData();
      return (data?.features ?? []).map((f: any) => String(f.properties?.name));
    }, MAP);
  }
  async toggleLayer(key: string): Promise<void> {
    await this.page.getByTestId(`layer-toggle-${key}`).locator('input').click();
  }

  /** The feature-state of the feature `id` as drawn in `layerId` now (null: not drawn). */
  async renderedState(layerId: string, id: string): Promise<Record<string, unknown> | null> {
    return this.page.evaluate(
      ({ layer, fid, sel }) => {
        const map = (document.querySelector(sel) as (HTMLElement & { __map?: any }) | null)?.__map;
        if (!map || !map.getLayer(layer)) return null;
        const f = map.queryRenderedFeatures({ layers: [layer] }).find((x: { id?: unknown }) => x.id === fid);
        return f ? { ...f.state } : null;
      },
      { layer: layerId, fid: id, sel: MAP },
    );
  }

  /** The ids of the features drawn in `layerId` now whose feature-state has `selected`. */
  async selectedIds(layerId: string): Promise<string[]> {
    return this.page.evaluate(
      ({ layer, sel }) => {
        const map = (document.querySelector(sel) as (HTMLElement & { __map?: any }) | null)?.__map;
        if (!map || !map.getLayer(layer)) return [];
        const hits = map.queryRenderedFeatures({ layers: [layer] });
        return [...new Set<string>(hits.filter((f: any) => f.state?.selected).map((f: any) => String(f.id)))];
      },
      { layer: layerId, sel: MAP },
    );
  }

  /** Number of features drawn in a map layer right now. */
  async renderedCount(layerId: string): Promise<number> {
    return this.page.evaluate(
      ({ layer, sel }) => {
        const map = (document.querySelector(sel) as (HTMLElement & { __map?: any }) | null)?.__map;
        return map && map.getLayer(layer) ? map.queryRenderedFeatures({ layers: [layer] }).length : 0;
      },
      { layer: layerId, sel: MAP },
    );
  }
}

/**
 * The page's Socket.IO connection passed through the test, which can hold back the events of one
 * case (a slow network: the screen does not know yet) or cut the connection and refuse new ones
 * (a broken network) until restored. Install before the page opens the screen.
 */
export class SocketControl {
  private held = new Set<string>();
  /** Live messages kept back, by the case they name, until `release`. */
  private delayed = new Map<string, Array<() => void>>();
  private refusing = false;
  private open = new Set<WebSocketRoute>();

  static async install(page: Page): Promise<SocketControl> {
    const control = new SocketControl();
    await page.routeWebSocket(/\/socket\.io\//, (ws) => control.route(ws));
    return control;
  }

  private route(ws: WebSocketRoute): void {
    if (this.refusing) {
      void ws.close({ code: 1011, reason: 'network down (test)' });
      return;
    }
    const server = ws.connectToServer();
    this.open.add(ws);
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      if (typeof m === 'string' && [...this.held].some((id) => m.includes(id))) return;
      const late = typeof m === 'string' ? [...this.delayed].find(([id]) => m.includes(id)) : undefined;
      if (late) late[1].push(() => ws.send(m));
      else ws.send(m);
    });
    ws.onClose(() => this.open.delete(ws));
    server.onClose(() => this.open.delete(ws));
  }

  /** Drop every live message that names this case. */
  hold(caseId: string): void {
    this.held.add(caseId);
  }

  /** Keep back every live message that names this case until `release` (it arrives late). */
  delay(caseId: string): void {
    this.delayed.set(caseId, []);
  }

  /** Send what `delay` kept back, in order. */
  release(caseId: string): void {
    const kept = this.delayed.get(caseId) ?? [];
    this.delayed.delete(caseId);
    for (const send of kept) send();
  }

  /** Close the connection and refuse new ones, until `restore`. */
  async cut(): Promise<void> {
    this.refusing = true;
    await Promise.all([...this.open].map((ws) => ws.close({ code: 1011, reason: 'network down (test)' })));
    this.open.clear();
  }

  restore(): void {
    this.refusing = false;
  }
}
