// 交接班 on the screen: the header's 待接班 follows the newest handover, whatever order the answers
// and the live events arrive in; a late answer never makes a taken handover "waiting" again.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { useHandoverStore } from '../../../client/src/stores/handover';
import type { Handover, ShiftSummary } from '../../../shared/handovers';

const summary = {} as ShiftSummary;
const made = (id: string, at: number): Handover => ({
  id,
  at,
  by: { id: 'u1', name: '张坐席' },
  summary,
  note: '',
  taken: null,
});
const taken = (h: Handover, at: number): Handover => ({
  ...h,
  taken: { at, by: { id: 'u2', name: '李坐席' } },
});

/** The page's session storage (the auth store reads its token there), as the browser has it. */
function pageStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

describe('the handover store', () => {
  beforeEach(() => {
    globalThis.sessionStorage ??= pageStorage();
    globalThis.localStorage ??= pageStorage();
    setActivePinia(createPinia());
  });

  it('says a handover waits until it is taken, and not after', () => {
    const store = useHandoverStore();
    expect(store.waiting).toBeNull();
    const h = made('a', 1000);
    store.receive(h);
    expect(store.waiting?.id).toBe('a');
    store.receive(taken(h, 2000));
    expect(store.waiting).toBeNull();
    expect(store.latest?.taken?.by.name).toBe('李坐席');
  });

  it('keeps the taken record when the untaken one arrives late (the answer to 交班 after the 接班 event)', () => {
    const store = useHandoverStore();
    const h = made('a', 1000);
    store.receive(taken(h, 2000));
    store.receive(h);
    expect(store.latest?.taken).not.toBeNull();
    expect(store.waiting).toBeNull();
  });

  it('follows the newest handover, and an older one arriving late does not replace it', () => {
    const store = useHandoverStore();
    store.receive(made('b', 5000));
    store.receive(taken(made('a', 1000), 1500));
    expect(store.latest?.id).toBe('b');
    expect(store.waiting?.id).toBe('b');
    store.receive(made('c', 6000));
    expect(store.waiting?.id).toBe('c');
    store.receive(null);
    expect(store.latest?.id).toBe('c');
  });
});
