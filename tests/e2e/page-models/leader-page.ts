// The leader statistics page as a test drives it: filters, measure cards and their tooltips, the
// ranking table, the drill-down, the export buttons.
import type { Page } from 'playwright-core';
import { LoginPage } from './login-page';

export class LeaderPage {
  constructor(readonly page: Page) {}

  async signInAndOpen(baseUrl: string, username: string, password: string): Promise<void> {
    const login = new LoginPage(this.page);
    await login.open(baseUrl);
    await login.signIn(username, password);
    await this.page.waitForURL(/\/(leader|screen)/);
    if (!/\/leader/.test(this.page.url())) await this.page.goto(`${baseUrl}/leader`);
    await this.page.getByTestId('leader-page').waitFor();
  }

  /** Wait until no figure is being computed. */
  async settled(): Promise<void> {
    await this.page.getByTestId('measure-volume').waitFor();
    await this.page.getByTestId('leader-loading').waitFor({ state: 'detached' });
  }
  measure(key: string) {
    return this.page.getByTestId(`measure-${key}`);
  }
  /** A measure's name as its card shows it (without the ? of its tooltip). */
  async measureLabel(key: string): Promise<string> {
    return (
      await this.measure(key)
        .locator('.label')
        .evaluate((el) => el.firstChild?.textContent ?? '')
    ).trim();
  }
  /** The measures whose name does not fit on its card (it runs past the card's edge). */
  /**
   * The measures' cards on which something runs past the card's padding (a name, the figure, the
   * basis or the 环比 line): each as its name and what overflows.
   */
  async measureCardsOverflowing(): Promise<string[]> {
    return this.page.locator('[data-testid^=measure-]:has(.foot)').evaluateAll((cards) =>
      cards.flatMap((card) => {
        const edge = card.getBoundingClientRect().right - parseFloat(getComputedStyle(card).paddingRight);
        const name = card.querySelector('.label')?.firstChild?.textContent?.trim() ?? '?';
        return [...card.querySelectorAll('.label, .value, .foot, .foot > *')]
          .filter(
            (el) => el.getBoundingClientRect().right > edge + 0.5 || el.scrollWidth > el.clientWidth + 1,
          )
          .map((el) => `${name}: ${el.textContent!.trim()}`);
      }),
    );
  }
  async measureLabelsCut(): Promise<string[]> {
    return this.page
      .locator('[data-testid^=measure-] .label')
      .evaluateAll((els) =>
        els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent!.trim()),
      );
  }
  async measureValue(key: string): Promise<string> {
    return (await this.measure(key).getByTestId('measure-value').textContent())!.trim();
  }
  async measureChange(key: string): Promise<string> {
    return (await this.measure(key).getByTestId('measure-change').textContent())!.trim();
  }
  /** The ranking as shown: township code → measure key → the cell's text. */
  async rankingCells(): Promise<Record<string, Record<string, string>>> {
    return this.rankingRows().evaluateAll((rows) =>
      Object.fromEntries(
        rows.map((r) => [
          r.getAttribute('data-code')!,
          Object.fromEntries(
            [...r.querySelectorAll('[data-measure]')].map((td) => [
              td.getAttribute('data-measure')!,
              (td.textContent ?? '').trim(),
            ]),
          ),
        ]),
      ),
    );
  }
  tooltip(key: string) {
    return this.measure(key).getByTestId('measure-tooltip');
  }
  async preset(name: 'today' | '7d' | '30d' | 'year'): Promise<void> {
    await this.page.getByTestId(`preset-${name}`).click();
    await this.settled();
  }
  async filterTownship(code: string): Promise<void> {
    await this.page.getByTestId('filter-township').selectOption(code);
    await this.settled();
  }
  rankingRows() {
    return this.page.getByTestId('ranking-row');
  }
  async rankingOrder(): Promise<string[]> {
    return this.rankingRows().evaluateAll((els) => els.map((e) => e.getAttribute('data-code')!));
  }
  async sortBy(key: string): Promise<void> {
    await this.page.getByTestId(`sort-${key}`).click();
  }
  async drillInto(code: string): Promise<void> {
    await this.page.locator(`[data-testid=ranking-row][data-code="${code}"]`).click();
    await this.page.getByTestId('drill-down').waitFor();
  }
  drillCases() {
    return this.page.getByTestId('drill-case');
  }
  /** How many ranking rows are wholly in the window, as the page stands (no scrolling). */
  async rankingRowsInView(): Promise<number> {
    return this.rankingRows().evaluateAll(
      (rows) =>
        rows.filter((r) => {
          const b = r.getBoundingClientRect();
          return b.top >= 0 && b.bottom <= window.innerHeight;
        }).length,
    );
  }
  trendTitle() {
    return this.page.getByTestId('trend-title');
  }
  /** Hover the trend over category `i` of `n` (its grid: 40 px left, 16 px right) and read the chart's text. */
  async trendTooltipAt(i: number, n: number): Promise<string> {
    const chart = this.page.getByTestId('chart-trend');
    const box = (await chart.boundingBox())!;
    const width = box.width - 56;
    await this.page.mouse.move(box.x + 40 + (width * (i + 0.5)) / n, box.y + box.height / 2);
    return chart.innerText();
  }
  exportButton(kind: 'xlsx' | 'csv') {
    return this.page.getByTestId(`export-${kind}`);
  }
  /** How far the page (its scrolling main area) is scrolled down. */
  async scrollTop(): Promise<number> {
    return this.page.evaluate(() => document.querySelector('.leader-main')!.scrollTop);
  }
  /** Scroll the page so that `testid`'s top is `offset` px below the main area's top. */
  async scrollTo(testid: string, offset = 0): Promise<void> {
    await this.page.evaluate(
      ({ testid, offset }) => {
        const main = document.querySelector('.leader-main')!;
        const el = document.querySelector(`[data-testid=${testid}]`)!;
        main.scrollTop += el.getBoundingClientRect().top - main.getBoundingClientRect().top - offset;
      },
      { testid, offset },
    );
  }
  /** The heatmap's centre, [lng, lat], as MapLibre holds it. */
  async mapCenter(): Promise<[number, number]> {
    return this.page.evaluate(() => {
      const el = document.querySelector('[data-testid=map] .map-canvas') as unknown as {
        __map: { getCenter(): { lng: number; lat: number } };
      };
      const c = el.__map.getCenter();
      return [c.lng, c.lat];
    });
  }
  /** The tooltip of the domain mix's first (largest) slice, hovered at the ring's top. */
  async domainSliceTooltip(): Promise<string> {
    const chart = this.page.getByTestId('chart-domains');
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    const r = Math.min(box.width, box.height) / 2;
    await this.page.mouse.move(box.x + box.width * 0.34 + r * 0.08, box.y + box.height / 2 - r * 0.53);
    return chart.innerText();
  }
}
