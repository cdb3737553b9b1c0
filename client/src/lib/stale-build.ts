// A wall screen left open through an upgrade (`git pull && npm ci && npm start`): its page names the
// chunks of the build before, which the server no longer has, so the first click that loads one
// (交接班, the menu's other pages) did nothing but a 404 in the console. Vite says so with
// `vite:preloadError`; the page then loads afresh, with the build the server has now — only if the
// server answers (during the upgrade itself it is down: a reload would leave the wall on the
// browser's error page, with nothing to bring it back, where the page itself reconnects), and once
// a minute at most (a chunk missing again, the server itself broken, is left to fail as it would).
import { shallowRef } from 'vue';
import { CLIENT_BUILD_HEADER, buildOf, entryOfIndexHtml } from '@shared/build';

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
      // No reload after all: a part noted to open again (reopenAfterReload) is forgotten, or a
      // later visit to the page within the minute would open it unasked.
      const noReload = () => {
        try {
          target.sessionStorage.removeItem(REOPEN_KEY);
        } catch {
          // storage blocked: nothing was kept either
        }
      };
      if (!(await serverUp())) return noReload(); // the next click after the server is back tries again
      try {
        const last = Number(target.sessionStorage.getItem(KEY)) || 0;
        if (now() - last < ONCE_PER_MS) return noReload();
        target.sessionStorage.setItem(KEY, String(now()));
      } catch {
        return; // storage blocked: no way to tell a second time from the first, so no reload
      }
      // A page the router was on its way to (a menu's link): that page, not the one left.
      if (wanted) target.location.assign(wanted);
      else target.location.reload();
    })();
  });
}

/** Where the router was going when a part of the old build was missing (see `missingPartOf`). */
let wanted: string | null = null;

/**
 * For the router's `onError`: a navigation that failed for a missing part of the build (the page it
 * goes to) is remembered, so the reload above lands there rather than where the click was made.
 */
export function missingPartOf(err: unknown, to: { fullPath: string }): void {
  const message = err instanceof Error ? err.message : String(err);
  if (
    /dynamically imported module|Importing a module script failed|error loading dynamically|Unable to preload CSS/i.test(
      message,
    )
  )
    wanted = to.fullPath;
}

/**
 * A part of a page that is not a page of its own (the 交接班 dialog) asked for when its chunk was
 * missing: the page loaded afresh opens it again (`takeReopen`), as a menu's link lands on its page;
 * the operator clicked 交接班 and got the wall back without it. Kept for a minute, the reload's own
 * once-a-minute, so a reload that did not happen does not open it long after.
 */
const REOPEN_KEY = 'reopenAfterReload';
export function reopenAfterReload(
  part: string,
  storage: Pick<Storage, 'setItem'> | undefined = globalThis.sessionStorage,
  now: () => number = Date.now,
): void {
  try {
    storage?.setItem(REOPEN_KEY, JSON.stringify({ part, at: now() }));
  } catch {
    // Storage blocked: the operator clicks again.
  }
}
/** Whether `part` was asked for just before the page was loaded afresh (once: it is forgotten). */
export function takeReopen(
  part: string,
  storage: Pick<Storage, 'getItem' | 'removeItem'> | undefined = globalThis.sessionStorage,
  now: () => number = Date.now,
): boolean {
  try {
    const kept = JSON.parse(storage?.getItem(REOPEN_KEY) ?? 'null') as {
      part?: unknown;
      at?: unknown;
    } | null;
    if (!kept || kept.part !== part) return false;
    storage?.removeItem(REOPEN_KEY);
    return typeof kept.at === 'number' && now() - kept.at >= 0 && now() - kept.at < ONCE_PER_MS;
  } catch {
    return false;
  }
}

/** For the router's `beforeEach`: a navigation begun since is not the one that failed. */
export function forgetMissingPart(): void {
  wanted = null;
}

// A page left open through an upgrade that asks for no chunk runs the old build against the new
// server all day: a wall, a leader page. Every API answer names the build the server serves
// (shared/build.ts); one that is not this page's shows the update notice (UpdateNotice.vue), which
// loads the page afresh once nobody is using it.

/** The build the server serves, once an answer named one that is not this page's; else null. */
export const newBuild = shallowRef<string | null>(null);

let own: string | null | undefined;

/** The build this page runs: its entry script's and stylesheet's file names; null in development (`/src/main.ts`). */
export function ownBuild(
  doc: Pick<Document, 'querySelector'> | undefined = globalThis.document,
): string | null {
  if (own !== undefined) return own;
  if (!doc) return (own = null);
  const entry = doc.querySelector<HTMLScriptElement>('script[type="module"][src]');
  const sheet = doc.querySelector<HTMLLinkElement>('link[rel="stylesheet"][href]');
  return (own = buildOf(entry?.src, sheet?.href));
}

/**
 * The build the server serves, looked at every minute (an answer of the API names it, not kept by
 * any cache): a desk at rest asks the API nothing, its news coming over the socket, and at an
 * upgrade the server serves the release before's client while it builds the new one behind it, so
 * the desk's reads at the reconnect still named the old build and it never heard of the new one.
 */
export function watchServedBuild(everyMs = 60_000): () => void {
  const t = setInterval(() => {
    void fetch('/api/health', { method: 'HEAD', cache: 'no-store' }).then(
      (r) => noteServerBuild(r.headers.get(CLIENT_BUILD_HEADER)),
      () => undefined, // the server is down: the next minute asks again
    );
  }, everyMs);
  return () => clearInterval(t);
}

/** What an answer's `X-Client-Build` said (null when it said nothing). */
export function noteServerBuild(
  name: string | null,
  mine: string | null = ownBuild(),
  ran: ReadonlySet<string> = buildsRun(),
): void {
  if (!name || !mine) return;
  // The same build again clears it: behind a load balancer mid-upgrade, the old one still answers.
  // A build this tab has run before is the past, not an upgrade (an old instance, a proxy's cache):
  // going back to it would flip the page between builds for as long as both answer.
  if (name === mine || ran.has(name)) newBuild.value = null;
  else newBuild.value = name;
}

const RAN_KEY = 'buildsRun';
let ran: Set<string> | undefined;
/** The builds this tab has run, this page's included (kept for the tab's session). */
export function buildsRun(
  storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.sessionStorage,
): Set<string> {
  if (ran) return ran;
  ran = new Set<string>();
  try {
    for (const b of JSON.parse(storage?.getItem(RAN_KEY) ?? '[]') as unknown[])
      if (typeof b === 'string') ran.add(b);
    const mine = ownBuild();
    if (mine && !ran.has(mine)) {
      ran.add(mine);
      storage?.setItem(RAN_KEY, JSON.stringify([...ran].slice(-10)));
    }
  } catch {
    // Storage blocked or garbled: this page's own build alone.
  }
  return ran;
}

export type ReloadOutcome = 'reloaded' | 'same' | 'down' | 'recent';

/**
 * Loads the page afresh with the server's new build, if the server's page does name another build
 * than this one ('same': it does not, as when an old instance answers; the notice goes), the server
 * answers ('down': mid-upgrade, a reload would leave the browser's error page), and this tab has not
 * done so within the minute ('recent'; shared with the missing chunk's reload above) unless `force`d
 * (a click on 立即刷新).
 */
export async function reloadForNewBuild(
  opts: {
    force?: boolean;
    target?: Pick<Window, 'sessionStorage' | 'location'>;
    now?: () => number;
    served?: () => Promise<string | null>;
    mine?: string | null;
  } = {},
): Promise<ReloadOutcome> {
  const target = opts.target ?? window;
  const now = opts.now ?? Date.now;
  const served =
    opts.served ??
    (() =>
      fetch('/', { cache: 'no-store' }).then(
        async (r) => (r.ok ? entryOfIndexHtml(await r.text()) : null),
        () => null,
      ));
  const build = await served();
  if (!build) return 'down';
  if (build === (opts.mine === undefined ? ownBuild() : opts.mine)) {
    newBuild.value = null;
    return 'same';
  }
  try {
    const last = Number(target.sessionStorage.getItem(KEY)) || 0;
    if (!opts.force && now() - last < ONCE_PER_MS) return 'recent';
    target.sessionStorage.setItem(KEY, String(now()));
  } catch {
    // Storage blocked: a reload could not tell a loop from the first time, so only on a click.
    if (!opts.force) return 'recent';
  }
  target.location.reload();
  return 'reloaded';
}
