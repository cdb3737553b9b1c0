// A wall screen left open through an upgrade (`git pull && npm ci && npm start`): its page names the
// chunks of the build before, which the server no longer has, so the first click that loads one
// (交接班, the menu's other pages) did nothing but a 404 in the console. Vite says so with
// `vite:preloadError`; the page then loads afresh, with the build the server has now — only if the
// server answers (during the upgrade itself it is down: a reload would leave the wall on the
// browser's error page, with nothing to bring it back, where the page itself reconnects), and once
// a minute at most (a chunk missing again, the server itself broken, is left to fail as it would).
const KEY = 'reloadedForBuildAt';
const ONCE_PER_MS = 60_000;

type Page = Pick<Window, 'addEventListener' | 'sessionStorage' | 'location'>;

export function reloadOnStaleBuild(
  target: Page = window,
  now: () => number = Date.now,
  serverUp: () => Promise<boolean> = () =>
    fetch('/', { method: 'HEAD', cache: 'no-store' }).then(
      (r) => r.ok,
      () => false,
    ),
): void {
  target.addEventListener('vite:preloadError', () => {
    void (async () => {
      if (!(await serverUp())) return; // the next click after the server is back tries again
      try {
        const last = Number(target.sessionStorage.getItem(KEY)) || 0;
        if (now() - last < ONCE_PER_MS) return;
        target.sessionStorage.setItem(KEY, String(now()));
      } catch {
        return; // storage blocked: no way to tell a second time from the first, so no reload
      }
      target.location.reload();
    })();
  });
}
