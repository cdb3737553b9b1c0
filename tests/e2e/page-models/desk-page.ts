// The township desk as a test drives it: sign in, read the tabs and rows, open a case, take an
// action through its form, attach photos, switch the sound.
import type { Page } from 'playwright-core';
import { CaseSearchModel } from './case-search';
import { LoginPage } from './login-page';

export type DeskTabName = 'acknowledge' | 'in_progress' | 'rectifying' | 'rework' | 'done' | 'cooperating';

export class DeskPage {
  constructor(readonly page: Page) {
    this.search = new CaseSearchModel(page);
  }

  /** 查找案件 in the header. */
  readonly search: CaseSearchModel;

  async signInAndOpen(baseUrl: string, username: string, password: string): Promise<void> {
    const login = new LoginPage(this.page);
    await login.open(baseUrl);
    await login.signIn(username, password);
    await this.page.waitForURL(/\/desk/);
    await this.page.getByTestId('desk-page').waitFor();
  }

  tab(name: DeskTabName) {
    return this.page.getByTestId(`desk-tab-${name}`);
  }
  async count(name: DeskTabName): Promise<number> {
    return Number(await this.page.getByTestId(`desk-tab-count-${name}`).textContent());
  }
  connection() {
    return this.page.getByTestId('desk-connection');
  }
  /** The case ids drawn on the desk's map (its `desk-cases` source). */
  async mapCaseIds(): Promise<string[]> {
    return this.page.evaluate(async () => {
      const map = (document.querySelector('[data-testid=map] .map-canvas') as HTMLElement & { __map?: any })
        .__map;
      const data = await map.getSource('desk-cases').getData();
      return (data.features as Array<{ properties: { id: string } }>).map((f) => f.properties.id).sort();
    });
  }
  rows() {
    return this.page.getByTestId('desk-row');
  }
  row(caseId: string) {
    return this.page.locator(`[data-testid=desk-row][data-case-id="${caseId}"]`);
  }
  banner() {
    return this.page.getByTestId('new-task-banner');
  }
  /**
   * Whether `text` can be read in the element `testid` (a banner's `-title` or `-detail`): the element
   * is not cut short at all, or `text` lies wholly on its first line, clear of the ellipsis at its end.
   */
  async reads(testid: string, text: string): Promise<boolean> {
    return this.page.getByTestId(testid).evaluate((el, text) => {
      const box = el.getBoundingClientRect();
      const node = [...el.childNodes].find(
        (n) => n.nodeType === Node.TEXT_NODE && n.textContent!.includes(text),
      );
      if (!node || box.width === 0) return false;
      if (el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1) return true;
      const range = document.createRange();
      const at = node.textContent!.indexOf(text);
      range.setStart(node, at);
      range.setEnd(node, at + text.length);
      const line = parseFloat(getComputedStyle(el).lineHeight) || 20;
      return [...range.getClientRects()].every(
        (r) => r.top >= box.top - 1 && r.bottom <= box.top + line + 1 && r.right <= box.right - 16,
      );
    }, text);
  }
  detail() {
    return this.page.getByTestId('case-detail');
  }
  status() {
    return this.page.getByTestId('case-status');
  }
  actionButton(action: string) {
    return this.page.getByTestId(`action-${action}`);
  }
  /** The actions the detail offers, by name. */
  async offered(): Promise<string[]> {
    const ids = await this.page
      .locator(
        '[data-testid^="action-"]:not([data-testid^="action-form"]):not([data-testid="action-submit"]):not([data-testid="action-error"])',
      )
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.replace(/^action-/, '')));
    return ids;
  }
  async openCase(caseId: string): Promise<void> {
    await this.row(caseId).click();
    await this.page.locator(`[data-testid=case-detail][data-case-id="${caseId}"]`).waitFor();
  }
  async startAction(action: string): Promise<void> {
    await this.actionButton(action).click();
    await this.page.getByTestId(`action-form-${action}`).waitFor();
  }
  /** An action with nothing to fill in (签收, 到场): its button sends it. */
  async oneClick(action: 'acknowledge' | 'arrive'): Promise<void> {
    await this.actionButton(action).click();
  }
  async submit(): Promise<void> {
    await this.page.getByTestId('action-submit').click();
  }
  formErrors() {
    return this.page.getByTestId('form-error');
  }
  /** Wait until the open case shows `status` (its label in Chinese). */
  async waitStatus(label: string): Promise<void> {
    await this.page.locator(`[data-testid=case-status]:text-is("${label}")`).waitFor({ timeout: 10_000 });
  }
  async attachPhoto(name: string, mimeType: string, buffer: Buffer): Promise<void> {
    await this.page.getByTestId('photo-input').setInputFiles({ name, mimeType, buffer });
  }
  timelineTypes() {
    return this.page
      .getByTestId('timeline-entry')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
  }
  soundToggle() {
    return this.page.getByTestId('desk-sound');
  }
  /** Where the element `testid` (its first) is drawn, in the window's pixels. */
  async box(testid: string): Promise<{ x: number; y: number; width: number; height: number }> {
    const b = await this.page.getByTestId(testid).first().boundingBox();
    if (!b) throw new Error(`${testid} is not drawn`);
    return b;
  }
  /** The heights of every drawn control matching `selector` that is shorter than `least` px. */
  async shortControls(selector: string, least: number): Promise<string[]> {
    return this.page.locator(selector).evaluateAll(
      (els, least) =>
        els
          .map((el) => ({ el, r: el.getBoundingClientRect() }))
          .filter(({ r }) => r.width > 0 && r.height > 0 && r.height < least)
          .map(
            ({ el, r }) =>
              `${el.getAttribute('data-testid') ?? el.textContent?.trim()} ${Math.round(r.height)}px`,
          ),
      least,
    );
  }
}
