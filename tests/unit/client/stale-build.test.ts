// A page left open through an upgrade asks for a chunk the server no longer has: it loads afresh,
// but only once a minute, so a server that lacks the chunk for good does not reload it in a loop.
import { describe, expect, it } from 'vitest';
import { reloadOnStaleBuild } from '../../../client/src/lib/stale-build';

function page() {
  const target = new EventTarget();
  const stored = new Map<string, string>();
  let reloads = 0;
  const win = {
    addEventListener: target.addEventListener.bind(target),
    sessionStorage: {
      getItem: (k: string) => stored.get(k) ?? null,
      setItem: (k: string, v: string) => void stored.set(k, v),
    } as Storage,
    location: { reload: () => void reloads++ } as Location,
  };
  const missingChunk = () => {
    const e = new Event('vite:preloadError', { cancelable: true });
    target.dispatchEvent(e);
    return e.defaultPrevented; // prevented: Vite does not throw, the page is going
  };
  return { win, missingChunk, reloads: () => reloads };
}

describe('reloadOnStaleBuild', () => {
  it('loads the page afresh on a missing chunk, then not again within a minute', () => {
    let now = 1_000_000;
    const p = page();
    reloadOnStaleBuild(p.win as unknown as Window, () => now);
    expect(p.missingChunk()).toBe(true);
    expect(p.reloads()).toBe(1);
    // The reloaded page finds it missing again (the server is broken, not upgraded): it fails as is.
    now += 30_000;
    expect(p.missingChunk()).toBe(false);
    expect(p.reloads()).toBe(1);
    // A later upgrade, hours on: loaded afresh again.
    now += 3_600_000;
    expect(p.missingChunk()).toBe(true);
    expect(p.reloads()).toBe(2);
  });
});
