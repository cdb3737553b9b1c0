// The 常用语 page as a test drives it: open it signed in as the command centre, choose built-in or
// own words for a kind, edit, add and remove words, save, and read what the page says.
import type { Page } from 'playwright-core';
import type { PhraseKind } from '../../../shared/phrases';
import { LoginPage } from './login-page';

export class PhrasesPage {
  constructor(readonly page: Page) {}

  /** Opens /phrases, signing in on the way (the login page sends the user back to it). */
  async signInAndOpen(baseUrl: string, username: string, password: string): Promise<void> {
    await this.page.goto(`${baseUrl}/phrases`);
    await this.page.getByTestId('login-form').waitFor();
    await new LoginPage(this.page).signIn(username, password);
    await this.page.waitForURL((url) => url.pathname === '/phrases');
    await this.kind('return').waitFor();
  }

  kind(kind: PhraseKind) {
    return this.page.getByTestId(`phrases-kind-${kind}`);
  }
  chooseOwn(kind: PhraseKind) {
    return this.kind(kind).getByTestId('phrases-own').check();
  }
  builtInWords(kind: PhraseKind) {
    return this.kind(kind).getByTestId('phrases-built-in-words').locator('li').allTextContents();
  }
  input(kind: PhraseKind, i: number) {
    return this.kind(kind).getByTestId('phrases-word-input').nth(i);
  }
  /** The words in the inputs, as typed. */
  async words(kind: PhraseKind): Promise<string[]> {
    const inputs = this.kind(kind).getByTestId('phrases-word-input');
    const out: string[] = [];
    for (let i = 0; i < (await inputs.count()); i++) out.push(await inputs.nth(i).inputValue());
    return out;
  }
  add(kind: PhraseKind) {
    return this.kind(kind).getByTestId('phrases-add').click();
  }
  problems(kind: PhraseKind) {
    return this.kind(kind).getByTestId('phrases-word-problem').allTextContents();
  }
  saveButton() {
    return this.page.getByTestId('phrases-save');
  }
  notice() {
    return this.page.getByTestId('phrases-notice');
  }
}
