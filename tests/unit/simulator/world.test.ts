// The demo county's habits: drawn from a seed, the same every time; streets and towns report
// different things; clues fall inside their township, many at markets and schools; busy weekdays
// and office hours, quiet nights and weekends.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { planHistory } from '../../../server/demo/history';
import {
  HOUR_WEIGHTS,
  WEEKDAY_FACTORS,
  buildWorld,
  drawClue,
  insideRings,
  mulberry,
  poisson,
  shanghaiHour,
  weekdayFactor,
  weightByName,
  type MatterInfo,
} from '../../../server/demo/world';
import { shanghaiDayStart } from '../../../shared/time';

const PACK = path.resolve(import.meta.dirname, '../../../geo/gaoping');
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(PACK, f), 'utf8'));
const world = buildWorld({
  townships: read('townships.geojson') as FeatureCollection,
  first: read('grids-first.geojson') as FeatureCollection,
  dedicated: read('grids-dedicated.geojson') as FeatureCollection,
  matters: (read('matters.json') as { matters: MatterInfo[] }).matters,
});
const matterName = (code: string) => world.matters.get(code)!.name;
// A Monday noon in Shanghai, so the weekday pattern lines up the same in every run.
const END = shanghaiDayStart('2026-03-02') + 12 * 3600_000;

function top(counts: Map<string, number>, n: number): string[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k]) => k);
}

describe('the demo world model', () => {
  it('knows the 15 townships, which are streets, and their villages and hot spots', () => {
    expect(world.townships).toHaveLength(15);
    expect(world.townships.filter((t) => t.urban).map((t) => t.name)).toEqual([
      '北城街道',
      '东城街道',
      '南城街道',
    ]);
    for (const t of world.townships) {
      expect(t.villages.length).toBeGreaterThan(0);
      for (const v of t.villages) expect(insideRings(t.area, v.center)).toBe(true);
    }
    expect(world.townships.flatMap((t) => t.hotspots).some((h) => h.kind === 'market')).toBe(true);
    // Streets are busier than towns, towns than 乡.
    const w = (name: string) => world.townships.find((t) => t.name === name)!.weight;
    expect(w('东城街道')).toBeGreaterThan(w('米山镇'));
    expect(w('米山镇')).toBeGreaterThan(w('原村乡'));
  });

  it('matches matter names exactly where a shorter name hides in a longer one', () => {
    expect(weightByName({ '=乱堆乱放': 9 }, '乱堆乱放')).toBe(9);
    expect(weightByName({ '=乱堆乱放': 9 }, '秸秆乱堆乱放')).toBeUndefined();
    expect(weightByName({ 违规养犬: 7 }, '违规养犬不拴绳')).toBe(7);
    expect(weightByName({ 噪声: 1, 噪声扰民: 3 }, '社会生活噪声扰民')).toBe(3);
  });

  it('draws the same history from the same seed, and another from another', () => {
    const a = planHistory(world, { seed: 1, days: 5, perDay: 60, end: END });
    const b = planHistory(world, { seed: 1, days: 5, perDay: 60, end: END });
    const c = planHistory(world, { seed: 2, days: 5, perDay: 60, end: END });
    expect(a.length).toBeGreaterThan(100);
    expect(b).toEqual(a);
    expect(c.map((p) => p.draft.lng)).not.toEqual(a.map((p) => p.draft.lng));
    // In time order, and never in the future.
    for (let i = 1; i < a.length; i++) expect(a[i]!.at).toBeGreaterThanOrEqual(a[i - 1]!.at);
    expect(a[a.length - 1]!.at).toBeLessThan(END);
  });

  const plan = planHistory(world, { seed: 140581, days: 90, perDay: 60, end: END });

  it('reports 40–80 clues a day for a county of ~300,000, more on weekdays than at weekends', () => {
    const perDay = plan.length / 89.5;
    expect(perDay).toBeGreaterThan(40);
    expect(perDay).toBeLessThan(80);
    const byWeekday = new Array(7).fill(0) as number[];
    for (const p of plan) byWeekday[WEEKDAY_FACTORS.indexOf(weekdayFactor(p.at))]! += 1;
    const weekday = (byWeekday[0]! + byWeekday[1]! + byWeekday[2]! + byWeekday[3]! + byWeekday[4]!) / 5;
    const weekend = (byWeekday[5]! + byWeekday[6]!) / 2;
    expect(weekday).toBeGreaterThan(weekend * 1.2);
  });

  it('is busy in office hours and quiet at night', () => {
    const byHour = new Array(24).fill(0) as number[];
    for (const p of plan) byHour[shanghaiHour(p.at)]! += 1;
    const night = byHour[1]! + byHour[2]! + byHour[3]! + byHour[4]!;
    const morning = byHour[9]! + byHour[10]!;
    expect(morning).toBeGreaterThan(night * 8);
    expect(HOUR_WEIGHTS).toHaveLength(24);
  });

  it('gives streets their stalls, clutter and dogs, and towns their farmland, burning and coal slurry', () => {
    const streets = new Map<string, number>();
    const towns = new Map<string, number>();
    for (const p of plan) {
      const t = world.townships.find((x) => x.code === p.draft.townshipCode)!;
      const m = t.urban ? streets : towns;
      const name = matterName(p.draft.matterCode);
      m.set(name, (m.get(name) ?? 0) + 1);
    }
    const streetTop = top(streets, 5);
    expect(streetTop).toContain('占道经营');
    expect(streetTop).toContain('乱堆乱放');
    expect(top(streets, 8)).toContain('违规养犬不拴绳');
    const townTop = top(towns, 4);
    expect(townTop).toContain('违法占用耕地');
    expect(townTop).toContain('露天焚烧');
    expect(townTop).toContain('露天晾晒煤泥');
    // Farmland is a town matter: rare in the streets.
    expect((streets.get('违法占用耕地') ?? 0) * 5).toBeLessThan(towns.get('违法占用耕地')!);
  });

  it('puts every clue inside its township, and a good share at markets, schools and other hot spots', () => {
    let atHotspot = 0;
    for (const p of plan) {
      const t = world.townships.find((x) => x.code === p.draft.townshipCode)!;
      expect(insideRings(t.area, [p.draft.lng, p.draft.lat])).toBe(true);
      if (p.draft.hotspot) atHotspot++;
    }
    expect(atHotspot / plan.length).toBeGreaterThan(0.1);
    expect(atHotspot / plan.length).toBeLessThan(0.4);
    const market = plan.filter((p) => p.draft.hotspot && /市场/.test(hotspotName(p.draft.hotspot)));
    expect(market.length).toBeGreaterThan(0);
    const stallish = market.filter((p) =>
      /占道|摊贩|乱堆|标价|食品|垃圾|计量/.test(matterName(p.draft.matterCode)),
    );
    expect(stallish.length).toBe(market.length);
  });

  it('writes a description naming the place, and a reporter fitting the source', () => {
    const rand = mulberry(9);
    for (let i = 0; i < 200; i++) {
      const d = drawClue(world, rand, END - i * 600_000);
      expect(d.description.length).toBeGreaterThan(6);
      if (d.source === 'hotline_12345') expect(d.reporter.phone).toMatch(/^1\d{10}$/);
      if (d.source === 'grid_worker') expect(d.reporter.name).toBeTruthy();
    }
  });

  it('draws Poisson counts with the asked mean', () => {
    const rand = mulberry(3);
    for (const mean of [0.5, 5, 60]) {
      let sum = 0;
      for (let i = 0; i < 4000; i++) sum += poisson(rand, mean);
      expect(sum / 4000).toBeCloseTo(mean, mean < 1 ? 1 : 0);
    }
  });
});

function hotspotName(code: string): string {
  for (const t of world.townships) for (const h of t.hotspots) if (h.code === code) return h.name;
  return '';
}
