// The committed 高平市 pack: valid, the seed article's figures for 东城街道, real names, and a
// generator that gives the same pack every time.
import fs from 'node:fs';
import path from 'node:path';
import type { FeatureCollection, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { GEO_LAYERS, LAYER_FILES, type GeoLayer, type UnitProperties } from '../../../shared/geo';
import { checkLayerTexts, checkPackDir } from '../../../geo/build/check';
import { generatePack, serializeLayer, type CountySource } from '../../../geo/build/generate';

const PACK = path.resolve(import.meta.dirname, '../../../geo/gaoping');
const texts = Object.fromEntries(
  GEO_LAYERS.map((l) => [l, fs.readFileSync(path.join(PACK, LAYER_FILES[l]), 'utf8')]),
) as Record<GeoLayer, string>;
const layers = Object.fromEntries(GEO_LAYERS.map((l) => [l, JSON.parse(texts[l])])) as Record<
  GeoLayer,
  FeatureCollection<Polygon, UnitProperties>
>;
const inTownship = (layer: GeoLayer, code: string) =>
  layers[layer].features.filter((f) => f.properties.townshipCode === code).length;

describe('the 高平市 pack', () => {
  it('passes geo:check', async () => {
    expect(await checkPackDir(PACK)).toEqual([]);
  }, 60_000);

  it('has the 15 real townships and 338 villages/communities as first-level grids', () => {
    expect(layers.county.features[0]!.properties).toMatchObject({ code: '140581', name: '高平市' });
    // prettier-ignore
    expect(layers.townships.features.map((f) => f.properties.name)).toEqual([
      '北城街道', '东城街道', '南城街道', '米山镇', '三甲镇', '神农镇', '陈区镇', '北诗镇',
      '河西镇', '马村镇', '野川镇', '寺庄镇', '建宁乡', '石末乡', '原村乡',
    ]);
    expect(layers.first.features).toHaveLength(338);
    const dongchengVillages = layers.first.features.filter((f) => f.properties.parentCode === '140581002');
    expect(dongchengVillages.map((f) => f.properties.name)).toContain('南李村');
    expect(dongchengVillages.map((f) => f.properties.name)).toContain('城东社区');
  });

  it('gives 东城街道 exactly 15 first-level, 46 second-level, 447 micro and 15 dedicated grids', () => {
    expect([
      inTownship('first', '140581002'),
      inTownship('second', '140581002'),
      inTownship('micro', '140581002'),
      inTownship('dedicated', '140581002'),
    ]).toEqual([15, 46, 447, 15]);
  });

  it('has about 10,000 micro-grids, a worker for every grid, and stays under 15 MB', () => {
    expect(layers.micro.features.length).toBeGreaterThan(9_500);
    expect(layers.micro.features.length).toBeLessThan(10_500);
    for (const layer of ['first', 'second', 'micro', 'dedicated'] as const)
      for (const f of layers[layer].features) expect(f.properties.staff).toMatch(/^[\u4e00-\u9fa5]{2,3}$/);
    const bytes = GEO_LAYERS.reduce((n, l) => n + Buffer.byteLength(texts[l]), 0);
    expect(bytes).toBeLessThan(15 * 1024 * 1024);
  });
});

describe('the generator', () => {
  // A small stand-in county around the city centre: the same code paths, a fraction of the work.
  const source: CountySource = {
    code: '140581',
    name: '高平市',
    parentCode: '140500',
    outline: [
      [112.76, 35.68],
      [113.08, 35.69],
      [113.06, 35.93],
      [112.78, 35.92],
      [112.76, 35.68],
    ],
    townships: [
      { code: '140581001', name: '北城街道' },
      { code: '140581101', name: '米山镇' },
    ],
    villages: [
      { code: '140581001001', name: '城西社区居委会', townshipCode: '140581001' },
      { code: '140581001201', name: '北关村委会', townshipCode: '140581001' },
      { code: '140581101201', name: '米山村委会', townshipCode: '140581101' },
      { code: '140581101202', name: '河东村委会', townshipCode: '140581101' },
    ],
  };

  it('is deterministic and its output passes geo:check', () => {
    const a = generatePack(source);
    const b = generatePack(source);
    const serialized = (p: typeof a) => GEO_LAYERS.map((l) => serializeLayer(p[l]));
    expect(serialized(a)).toEqual(serialized(b));
    expect(a.first.features.map((f) => f.properties.name)).toEqual([
      '城西社区',
      '北关村',
      '米山村',
      '河东村',
    ]);
    expect(a.dedicated.features.map((f) => f.properties.name)).toContain('北城农贸市场专属网格');
    const problems = checkLayerTexts(Object.fromEntries(GEO_LAYERS.map((l) => [l, serializeLayer(a[l])])));
    expect(problems).toEqual([]);
  }, 60_000);
});
