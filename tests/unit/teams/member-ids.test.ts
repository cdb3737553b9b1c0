// A member added by name (`npm run teams -- member add`) takes the team's next -mNN: after the
// highest it has, not after the count (a member removed leaves a gap, which is not filled).
import { describe, expect, it } from 'vitest';
import { MEMBER_ID, nextMemberId } from '../../../server/teams/registry';

describe('the next member id', () => {
  it('follows the highest -mNN of the team', () => {
    expect(nextMemberId('T140581002', [])).toBe('T140581002-m01');
    expect(nextMemberId('T140581002', ['T140581002-m01', 'T140581002-m02'])).toBe('T140581002-m03');
    expect(nextMemberId('T140581002', ['T140581002-m01', 'T140581002-m04'])).toBe('T140581002-m05');
    expect(nextMemberId('T1', ['T1-m99'])).toBe('T1-m100');
  });

  it("leaves other ids and another team's alone", () => {
    // T1-m… of team T1 is not T1b's; a hand-made id is not counted.
    expect(nextMemberId('T1b', ['T1-m07', 'T1b-leader', 'T1b-m2x'])).toBe('T1b-m01');
  });

  it('gives ids the member commands take', () => {
    expect(MEMBER_ID.test(nextMemberId('A'.repeat(40), []))).toBe(true);
    expect(MEMBER_ID.test('../m01')).toBe(false);
  });
});
