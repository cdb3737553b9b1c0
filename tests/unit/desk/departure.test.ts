import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../../shared/cases';
import { departureOf } from '../../../client/src/lib/desk/departure';

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
