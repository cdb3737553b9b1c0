import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalogue, loadMatterCatalogue } from '../../../server/cases/catalogue';
import { loadDepartments } from '../../../server/county/departments';
import { MATTER_DOMAINS, delegatedByTownship } from '../../../shared/matters';

const PACK = path.resolve(import.meta.dirname, '../../../geo/gaoping');
const TOWNSHIPS = [
  '140581001',
  '140581002',
  '140581003',
  '140581101',
  '140581102',
  '140581103',
  '140581104',
  '140581105',
  '140581106',
  '140581107',
  '140581108',
  '140581109',
  '140581201',
  '140581202',
  '140581203',
];
const departments = loadDepartments(PACK);

describe('the Gaoping matter catalogue', () => {
  const cat = loadMatterCatalogue(PACK, departments, TOWNSHIPS);
  const byTownship = delegatedByTownship(cat.matters);
  const names = (code: string) => (byTownship.get(code) ?? []).map((m) => m.name);

  it('holds at least 60 matters across the domains of DESIGN.md §3', () => {
    expect(cat.matters.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cat.matters.map((m) => m.domain))).toEqual(new Set(MATTER_DOMAINS));
  });

  it('delegates exactly 15 matters to 东城街道, urban ones', () => {
    expect(names('140581002')).toHaveLength(15);
    for (const n of ['占道经营', '流动摊贩', '违规养犬不拴绳', '乱堆乱放', '私搭乱建', '道路违停·僵尸车'])
      expect(names('140581002')).toContain(n);
  });

  it('gives every township its own list, towns the rural matters', () => {
    const lists = TOWNSHIPS.map((t) => names(t).sort().join());
    expect(new Set(lists).size).toBe(TOWNSHIPS.length);
    for (const town of TOWNSHIPS.filter((t) => t > '140581100'))
      for (const n of ['违法占用耕地', '露天焚烧', '露天晾晒煤泥', '违法倾倒建筑垃圾'])
        expect(names(town)).toContain(n);
    expect(names('140581001')).not.toContain('违法占用耕地');
  });

  it('covers at least the nine posted departments plus 生态环境 and 住建 as owners', () => {
    const owners = new Set(cat.matters.map((m) => m.department));
    for (const d of [
      'cgj',
      'scjgj',
      'jtysj',
      'yjglj',
      'whlyj',
      'zrzyj',
      'wsjkj',
      'rsj',
      'nyncj',
      'sthjj',
      'zjj',
    ])
      expect(owners.has(d), d).toBe(true);
  });

  it('refuses a faulty catalogue with a message naming the problem', () => {
    const good = cat.matters[0]!;
    const bad = (matters: unknown[]) => () => buildCatalogue({ matters }, departments, TOWNSHIPS);
    expect(bad([{ ...good, department: 'nobody' }])).toThrow(/unknown department nobody/);
    expect(bad([{ ...good, delegatedTownships: ['140581999'] }])).toThrow(/unknown township 140581999/);
    expect(bad([good, good])).toThrow(/duplicate code/);
    expect(bad([{ ...good, legalBasis: '相关法律' }])).toThrow(/legalBasis/);
    expect(bad([{ ...good, limits: { acknowledge: 5, arrive: 1, finish: 2, rectify: 1 } }])).toThrow(
      /limits/,
    );
  });
});
