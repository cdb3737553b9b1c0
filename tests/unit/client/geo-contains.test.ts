// 登记线索's first check of a picked point: inside the county's outline or not (holes are out).
import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { featuresContain } from '../../../client/src/lib/geo-contains';

const square = (x0: number, y0: number, s: number) => [
  [x0, y0],
  [x0 + s, y0],
  [x0 + s, y0 + s],
  [x0, y0 + s],
  [x0, y0],
];
const withHole: Feature = {
  type: 'Feature',
  properties: {},
  geometry: { type: 'Polygon', coordinates: [square(0, 0, 10), square(4, 4, 2)] },
};
const islands: Feature = {
  type: 'Feature',
  properties: {},
  geometry: { type: 'MultiPolygon', coordinates: [[square(20, 0, 1)], [square(30, 0, 1)]] },
};

describe('featuresContain', () => {
  it('finds a point inside a polygon, not in its hole or beyond it', () => {
    expect(featuresContain([withHole], [1, 1])).toBe(true);
    expect(featuresContain([withHole], [5, 5])).toBe(false);
    expect(featuresContain([withHole], [11, 5])).toBe(false);
  });

  it('looks in every part of a multipolygon and every feature', () => {
    expect(featuresContain([withHole, islands], [30.5, 0.5])).toBe(true);
    expect(featuresContain([withHole, islands], [25, 0.5])).toBe(false);
    expect(featuresContain([], [1, 1])).toBe(false);
  });
});
