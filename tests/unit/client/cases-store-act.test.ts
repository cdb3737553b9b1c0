// The operator's own action on the big screen: the case its answer returns is what the screen shows
// as soon as the action resolves (the panel's chip with the message reporting it), not with the next
// batch of live changes, a quarter second or, on a busy wall, seconds later.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { useCasesStore } from '../../../client/src/stores/cases';
import { setToken } from '../../../client/src/api/http';
import { makeCase } from './fixtures';

const resolved = makeCase({ id: 'C1', version: 6, status: 'resolved' });
const reworked = { ...resolved, version: 7, status: 'in_progress' };

beforeEach(() => {
  setActivePinia(createPinia());
  setToken('t1');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (url === '/api/cases/C1/actions' && init?.method === 'POST')
        return new Response(JSON.stringify({ case: reworked }), { status: 200 });
      // The panel's read of the selected case (its timeline): the case as it was.
      return new Response(JSON.stringify({ case: resolved }), { status: 200 });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

describe('the cases store, acting', () => {
  it("shows the case the action's answer returned as soon as the action resolves", async () => {
    const cases = useCasesStore();
    cases.upsert([resolved]);
    cases.select('C1');
    // Shown (the first change of a quiet screen goes at once); the next batch now waits its turn.
    await vi.waitFor(() => expect(cases.selected?.status).toBe('resolved'));
    const revision = cases.revision;
    await cases.act('C1', 'verify_fail', { reason: '现场仍有杂物' });
    expect(cases.selected?.status).toBe('in_progress');
    expect(cases.selected?.version).toBe(7);
    expect(cases.revision).toBe(revision + 1);
  });
});
