// A tablet in Chromium: a touch screen (the pointer coarse, no hover) at twice the pixels, and a
// finger's swipe as the browser receives one (touch events through DevTools, so the browser itself
// scrolls or hands them to the page's handlers, as on the device).
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';

export async function openTouchPage(
  browser: Browser,
  opts: { width: number; height: number; locale?: 'zh-CN' | 'en' },
): Promise<{ context: BrowserContext; page: Page; consoleErrors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: opts.width, height: opts.height },
    hasTouch: true,
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  // The page's language is its own setting (the header's switch), kept in localStorage.
  if (opts.locale === 'en') await context.addInitScript(() => localStorage.setItem('locale', 'en'));
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
  return { context, page, consoleErrors };
}

/** One finger from (x, y) `dy` px up (a negative `dy`: down), in ten moves. */
export async function swipe(page: Page, x: number, y: number, dy: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  for (let i = 1; i <= 10; i++) {
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchMove',
      touchPoints: [{ x, y: y - (dy * i) / 10 }],
    });
    await page.waitForTimeout(16);
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

/** Width and height of each element `selector` matches, as laid out. */
export async function sizesOf(page: Page, selector: string): Promise<Array<{ w: number; h: number }>> {
  return page.locator(selector).evaluateAll((els) =>
    els.map((e) => {
      const b = e.getBoundingClientRect();
      return { w: Math.round(b.width), h: Math.round(b.height) };
    }),
  );
}
