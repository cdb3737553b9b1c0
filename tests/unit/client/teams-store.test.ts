// Teams on the screen: a team retired on the server leaves the list and the map at once (the
// `teams:changed` event, or the next load), and its name still stands in the records naming it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { useTeamsStore } from '../../../client/src/stores/teams';
import { setToken } from '../../../client/src/api/http';
import type { RetiredTeam, Team } from '../../../shared/teams';

const team = (id: string, name: string): Team => ({
  id,
  name,
  kind: 'township',
  owner: { kind: 'township', code: '140581002', name: '东城街道' },
  members: [],
  deviceIds: [],
  position: { lng: 112.9, lat: 35.8, at: 1000, speed: null, bearing: null },
  status: 'offline',
  task: null,
});
const retiredOf = (t: Team): RetiredTeam => ({
  id: t.id,
  name: t.name,
  kind: t.kind,
  owner: t.owner,
  retiredAt: 2000,
});

/** What the server answers now: the teams in service and the retired ones. */
let serving: Team[] = [];
let retired: RetiredTeam[] = [];
const asked: string[] = [];

beforeEach(() => {
  setActivePinia(createPinia());
  setToken('t1');
  asked.length = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      asked.push(url);
      const teams = url === '/api/teams?retired=true' ? retired : serving;
      return new Response(JSON.stringify({ teams }), { status: 200 });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

describe('the teams store', () => {
  const a = team('T1', '东城街道综合行政执法队');
  const b = team('T2', '东城二队');

  it('takes a retired team off the list and the map at once, and keeps its name', async () => {
    serving = [a, b];
    retired = [];
    const store = useTeamsStore();
    await store.load();
    const heard: Array<{ changed: string[]; removed: string[] }> = [];
    store.subscribe((changed, removed) => heard.push({ changed: changed.map((t) => t.id), removed }));

    store.applyChange({ retired: ['T2', 'T9'], restored: [] }); // T9: not one of ours
    expect(store.list.map((t) => t.id)).toEqual(['T1']);
    expect(heard).toEqual([{ changed: [], removed: ['T2'] }]);
    expect(store.nameOf('T2')).toBe('东城二队');
    expect(store.nameOf('T9')).toBeUndefined();
    // A late fix of the retired team brings no marker back.
    store.applyPositions([{ teamId: 'T2', position: { ...b.position!, at: 5000 }, status: 'idle' }]);
    expect(store.list.map((t) => t.id)).toEqual(['T1']);
    expect(heard).toHaveLength(1);
    // Anything unreadable is nothing.
    store.applyChange(null);
    store.applyChange({ retired: 'T1' });
    expect(store.list.map((t) => t.id)).toEqual(['T1']);
    expect(asked).toHaveLength(2); // the first load's two requests only
  });

  it('reads the teams again when one is put back, and drops one gone at a load', async () => {
    serving = [a];
    retired = [retiredOf(b)];
    const store = useTeamsStore();
    await store.load();
    expect(store.nameOf('T2')).toBe('东城二队'); // retired before the page opened
    const removed: string[][] = [];
    store.subscribe((_, r) => removed.push(r));

    serving = [a, b];
    retired = [];
    store.applyChange({ retired: [], restored: ['T2'] });
    await vi.waitFor(() => expect(store.list.map((t) => t.id)).toEqual(['T1', 'T2']));
    expect(store.retired.size).toBe(0);

    // Retired while the socket was down: the load after the reconnection takes its marker off.
    serving = [b];
    retired = [retiredOf(a)];
    await store.load();
    expect(store.list.map((t) => t.id)).toEqual(['T2']);
    expect(removed.at(-1)).toEqual(['T1']);
    expect(store.nameOf('T1')).toBe('东城街道综合行政执法队');
  });

  it('takes a team sent, arrived or done from team:tasks, and nothing unreadable', async () => {
    serving = [a, b];
    retired = [];
    const store = useTeamsStore();
    await store.load();
    const heard: string[][] = [];
    store.subscribe((changed) => heard.push(changed.map((t) => t.id)));
    const task = {
      caseId: 'c1',
      caseNo: '20261122-0001',
      matterName: '占道经营',
      stage: 'on_site',
      since: 3000,
      startedAt: 2000,
    };
    store.applyTasks([
      { teamId: 'T1', task, status: 'on_site' },
      { teamId: 'T2', task: { ...task, stage: 'sleeping' }, status: 'on_site' }, // no such stage
      { teamId: 'T2', task: null, status: 'resting' }, // no such status
      { teamId: 'T9', task: null, status: 'idle' }, // not one of ours
    ]);
    expect(store.byId.get('T1')).toMatchObject({ status: 'on_site', task });
    expect(store.byId.get('T2')!.task).toBeNull();
    expect(heard).toEqual([['T1']]);
    store.applyTasks([{ teamId: 'T1', task: null, status: 'idle' }]);
    expect(store.byId.get('T1')).toMatchObject({ status: 'idle', task: null });
    store.applyTasks('nonsense');
    expect(heard).toHaveLength(2);
  });

  it('takes a team added, renamed or removed on the server without a reload', async () => {
    serving = [a];
    retired = [];
    const store = useTeamsStore();
    await store.load();
    const heard: Array<{ changed: Array<[string, string]>; removed: string[] }> = [];
    store.subscribe((changed, removed) =>
      heard.push({ changed: changed.map((t) => [t.id, t.name]), removed }),
    );
    const fresh: Team = { ...team('T3', '东城三队'), position: null, members: [] };

    store.applyChange({ retired: [], restored: [], added: [fresh], updated: [], removed: [] });
    expect(store.list.map((t) => t.id)).toEqual(['T1', 'T3']);
    expect(store.nameOf('T3')).toBe('东城三队');
    expect(heard).toEqual([{ changed: [['T3', '东城三队']], removed: [] }]);

    // Its first fix comes in; then a rename, whose view (read before the fix) keeps the newer position.
    store.applyPositions([{ teamId: 'T3', position: { ...a.position!, at: 9000 }, status: 'idle' }]);
    store.applyChange({ updated: [{ ...fresh, name: '东城执法三队' }] });
    expect(store.byId.get('T3')).toMatchObject({
      name: '东城执法三队',
      position: { at: 9000 },
      status: 'idle',
    });
    expect(heard.at(-1)).toEqual({ changed: [['T3', '东城执法三队']], removed: [] });

    store.applyChange({ removed: ['T3', 'T9'] });
    expect(store.list.map((t) => t.id)).toEqual(['T1']);
    expect(heard.at(-1)).toEqual({ changed: [], removed: ['T3'] });
    expect(store.nameOf('T3')).toBeUndefined(); // removed, not retired: no record names it

    // A team whose view is not readable is left out, the rest of the change taken.
    store.applyChange({ added: [{ id: 'T4' }, { ...fresh, id: 'T5', owner: null }, { ...fresh, id: 'T6' }] });
    expect(store.list.map((t) => t.id)).toEqual(['T1', 'T6']);
    expect(asked).toHaveLength(2); // the first load only: nothing was read again
  });

  it('listens on a socket, and reads the teams again on every greeting after the first', async () => {
    serving = [a, b];
    retired = [];
    const store = useTeamsStore();
    await store.load();
    const handlers = new Map<string, (payload?: unknown) => void>();
    const socket = { on: (event: string, fn: (payload?: unknown) => void) => handlers.set(event, fn) };
    store.listen(socket as unknown as Parameters<typeof store.listen>[0]);
    expect([...handlers.keys()].sort()).toEqual(['hello', 'team:positions', 'team:tasks', 'teams:changed']);

    handlers.get('hello')!(); // the first connection: the page has just loaded them
    expect(asked).toHaveLength(2);
    handlers.get('team:positions')!([
      { teamId: 'T1', position: { ...a.position!, at: 5000 }, status: 'idle' },
    ]);
    expect(store.byId.get('T1')).toMatchObject({ status: 'idle', position: { at: 5000 } });
    handlers.get('teams:changed')!({ retired: ['T2'] });
    expect(store.list.map((t) => t.id)).toEqual(['T1']);

    // Back after an outage, during which T2 was put back: read again.
    handlers.get('hello')!();
    await vi.waitFor(() => expect(store.list.map((t) => t.id)).toEqual(['T1', 'T2']));
    expect(asked).toHaveLength(4);
  });
});
