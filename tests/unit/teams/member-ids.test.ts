// A member added by name (`npm run teams -- member add`) takes the team's next number: after the
// highest its -mNN ids have (and, in the registry, after any number it gave before: a removed
// member's id is never given to someone else; tests/integration/teams/cli.test.ts).
import { describe, expect, it } from 'vitest';
import { highestMemberNumber, MEMBER_ID } from '../../../server/teams/registry';
import { memberId } from '../../../shared/teams';

describe("a team's member numbers", () => {
  it('reads the highest -mNN of the team, two digits or more', () => {
    expect(highestMemberNumber('T140581002', [])).toBe(0);
    expect(highestMemberNumber('T140581002', ['T140581002-m01', 'T140581002-m04', 'T140581002-m02'])).toBe(4);
    expect(highestMemberNumber('T1', ['T1-m99', 'T1-m100'])).toBe(100);
  });

  it('leaves ids of another form alone, numbers written otherwise included', () => {
    expect(
      highestMemberNumber('T1b', ['T1b-leader', 'T1b-m2x', 'T1b-m1e3', 'T1b-m0x10', 'T1b-m', 'T1b-m-3']),
    ).toBe(0);
  });

  it('writes ids the member commands take, two digits at least', () => {
    expect(memberId('T140581002', 4)).toBe('T140581002-m04');
    expect(memberId('T1', 100)).toBe('T1-m100');
    expect(MEMBER_ID.test(memberId('A'.repeat(40), 200))).toBe(true);
    expect(MEMBER_ID.test('../m01')).toBe(false);
  });
});
