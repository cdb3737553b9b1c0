// A page left open through an upgrade asks for a chunk the server no longer has: it loads afresh,
// but only while the server answers (down mid-upgrade, a reload would strand the wall on the
// browser's error page) and once a minute, so a server that lacks the chunk for good does not
// reload it in a loop.
import { describe, expect, it, vi } from 'vitest';
import { reloadOnStaleBuild } from '../../../client/src/lib/stale-build';

function page() {
  const target = new EventTarget();
  const stored = new Map<string, string>();
  const reload = vi.fn();
  const win = {
    addEventListener: target.addEventListener.bind(target),
    sessionStorage: {
      getItem: (k: string) => stored.get(k) ?? null,
      setItem: (k: string, v: string) => void stored.set(k, v),
    } as Storage,
    location: { reload } as unknown as Location,
  };
  let checks = 0;
  const missingChunk = async () => {
    target.dispatchEvent(new Event('vite:preloadError', { cancelable: true }));
    await vi.waitFor(() => expect(checks).toBeGreaterThan(0));
    checks = 0;
    await new Promise((resolve) => setTimeout(resolve, 0)); // the handler's microtasks, all run
  };
  const counted = (up: () => boolean) => async () => {
    checks++;
    return up();
  };
  return { win, missingChunk, reload, counted };
}

describe('reloadOnStaleBuild', () => {
  it('loads the page afresh on a missing chunk while the server answers, then not again within a minute', async () => {
    let now = 1_000_000;
    let up = false;
    const p = page();
    reloadOnStaleBuild(
      p.win as unknown as Window,
      () => now,
      p.counted(() => up),
    );
    // Mid-upgrade the server is down: no reload (the page stays and reconnects by itself).
    await p.missingChunk();
    expect(p.reload).not.toHaveBeenCalled();
    // It is back with the new build: the next missing chunk loads the page afresh.
    up = true;
    await p.missingChunk();
    expect(p.reload).toHaveBeenCalledTimes(1);
    // The reloaded page finds it missing again (the server is broken, not upgraded): it fails as is.
    now += 30_000;
    await p.missingChunk();
    expect(p.reload).toHaveBeenCalledTimes(1);
    // A later upgrade, hours on: loaded afresh again.
    now += 3_600_000;
    await p.missingChunk();
    expect(p.reload).toHaveBeenCalledTimes(2);
  });
});
