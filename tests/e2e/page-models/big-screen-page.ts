// The command-centre big screen as a test drives it: sign in through the form, read the panels,
// select and dispatch a case, ask the map what it shows.
import type { Page } from 'playwright-core';
import { LoginPage } from './login-page';

export class BigScreenPage {
  constructor(private readonly page: Page) {}

  /** Sign in through the login form and land on /screen with the map loaded. */
  async signInAndOpen(baseUrl: string, username: string, password: string): Promise<void> {
    const login = new LoginPage(this.page);
    await login.open(`${baseUrl}`);
    await login.signIn(username, password);
    await this.page.waitForURL(/\/screen$/);
    await this.page.getByTestId('big-screen').waitFor();
    await this.mapCanvas().waitFor();
  }

  mapCanvas() {
    return this.page.locator('[data-testid=map] canvas.maplibregl-canvas');
  }
  /** Chart panels whose ECharts instance is up (echarts.init marks its element). */
  chartsInitialised() {
    return this.page.locator('[data-testid^="chart-"][_echarts_instance_]');
  }
  /** Chart canvases drawn by ECharts (one per chart panel that has something to draw). */
  chartCanvases() {
    return this.page.locator('[data-testid^="chart-"] canvas');
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
  queueRow(caseId: string) {
    return this.page.locator(`[data-testid=queue-row][data-case-id="${caseId}"]`);
  }
  dispatchPanel() {
    return this.page.getByTestId('dispatch-panel');
  }
  async selectFromFeed(caseId: string): Promise<void> {
    await this.feedItem(caseId).click();
    await this.page.locator(`[data-testid=dispatch-panel][data-case-id="${caseId}"]`).waitFor();
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

  /** Whether the case is a feature in the map's case source (clustered or not). */
  async mapHoldsCase(caseId: string): Promise<boolean> {
    return this.page.evaluate(async (id) => {
      const el = document.querySelector('[data-testid=map] .maplibregl-map') as
        (HTMLElement & { __map?: any }) | null;
      const map = el?.__map;
      if (!map) return false;
      const src = map.getSource('cases');
      if (!src) return false;
      // Drawn as a point, or inside a cluster: look at the leaves of every rendered cluster too.
      if (map.querySourceFeatures('cases', { filter: ['==', ['get', 'id'], id] }).length) return true;
      for (const f of map.querySourceFeatures('cases', { filter: ['has', 'point_count'] })) {
        const leaves = await src.getClusterLeaves(f.properties.cluster_id, Infinity, 0);
        if (leaves.some((l: any) => l.properties.id === id)) return true;
      }
      return false;
    }, caseId);
  }

  /** Number of features drawn in a map layer right now. */
  async renderedCount(layerId: string): Promise<number> {
    return this.page.evaluate((layer) => {
      const el = document.querySelector('[data-testid=map] .maplibregl-map') as
        (HTMLElement & { __map?: any }) | null;
      const map = el?.__map;
      return map && map.getLayer(layer) ? map.queryRenderedFeatures({ layers: [layer] }).length : 0;
    }, layerId);
  }
}
