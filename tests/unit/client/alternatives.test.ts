// The dispatch panel's likely alternatives to the suggestion and its full list of units.
import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import {
  likelyAlternatives,
  metersToBoundary,
  sortParties,
} from '../../../client/src/lib/screen/alternatives';

/** A square township of `side` degrees with its south-west corner at (x, y). */
const square = (code: string, name: string, x: number, y: number, side = 0.1): Feature => ({
  type: 'Feature',
  properties: { code, name },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [x, y],
        [x + side, y],
        [x + side, y + side],
        [x, y + side],
        [x, y],
      ],
    ],
  },
});
// Three in a row, west to east, and one far to the north.
const townships = [
  square('140581001', '北城街道', 112.8, 35.7),
  square('140581002', '东城街道', 112.9, 35.7),
  square('140581003', '南城街道', 113.0, 35.7),
  square('140581101', '米山镇', 112.9, 36.5),
];
const dongcheng = { kind: 'township' as const, code: '140581002', name: '东城街道' };
const cgj = { kind: 'department' as const, code: 'cgj', name: '高平市城市管理局' };

describe('metersToBoundary', () => {
  it('measures to the nearest edge, from inside or out, in metres on the ground', () => {
    const g = townships[1]!.geometry as never;
    // 0.01° of longitude inside the west edge at 35.75° N: some 903 m.
    expect(metersToBoundary([112.91, 35.75], g)).toBeCloseTo(903, -1);
    // 0.01° of latitude south of it, outside: some 1,113 m.
    expect(metersToBoundary([112.95, 35.69], g)).toBeCloseTo(1113, -1);
  });
});

describe('likelyAlternatives', () => {
  it("offers a township's case to the matter's department and the two townships whose boundary is nearest", () => {
    // In 东城街道, near its west edge: 北城街道 first, then 南城街道; 米山镇 is far.
    const alts = likelyAlternatives({
      at: [112.905, 35.75],
      townships,
      location: dongcheng,
      department: cgj,
      exclude: [dongcheng],
    });
    expect(alts.map((a) => [a.party.name, a.why])).toEqual([
      ['高平市城市管理局', 'department'],
      ['北城街道', 'nearby'],
      ['南城街道', 'nearby'],
    ]);
    expect(alts[1]!.meters).toBeCloseTo(451, -1);
  });
  it("offers a department's case to the case's own township first, and never the excluded ones", () => {
    const alts = likelyAlternatives({
      at: [112.995, 35.75],
      townships,
      location: dongcheng,
      department: cgj,
      // The department has it; 南城街道 sent it back.
      exclude: [cgj, { kind: 'township', code: '140581003' }],
    });
    expect(alts.map((a) => a.party.name)).toEqual(['东城街道', '北城街道', '米山镇']);
  });
});

describe('sortParties', () => {
  it('lists the townships by code, then the departments by name in Chinese order', () => {
    const sorted = sortParties([
      cgj,
      { kind: 'township', code: '140581101', name: '米山镇' },
      { kind: 'department', code: 'zrzyj', name: '高平市自然资源局' },
      dongcheng,
      { kind: 'department', code: 'sthjj', name: '晋城市生态环境局高平分局' },
    ]);
    expect(sorted.townships.map((p) => p.name)).toEqual(['东城街道', '米山镇']);
    expect(sorted.departments.map((p) => p.name)).toEqual([
      '高平市城市管理局',
      '高平市自然资源局',
      '晋城市生态环境局高平分局',
    ]);
  });
});
