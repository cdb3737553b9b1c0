// The pack validator names each kind of broken pack, with the codes involved and a location.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPackDir, type Problem } from '../../../geo/build/check';
import { makeTempDir } from '../../support/temp-dir';
import { findUnit, rect, tinyPack, writePack, type TinyPack } from '../../fixtures/geo/tiny-pack';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function check(pack: TinyPack, mutate?: (dir: string) => void): Promise<Problem[]> {
  const { dir, remove } = makeTempDir('geo-check-');
  cleanups.push(remove);
  writePack(dir, pack);
  mutate?.(dir);
  return checkPackDir(dir);
}

const kinds = (ps: Problem[]) => ps.map((p) => p.kind);

describe('geo:check on a small pack', () => {
  it('accepts a valid pack', async () => {
    expect(await check(tinyPack())).toEqual([]);
  });

  it('names a gap with the parent, its neighbours and a point inside the gap', async () => {
    const pack = tinyPack();
    // Micro 01 of the first second-level grid loses its top quarter.
    findUnit(pack, '1405810010010101').geometry = rect(112_900_000, 35_790_000, 112_910_000, 35_793_750);
    const problems = await check(pack);
    const gap = problems.find((p) => p.kind === 'gap');
    expect(gap?.codes).toContain('14058100100101');
    expect(gap?.codes).toContain('1405810010010101');
    expect(gap?.at?.[1]).toBeGreaterThan(35.79375);
    expect(gap?.at?.[1]).toBeLessThan(35.795);
  });

  it('names both grids of an overlap', async () => {
    const pack = tinyPack();
    findUnit(pack, '1405810010010101').geometry = rect(112_900_000, 35_790_000, 112_910_000, 35_797_000);
    const overlap = (await check(pack)).find((p) => p.kind === 'overlap');
    expect(overlap?.codes).toEqual(['1405810010010101', '1405810010010102']);
    expect(overlap?.at?.[1]).toBeGreaterThan(35.795);
  });

  it('names an orphan whose parent does not exist', async () => {
    const pack = tinyPack();
    findUnit(pack, '1405810010010101').properties.parentCode = '14058100100109';
    const orphan = (await check(pack)).find((p) => p.kind === 'orphan');
    expect(orphan?.codes).toEqual(['1405810010010101', '14058100100109']);
    expect(orphan?.at).toBeDefined();
  });

  it('names a self-intersecting grid', async () => {
    const pack = tinyPack();
    const bowtie = findUnit(pack, '1405810020020202');
    const [[a, b, c, d]] = bowtie.geometry.coordinates as [[number, number][]];
    bowtie.geometry.coordinates = [[a!, c!, b!, d!, a!]];
    const problems = await check(pack);
    expect(kinds(problems)).toContain('self-intersection');
    expect(problems.find((p) => p.kind === 'self-intersection')?.codes).toEqual(['1405810020020202']);
  });

  it('names a wrong parent code: the code does not extend it and the grid lies outside it', async () => {
    const pack = tinyPack();
    findUnit(pack, '1405810010010101').properties.parentCode = '14058100100202';
    const problems = await check(pack);
    expect(problems.find((p) => p.kind === 'code-prefix')?.codes).toEqual([
      '1405810010010101',
      '14058100100202',
    ]);
    expect(problems.find((p) => p.kind === 'outside-parent')?.codes).toEqual([
      '1405810010010101',
      '14058100100202',
    ]);
    // Its real parent is left with a hole.
    expect(problems.find((p) => p.kind === 'gap')?.codes[0]).toBe('14058100100101');
  });

  it('names a layer file that is not GeoJSON', async () => {
    const problems = await check(tinyPack(), (dir) => {
      fs.writeFileSync(path.join(dir, 'grids-second.geojson'), 'second-level grids, see the spreadsheet');
      fs.writeFileSync(
        path.join(dir, 'grids-dedicated.geojson'),
        JSON.stringify({ type: 'Feature', features: [] }),
      );
    });
    expect(problems).toContainEqual(expect.objectContaining({ kind: 'json', file: 'grids-second.geojson' }));
    expect(problems).toContainEqual(
      expect.objectContaining({
        kind: 'json',
        file: 'grids-dedicated.geojson',
        message: 'not a GeoJSON FeatureCollection',
      }),
    );
  });

  it('names a clockwise exterior ring and an unclosed ring', async () => {
    const pack = tinyPack();
    findUnit(pack, '1405810010010101').geometry.coordinates[0]!.reverse();
    findUnit(pack, '1405810010010102').geometry.coordinates[0]!.pop();
    const problems = await check(pack);
    expect(problems.find((p) => p.kind === 'winding')?.codes).toEqual(['1405810010010101']);
    expect(problems.find((p) => p.kind === 'geometry')?.codes).toEqual(['1405810010010102']);
  });

  it('names a duplicate code', async () => {
    const pack = tinyPack();
    findUnit(pack, '1405810010010102').properties.code = '1405810010010101';
    const problems = await check(pack);
    expect(problems.find((p) => p.kind === 'duplicate-code')?.codes).toEqual(['1405810010010101']);
  });
});
