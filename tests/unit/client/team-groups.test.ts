import { describe, expect, it } from 'vitest';
import { groupOverlapping, nameInView, nameWidth, namesThatFit } from '../../../client/src/lib/team-groups';

describe('teams whose markers would overlap', () => {
  it('groups a pile into one, and leaves a team apart on its own', () => {
    const pile = Array.from({ length: 8 }, (_, i) => ({ id: `d${i}`, x: 500 + (i % 3) * 6, y: 300 + i * 2 }));
    const apart = { id: 'far', x: 700, y: 300 };
    expect(groupOverlapping([...pile, apart], 24)).toEqual([pile.map((p) => p.id).sort()]);
  });

  it('never groups markers that would not touch', () => {
    const spread = Array.from({ length: 20 }, (_, i) => ({ id: `t${i}`, x: i * 30, y: (i % 2) * 30 }));
    expect(groupOverlapping(spread, 24)).toEqual([]);
  });

  it('seeds from the most crowded marker; a chain splits, each team in one group', () => {
    // a – b – c – d – e, 20 px apart: b, c and d have two neighbours within 24 px each; b (first by
    // id) takes a and c, then d takes e.
    const chain = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ id, x: i * 20, y: 0 }));
    const groups = groupOverlapping(chain, 24);
    expect(groups.flat().sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(groups).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
  });

  it('groups the same way each time the map stands still, whatever order the teams come in', () => {
    const pts = Array.from({ length: 30 }, (_, i) => ({ id: `t${i}`, x: (i * 37) % 90, y: (i * 53) % 70 }));
    const once = groupOverlapping(pts, 24);
    expect(groupOverlapping([...pts].reverse(), 24)).toEqual(once);
  });
});

describe('team names that would print over one another', () => {
  const at = (id: string, x: number, y: number, name = '自然资源执法大队') => ({
    id,
    x,
    y,
    width: nameWidth(name, 14),
    height: 18,
  });

  it('keeps the first name of a crossing pair (the busier, the selected), and both when apart', () => {
    // Two squads side by side at the county seat: their 8-character names (112 px) would cross.
    expect(namesThatFit([at('a', 100, 100), at('b', 150, 104)])).toEqual(new Set(['a']));
    expect(namesThatFit([at('b', 150, 104), at('a', 100, 100)])).toEqual(new Set(['b']));
    // One under the other, clear of it; one beside it, clear too.
    expect(namesThatFit([at('a', 100, 100), at('b', 100, 130), at('c', 260, 100)])).toEqual(
      new Set(['a', 'b', 'c']),
    );
  });

  it('leaves out a name wholly out of view: it no longer puts away the name of a team at the edge', () => {
    // A 1000 × 600 map; a busier team's name (first) just beyond its right edge, a team's at the edge.
    const beyond = at('beyond', 1000 + 57, 300);
    const edge = at('edge', 1000 - 20, 300);
    expect(nameInView(beyond, 1000, 600)).toBe(false);
    expect(nameInView(edge, 1000, 600)).toBe(true);
    expect(namesThatFit([beyond, edge].filter((n) => nameInView(n, 1000, 600)))).toEqual(new Set(['edge']));
    // Part of a name in view counts: on each side.
    expect(nameInView(at('l', -50, 300), 1000, 600)).toBe(true);
    expect(nameInView(at('t', 500, -10), 1000, 600)).toBe(true);
    expect(nameInView(at('t2', 500, -18), 1000, 600)).toBe(false);
    expect(nameInView(at('b', 500, 599), 1000, 600)).toBe(true);
    expect(nameInView(at('b2', 500, 600), 1000, 600)).toBe(false);
  });

  it('measures a Chinese name a full em a character, Latin letters narrower', () => {
    expect(nameWidth('东城街道执法队', 14)).toBe(98);
    expect(nameWidth('Team 12', 10)).toBe(42);
  });
});
