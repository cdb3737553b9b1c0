// Whom a team's card names first and offers to call (client/src/lib/team-contacts.ts).
import { describe, expect, it } from 'vitest';
import {
  composition,
  contacts,
  leadFirst,
  leadRank,
  spacedPhone,
} from '../../../client/src/lib/team-contacts';
import type { TeamMember } from '../../../shared/teams';

const member = (n: number, name: string, role: string, phone: string | null = null): TeamMember => ({
  id: `T1-m${String(n).padStart(2, '0')}`,
  name,
  role,
  source: 'own',
  departmentCode: null,
  phone,
});

describe("a team's card", () => {
  it('ranks leaders, then deputies and instructors, then the rest', () => {
    expect(['队长', '大队长', '中队长'].map(leadRank)).toEqual([0, 0, 0]);
    expect(['副队长', '副大队长', '指导员', '教导员'].map(leadRank)).toEqual([1, 1, 1, 1]);
    expect(['执法队员', '协管员', '派驻执法人员（市场监管）', '队长助理'].map(leadRank)).toEqual([
      2, 2, 2, 2,
    ]);
  });

  it('names the leaders first, each rank in number order', () => {
    // Named by `member set` in any order: the placeholders were numbered first.
    const team = [
      member(1, '队员01', '执法队员'),
      member(2, '李明', '副队长'),
      member(3, '队员03', '执法队员'),
      member(4, '王建国', '队长'),
      member(5, '赵六', '指导员'),
    ];
    expect(leadFirst(team).map((m) => m.name)).toEqual(['王建国', '李明', '赵六', '队员01', '队员03']);
    expect(team[0]!.name).toBe('队员01'); // the team's own list is left as it was
  });

  it('offers to call the first two with a phone, leaders first', () => {
    const team = [
      member(1, '张三', '执法队员', '13512345678'),
      member(2, '李明', '副队长'),
      member(3, '王建国', '队长', '13912345678'),
      member(4, '赵六', '执法队员', '0350-2345678'),
    ];
    expect(contacts(team).map((m) => m.name)).toEqual(['王建国', '张三']);
    expect(contacts(team, 3).map((m) => m.name)).toEqual(['王建国', '张三', '赵六']);
    expect(contacts([member(1, '队员01', '执法队员')])).toEqual([]);
  });

  it('spaces a mobile for reading across the room, a landline as stored', () => {
    expect(spacedPhone('13912345678')).toBe('139 1234 5678');
    expect(spacedPhone('0350-2345678')).toBe('0350-2345678');
  });

  it('counts the "7+9+N" shape in its order, leaving out the kinds it has none of', () => {
    const of = (source: TeamMember['source'], n: number) =>
      Array.from({ length: n }, (_, i) => ({ ...member(i + 1, `${source}${i}`, '执法队员'), source }));
    expect(composition([...of('helper', 3), ...of('own', 7), ...of('posted', 9)])).toEqual([
      { source: 'own', n: 7 },
      { source: 'posted', n: 9 },
      { source: 'helper', n: 3 },
    ]);
    expect(composition([...of('own', 4), ...of('helper', 1)])).toEqual([
      { source: 'own', n: 4 },
      { source: 'helper', n: 1 },
    ]);
    expect(composition([])).toEqual([]);
  });
});
