// 查找案件 as a test drives it, on any page that has it in its header (the big screen, the desk).
import type { Page } from 'playwright-core';

export class CaseSearchModel {
  constructor(readonly page: Page) {}

  /** What it found, newest first. */
  results() {
    return this.page.getByTestId('case-search-result');
  }
  /** Until the search has answered what is in the box now. */
  async done(): Promise<void> {
    await this.page.locator('[data-testid=case-search][data-state=done]').waitFor({ timeout: 5000 });
  }
  /** The list under the box (results, or a note: nothing found, more, failed). */
  box() {
    return this.page.getByTestId('case-search-results');
  }
}
