import { describe, expect, it } from 'vitest';
import { groupOverlapping } from '../../../client/src/lib/team-groups';

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
