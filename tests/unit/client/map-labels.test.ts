// Where the map writes a township's name: inside it, away from its edges, in its largest part.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { placeLabels, spreadLabels, type LabelBox } from '../../../client/src/lib/map-labels';

const feature = (name: string, geometry: Feature['geometry'], code = name): Feature => ({
  type: 'Feature',
  properties: { name, code },
  geometry,
});
const fc = (...features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });

describe('placeLabels', () => {
  it('puts the name of a bent township inside it, where its centroid is not', () => {
    // A U: two 1°-wide arms joined at the bottom; the centroid (≈ 1.5, 1.4) is in the gap.
    const u: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [3, 0],
          [3, 3],
          [2, 3],
          [2, 1],
          [1, 1],
          [1, 3],
          [0, 3],
          [0, 0],
        ],
      ],
    };
    const [label] = placeLabels(fc(feature('U', u)));
    expect(booleanPointInPolygon(label!.lngLat, u)).toBe(true);
    expect(booleanPointInPolygon([1.5, 1.4], u)).toBe(false);
  });

  it('uses the largest part of a township in pieces, and skips features it cannot name', () => {
    const small = [
      [
        [10, 10],
        [10.1, 10],
        [10.1, 10.1],
        [10, 10.1],
        [10, 10],
      ],
    ];
    const big = [
      [
        [0, 0],
        [2, 0],
        [2, 2],
        [0, 2],
        [0, 0],
      ],
    ];
    const labels = placeLabels(
      fc(
        feature('两块', { type: 'MultiPolygon', coordinates: [small, big] }, '140581999'),
        feature('', { type: 'Polygon', coordinates: big }),
        feature('点', { type: 'Point', coordinates: [1, 1] }),
      ),
    );
    expect(labels).toHaveLength(1);
    expect(labels[0]!.code).toBe('140581999');
    expect(labels[0]!.name).toBe('两块');
    expect(labels[0]!.lngLat[0]).toBeCloseTo(1, 2);
    expect(labels[0]!.lngLat[1]).toBeCloseTo(1, 2);
  });

  it("names each of the county pack's townships at a point inside it", () => {
    const file = path.resolve(import.meta.dirname, '../../../geo/gaoping/townships.geojson');
    const townships = JSON.parse(fs.readFileSync(file, 'utf8')) as FeatureCollection<Polygon>;
    const labels = placeLabels(townships);
    expect(labels).toHaveLength(townships.features.length);
    for (const l of labels) {
      const f = townships.features.find((t) => t.properties?.code === l.code)!;
      expect(booleanPointInPolygon(l.lngLat, f), l.name).toBe(true);
    }
  });
});

describe('spreadLabels', () => {
  const overlaps = (a: LabelBox & { dy: number }, b: LabelBox & { dy: number }) =>
    Math.abs(a.x - b.x) < (a.width + b.width) / 2 &&
    Math.abs(a.y + a.dy - (b.y + b.dy)) < (a.height + b.height) / 2;

  it('leaves names that do not touch where they are', () => {
    expect(
      spreadLabels([
        { x: 100, y: 100, width: 60, height: 16 },
        { x: 200, y: 100, width: 60, height: 16 },
      ]),
    ).toEqual([0, 0]);
  });

  it('moves a later name off an earlier one, the nearest way first, and never onto a third', () => {
    // 北城街道 and, 45 px to its left, 石末乡: side by side they overlap.
    const boxes: LabelBox[] = [
      { x: 440, y: 535, width: 60, height: 17 },
      { x: 393, y: 535, width: 45, height: 17 },
      // A third name just above 石末乡's first way out.
      { x: 393, y: 516, width: 45, height: 17 },
    ];
    const dy = spreadLabels(boxes);
    expect(dy[0]).toBe(0); // the 街道 keeps its place
    expect(dy[1]).toBe(-19); // up one line (17 + 2)
    expect(dy[2]).not.toBe(0);
    const placed = boxes.map((b, i) => ({ ...b, dy: dy[i]! }));
    for (let i = 0; i < placed.length; i++)
      for (let j = i + 1; j < placed.length; j++)
        expect(overlaps(placed[i]!, placed[j]!), `${i} ${j}`).toBe(false);
  });

  it('keeps a name in place when nothing near is clear', () => {
    const crowd = [-2, -1, 0, 1, 2].map((k) => ({ x: 0, y: k * 19, width: 40, height: 17 }));
    expect(spreadLabels([...crowd, { x: 0, y: 0, width: 40, height: 17 }]).at(-1)).toBe(0);
  });
});
