// The big screen lets go of the cases nothing shows any more, so a wall left on for days holds
// what the county is working on, not everything it has seen since it was switched on.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { staleCaseIds } from '../../../client/src/lib/case-retention';
import { useCasesStore } from '../../../client/src/stores/cases';
import { countScreenKpis } from '../../../client/src/lib/kpi';
import { DAY_MS, startOfShanghaiDay } from '../../../shared/time';
import { makeCase } from './fixtures';

const NOW = Date.UTC(2026, 11, 3, 6, 0); // 14:00 in Shanghai
const TODAY = startOfShanghaiDay(NOW);
const OLD = NOW - 40 * DAY_MS;

const byIdOf = (...cs: ReturnType<typeof makeCase>[]) => new Map(cs.map((c) => [c.id, c]));

describe('staleCaseIds', () => {
  it('lets go of a case closed long ago and keeps what the screen still counts or shows', () => {
    const cases = byIdOf(
      makeCase({
        id: 'old-closed',
        status: 'closed',
        createdAt: OLD,
        updatedAt: OLD + DAY_MS,
        closedAt: OLD + DAY_MS,
      }),
      makeCase({ id: 'old-rejected', status: 'rejected', createdAt: OLD, updatedAt: OLD }),
      // Open, however old: on the map and in the queue.
      makeCase({ id: 'old-open', status: 'dispatched', createdAt: OLD, updatedAt: OLD }),
      // Reported inside the 30 days the charts count.
      makeCase({
        id: 'recent-closed',
        status: 'closed',
        createdAt: NOW - 29 * DAY_MS,
        updatedAt: NOW - 28 * DAY_MS,
      }),
      // Old, but closed today: 今日结案 counts it.
      makeCase({
        id: 'closed-today',
        status: 'closed',
        createdAt: OLD,
        updatedAt: TODAY + 60_000,
        closedAt: TODAY + 60_000,
      }),
      // Old and closed, but named in the feed or open in the panel.
      makeCase({ id: 'in-feed', status: 'closed', createdAt: OLD, updatedAt: OLD }),
      makeCase({ id: 'selected', status: 'closed', createdAt: OLD, updatedAt: OLD }),
    );
    expect(staleCaseIds(cases, NOW, new Set(['in-feed', 'selected'])).sort()).toEqual([
      'old-closed',
      'old-rejected',
    ]);
  });

  it('changes no counter on the screen', () => {
    const cases = byIdOf(
      makeCase({ id: 'a', status: 'closed', createdAt: OLD, updatedAt: OLD, closedAt: OLD }),
      makeCase({ id: 'b', status: 'closed', createdAt: OLD, updatedAt: TODAY + 1, closedAt: TODAY + 1 }),
      makeCase({ id: 'c', status: 'reported', createdAt: TODAY + 2, updatedAt: TODAY + 2 }),
    );
    const before = countScreenKpis(cases.values(), NOW);
    for (const id of staleCaseIds(cases, NOW, new Set())) cases.delete(id);
    expect(cases.has('a')).toBe(false);
    expect(countScreenKpis(cases.values(), NOW)).toEqual(before);
    expect(before.closedToday).toBe(1);
  });
});

describe('the cases store prunes', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('drops stale cases, keeps the selected one, and tells its listeners which ids went', async () => {
    const store = useCasesStore();
    const batches: string[][] = [];
    let heard: (ids: string[]) => void = () => {};
    store.subscribe((ids) => {
      batches.push(ids);
      heard(ids);
    });
    const next = () => new Promise<string[]>((resolve) => (heard = resolve));
    const loaded = next();
    store.upsert([
      makeCase({ id: 'stale', status: 'closed', createdAt: OLD, updatedAt: OLD, version: 3 }),
      makeCase({ id: 'picked', status: 'closed', createdAt: OLD, updatedAt: OLD }),
      makeCase({ id: 'open', status: 'reported', createdAt: OLD, updatedAt: OLD }),
    ]);
    await loaded;
    store.selectedId = 'picked';
    const revision = store.revision;
    const pruned = next();

    expect(store.prune(NOW)).toEqual(['stale']);
    expect([...store.byId.keys()].sort()).toEqual(['open', 'picked']);
    expect(await pruned).toEqual(['stale']);
    expect(batches).toHaveLength(2);
    expect(store.revision).toBeGreaterThan(revision);

    // A later event about the case brings it back.
    store.upsert([makeCase({ id: 'stale', status: 'closed', createdAt: OLD, updatedAt: NOW, version: 4 })]);
    expect(store.byId.get('stale')?.version).toBe(4);
  });
});
