// The photo viewer (components/desk/PhotoViewer) as a test drives it, wherever it was opened from:
// the photo shown, its caption and place among the case's photos, the steps, the ways to close it.
import type { Page } from 'playwright-core';

export class PhotoViewerModel {
  constructor(readonly page: Page) {}

  root() {
    return this.page.getByTestId('photo-viewer');
  }
  async waitOpen(): Promise<void> {
    await this.page.locator('[data-testid=photo-viewer][open]').waitFor();
  }
  async waitClosed(): Promise<void> {
    await this.root().waitFor({ state: 'detached' });
  }
  image() {
    return this.page.getByTestId('photo-viewer-image');
  }
  /** The shown photo's own width in pixels once the browser has drawn it (0 while it loads or failed). */
  async naturalWidth(): Promise<number> {
    if ((await this.image().count()) === 0) return 0;
    return this.image().evaluate((img) => {
      const i = img as HTMLImageElement;
      return i.complete ? i.naturalWidth : 0;
    });
  }
  async caption(): Promise<string> {
    return ((await this.page.getByTestId('photo-viewer-caption').textContent()) ?? '').trim();
  }
  async counter(): Promise<string> {
    return ((await this.page.getByTestId('photo-viewer-counter').textContent()) ?? '').trim();
  }
  next() {
    return this.page.getByTestId('photo-viewer-next');
  }
  prev() {
    return this.page.getByTestId('photo-viewer-prev');
  }
  close() {
    return this.page.getByTestId('photo-viewer-close');
  }
  original() {
    return this.page.getByTestId('photo-viewer-original');
  }
  /** Whether the keyboard's focus is inside the viewer. */
  async holdsFocus(): Promise<boolean> {
    return this.page.evaluate(() => !!document.activeElement?.closest('[data-testid=photo-viewer]'));
  }
  /** The focused element's test id (the thumbnail's, after the viewer closed). */
  async focusedTestId(): Promise<string | null> {
    return this.page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
  }
  /** The viewer's box in the window's pixels. */
  async box(): Promise<{ x: number; y: number; width: number; height: number }> {
    const b = await this.root().boundingBox();
    if (!b) throw new Error('the photo viewer is not drawn');
    return b;
  }
}
