import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../../shared/cases';
import { departureAfterReload, departureOf } from '../../../client/src/lib/desk/departure';

const DONGCHENG = { kind: 'township' as const, code: '140581002' };
type Left = Pick<CaseView, 'id' | 'no' | 'matterName' | 'status' | 'assignee'>;
const left = (over: Partial<Left>): Left => ({
  id: 'c1',
  no: '20261206-0049',
  matterName: '露天焚烧',
  status: 'dispatched',
  assignee: { ...DONGCHENG, name: '东城街道' },
  ...over,
});

describe('departureOf: what the desk says of the open task that left it', () => {
  it('a return (退回), by this desk or a colleague: back with the command centre, no unit named', () => {
    expect(departureOf(left({ status: 'returned', assignee: null }), DONGCHENG)).toEqual({
      id: 'c1',
      no: '20261206-0049',
      matterName: '露天焚烧',
      kind: 'returned',
      to: null,
    });
  });

  it('a reassign (改派) by the command centre: names the unit it went to', () => {
    const d = departureOf(
      left({ assignee: { kind: 'department', code: 'zrzyj', name: '县自然资源局' } }),
      DONGCHENG,
    );
    expect(d).toMatchObject({ kind: 'reassigned', to: '县自然资源局' });
  });

  it("anything else (still ours on paper, or nobody's): no longer this unit's, without a guess", () => {
    expect(departureOf(left({ status: 'rejected' }), DONGCHENG)).toMatchObject({ kind: 'gone', to: null });
    expect(departureOf(left({ status: 'rejected', assignee: null }), DONGCHENG)).toMatchObject({
      kind: 'gone',
    });
  });

  it('a case before numbers is named by its id', () => {
    expect(departureOf(left({ no: '', status: 'returned' }), DONGCHENG).no).toBe('c1');
  });
});

describe('departureAfterReload: the open task missing from a whole-desk reload', () => {
  const held = left({});
  const elsewhere = { kind: 'township' as const, code: '140581101', name: '寺庄镇' };

  it('reassigned while the desk was not listening, and still readable: names the unit it went to', () => {
    expect(departureAfterReload(held, left({ assignee: elsewhere }), DONGCHENG, true)).toMatchObject({
      kind: 'reassigned',
      to: '寺庄镇',
      no: '20261206-0049',
    });
  });

  it('returned by a colleague meanwhile: back with the command centre', () => {
    const now = left({ status: 'returned', assignee: null });
    expect(departureAfterReload(held, now, DONGCHENG, true)).toMatchObject({ kind: 'returned' });
  });

  it('no longer readable (404/403): says the unit cannot see it, named by the copy it held', () => {
    expect(departureAfterReload(held, 'unreadable', DONGCHENG, true)).toEqual({
      id: 'c1',
      no: '20261206-0049',
      matterName: '露天焚烧',
      kind: 'outOfScope',
      to: null,
    });
  });

  it('the fetch failed: a task that was on the desk has left it all the same (the lists say so), without a guess why', () => {
    expect(departureAfterReload(held, 'failed', DONGCHENG, true)).toMatchObject({ kind: 'gone' });
  });

  it('a case the search found, not on the lists, still assigned to the unit: stays open; assigned away, it closes', () => {
    const closedLongAgo = left({ status: 'closed' });
    expect(departureAfterReload(held, closedLongAgo, DONGCHENG, false)).toBeNull();
    expect(departureAfterReload(held, 'failed', DONGCHENG, false)).toBeNull();
    expect(departureAfterReload(held, left({ assignee: elsewhere }), DONGCHENG, false)).toMatchObject({
      kind: 'reassigned',
    });
  });

  it('nothing held to name it by and not readable: left as it is (the detail says it cannot be opened)', () => {
    expect(departureAfterReload(undefined, 'unreadable', DONGCHENG, false)).toBeNull();
  });
});
