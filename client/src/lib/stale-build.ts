// A wall screen left open through an upgrade (`git pull && npm ci && npm start`): its page names the
// chunks of the build before, which the server no longer has, so the first click that loads one
// (交接班, the menu's other pages) did nothing but a 404 in the console. Vite says so with
// `vite:preloadError`; the page then loads afresh, with the build the server has now, once: a chunk
// missing again within a minute (the server itself is broken) is left to fail as it would.
const KEY = 'reloadedForBuildAt';
const ONCE_PER_MS = 60_000;

export function reloadOnStaleBuild(
  target: Pick<Window, 'addEventListener' | 'sessionStorage' | 'location'> = window,
  now: () => number = Date.now,
): void {
  target.addEventListener('vite:preloadError', (event) => {
    let last = 0;
    try {
      last = Number(target.sessionStorage.getItem(KEY)) || 0;
      if (now() - last < ONCE_PER_MS) return;
      target.sessionStorage.setItem(KEY, String(now()));
    } catch {
      return; // storage blocked: no way to tell a second time from the first, so no reload
    }
    event.preventDefault();
    target.location.reload();
  });
}
