// A page left open through an upgrade that asks for no chunk (a wall, a leader page) learns from an
// API answer that the server serves another build, and loads afresh with it: only when the server's
// page does name another build (behind a load balancer mid-upgrade an old instance may answer), only
// while the server answers, and once a minute unless clicked.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  newBuild,
  noteServerBuild,
  reloadForNewBuild,
  reopenAfterReload,
  takeReopen,
} from '../../../client/src/lib/stale-build';

function tab() {
  const stored = new Map<string, string>();
  const reload = vi.fn();
  return {
    reload,
    target: {
      sessionStorage: {
        getItem: (k: string) => stored.get(k) ?? null,
        setItem: (k: string, v: string) => void stored.set(k, v),
      } as Storage,
      location: { reload } as unknown as Location,
    },
  };
}

const MINE = 'index-Mine0001.js';
const NEXT = 'index-Next0002.js';

describe('noteServerBuild', () => {
  beforeEach(() => (newBuild.value = null));

  it('marks another build, clears it when the same answers again, and ignores answers without one', () => {
    noteServerBuild(null, MINE);
    expect(newBuild.value).toBeNull();
    noteServerBuild(NEXT, MINE);
    expect(newBuild.value).toBe(NEXT);
    noteServerBuild(null, MINE); // an answer that names none (a proxy's own error page)
    expect(newBuild.value).toBe(NEXT);
    noteServerBuild(MINE, MINE); // an old instance answered
    expect(newBuild.value).toBeNull();
  });

  it('takes a build this tab ran before for the past, not an upgrade (an old instance still answering)', () => {
    const ran = new Set([NEXT, MINE]); // it ran NEXT, then reloaded into MINE
    noteServerBuild(NEXT, MINE, ran);
    expect(newBuild.value).toBeNull();
    noteServerBuild('index-Later003.js', MINE, ran);
    expect(newBuild.value).toBe('index-Later003.js');
  });

  it('does nothing on a page that is not a build (development)', () => {
    noteServerBuild(NEXT, null);
    expect(newBuild.value).toBeNull();
  });
});

describe('reloadForNewBuild', () => {
  beforeEach(() => (newBuild.value = NEXT));

  it('reloads when the server serves another build, then not again within a minute unless clicked', async () => {
    const t = tab();
    let now = 1_000_000;
    const opts = { target: t.target, now: () => now, served: async () => NEXT, mine: MINE };
    expect(await reloadForNewBuild(opts)).toBe('reloaded');
    expect(t.reload).toHaveBeenCalledTimes(1);
    now += 30_000;
    expect(await reloadForNewBuild(opts)).toBe('recent');
    expect(t.reload).toHaveBeenCalledTimes(1);
    expect(await reloadForNewBuild({ ...opts, force: true })).toBe('reloaded');
    expect(t.reload).toHaveBeenCalledTimes(2);
    now += 61_000;
    expect(await reloadForNewBuild(opts)).toBe('reloaded');
    expect(t.reload).toHaveBeenCalledTimes(3);
  });

  it('waits while the server does not answer, even when clicked', async () => {
    const t = tab();
    const opts = { target: t.target, served: async () => null, mine: MINE, force: true };
    expect(await reloadForNewBuild(opts)).toBe('down');
    expect(t.reload).not.toHaveBeenCalled();
    expect(newBuild.value).toBe(NEXT);
  });

  it('does not reload when the server’s page is this build, and the notice goes', async () => {
    const t = tab();
    expect(await reloadForNewBuild({ target: t.target, served: async () => MINE, mine: MINE })).toBe('same');
    expect(t.reload).not.toHaveBeenCalled();
    expect(newBuild.value).toBeNull();
  });
});

describe('a dialog asked for as its chunk was missing', () => {
  const store = () => {
    const m = new Map<string, string>();
    return {
      getItem: (k: string) => m.get(k) ?? null,
      setItem: (k: string, v: string) => void m.set(k, v),
      removeItem: (k: string) => void m.delete(k),
    };
  };

  it('is opened again once by the page loaded afresh within the minute, and not another part', () => {
    const s = store();
    let now = 1_000_000;
    reopenAfterReload('handover', s, () => now);
    expect(takeReopen('other', s, () => now)).toBe(false);
    now += 5_000;
    expect(takeReopen('handover', s, () => now)).toBe(true);
    expect(takeReopen('handover', s, () => now)).toBe(false); // once
  });

  it('is not opened long after (a reload that did not happen), nor from a garbled record', () => {
    const s = store();
    let now = 1_000_000;
    reopenAfterReload('handover', s, () => now);
    now += 61_000;
    expect(takeReopen('handover', s, () => now)).toBe(false);
    s.setItem('reopenAfterReload', '{not json');
    expect(takeReopen('handover', s, () => now)).toBe(false);
  });
});
