// Simulated teams: out to the task through a village, on site until released, back to the seat;
// idle township teams ride patrol rounds inside their township.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { Fleet, MAX_QUEUED_TASKS, seatOf } from '../../../server/simulator/fleet';
import { distanceMeters, type LngLat } from '../../../server/simulator/movement';
import { buildWorld, insideRings, mulberry, type MatterInfo } from '../../../server/demo/world';

const PACK = path.resolve(import.meta.dirname, '../../../geo/gaoping');
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(PACK, f), 'utf8'));
const world = buildWorld({
  townships: read('townships.geojson') as FeatureCollection,
  first: read('grids-first.geojson') as FeatureCollection,
  dedicated: read('grids-dedicated.geojson') as FeatureCollection,
  matters: (read('matters.json') as { matters: MatterInfo[] }).matters,
});
const mishan = world.townships.find((t) => t.name === '米山镇')!;
const T0 = Date.UTC(2026, 2, 2, 2);

function run(fleet: Fleet, seconds: number, from: number, until?: () => boolean) {
  const fixes = [];
  for (let s = 1; s <= seconds; s++) {
    fixes.push(...fleet.tick(1, from + s * 1000));
    if (until?.()) break;
  }
  return fixes;
}

describe('simulated teams', () => {
  it('drive to the task, stay on site, and come back to the township seat when released', () => {
    const fleet = new Fleet(mulberry(1));
    const base = seatOf(mishan);
    fleet.add(
      { teamId: 'T140581101', deviceId: 'gp-1', protocol: 'positions', township: mishan, base },
      12,
      T0,
      Infinity,
    );
    const target = mishan.villages[mishan.villages.length - 1]!.center;
    let arrived = 0;
    expect(fleet.assign('T140581101', { caseId: 'c1', target, onArrive: () => arrived++ })).toBe(true);
    const out = run(fleet, 3600, T0, () => arrived > 0);
    expect(arrived).toBe(1);
    const moving = out.filter((f) => f.moving);
    expect(moving.length).toBeGreaterThan(10);
    // Speeds of a car, headings that change along the route, every fix inside the county's township.
    for (const f of moving) {
      expect(f.fix.speed).toBe(12);
      expect(
        insideRings(mishan.area, [f.fix.lng, f.fix.lat]) ||
          distanceMeters([f.fix.lng, f.fix.lat], target) < 50,
      ).toBe(true);
    }
    expect(fleet.onSiteAt('T140581101', 'c1')).toBe(true);
    // On site: standing still until released.
    const still = run(fleet, 30, T0 + 3600_000);
    expect(still.every((f) => !f.moving && f.fix.speed === 0)).toBe(true);
    fleet.release('T140581101', 'c1', T0 + 3700_000);
    const back = run(fleet, 3600, T0 + 3700_000, () => !fleet.vehicles[0]!.route.length);
    expect(back.some((f) => f.moving)).toBe(true);
    const at: LngLat = fleet.vehicles[0]!.mover.position;
    expect(distanceMeters(at, base)).toBeLessThan(1);
  });

  it('a team the server has on site when the simulator starts stands at that site, patrol time or not, until released', () => {
    const fleet = new Fleet(mulberry(3));
    const base = seatOf(mishan);
    // Due for a patrol at once: a team without work would ride out now.
    fleet.add({ teamId: 'T', deviceId: 'd', protocol: 'positions', township: mishan, base }, 12, T0, T0);
    const site = mishan.villages[mishan.villages.length - 1]!.center;
    let arrived = 0;
    expect(fleet.placeOnSite('T', { caseId: 'c1', target: site, onArrive: () => arrived++ })).toBe(true);
    expect(fleet.placeOnSite('T', { caseId: 'c2', target: base, onArrive: () => arrived++ })).toBe(false); // busy
    expect(fleet.placeOnSite('nobody', { caseId: 'c3', target: base, onArrive: () => arrived++ })).toBe(
      false,
    );
    expect(fleet.onSiteAt('T', 'c1')).toBe(true);
    // Twenty minutes at the site: every fix there, standing, and no arrival to report (it was recorded).
    const stay = run(fleet, 1200, T0);
    expect(stay.every((f) => !f.moving && f.fix.speed === 0)).toBe(true);
    expect(stay.every((f) => distanceMeters([f.fix.lng, f.fix.lat], site) < 1)).toBe(true);
    expect(arrived).toBe(0);
    // Work done: back to the seat.
    fleet.release('T', 'c1', T0 + 1_200_000);
    expect(fleet.vehicles[0]!.mover.mode).toBe('returning');
    run(fleet, 3600, T0 + 1_200_000, () => !fleet.vehicles[0]!.route.length);
    expect(distanceMeters(fleet.vehicles[0]!.mover.position, base)).toBeLessThan(1);
  });

  it('queue every task, however many, and take them in turn, dropping one whose case left them', () => {
    const fleet = new Fleet(mulberry(2));
    fleet.add(
      { teamId: 'T', deviceId: 'd', protocol: 'osmand', township: mishan, base: seatOf(mishan) },
      12,
      T0,
      Infinity,
    );
    const arrived: string[] = [];
    const task = (id: string, i: number) => ({
      caseId: id,
      target: mishan.villages[i % mishan.villages.length]!.center,
      onArrive: () => arrived.push(id),
    });
    // A busy team is late to the next site, never reported there without driving to it.
    // Its current task and MAX_QUEUED_TASKS waiting: the simulator then sends people without a tracker.
    for (const [i, id] of ['a', 'b', 'c', 'd', 'e'].entries()) {
      expect(fleet.canTake('T')).toBe(i <= MAX_QUEUED_TASKS);
      expect(fleet.assign('T', task(id, i))).toBe(true);
    }
    expect(fleet.canTake('nobody')).toBe(false);
    expect(fleet.assign('T', task('a', 0))).toBe(true); // already its task
    expect(fleet.assign('nobody', task('f', 0))).toBe(false);
    fleet.release('T', 'c', T0); // moved on by someone else while queued
    let now = T0;
    for (const id of ['a', 'b', 'd', 'e']) {
      now += run(fleet, 3600, now, () => arrived.length > 0 && arrived.at(-1) === id).length * 1000;
      expect(arrived.at(-1)).toBe(id);
      expect(distanceMeters(fleet.vehicles[0]!.mover.position, fleet.vehicles[0]!.task!.target)).toBeLessThan(
        1,
      );
      fleet.release('T', id, now);
    }
    expect(arrived).toEqual(['a', 'b', 'd', 'e']);
  });

  it('go back to a site (整改完成 / 返工) right after the task at hand, ahead of those waiting', () => {
    const fleet = new Fleet(mulberry(4));
    fleet.add(
      { teamId: 'T', deviceId: 'd', protocol: 'positions', township: mishan, base: seatOf(mishan) },
      12,
      T0,
      Infinity,
    );
    const arrived: string[] = [];
    const task = (id: string, i: number) => ({
      caseId: id,
      target: mishan.villages[i % mishan.villages.length]!.center,
      onArrive: () => arrived.push(id),
    });
    fleet.assign('T', task('a', 0));
    fleet.assign('T', task('b', 1));
    fleet.assign('T', task('back', 2), { next: true });
    let now = T0;
    for (const id of ['a', 'back', 'b']) {
      now += run(fleet, 3600, now, () => arrived.at(-1) === id).length * 1000;
      expect(fleet.onSiteAt('T', id)).toBe(true);
      fleet.release('T', id, now);
    }
    expect(arrived).toEqual(['a', 'back', 'b']);
  });

  it('ride a patrol round through villages of their own township when idle', () => {
    const fleet = new Fleet(mulberry(3));
    const base = seatOf(mishan);
    fleet.add({ teamId: 'T', deviceId: 'd', protocol: 'positions', township: mishan, base }, 12, T0, T0);
    const out = run(fleet, 2 * 3600, T0);
    const moving = out.filter((f) => f.moving);
    expect(moving.length).toBeGreaterThan(30);
    for (const f of moving) expect(insideRings(mishan.area, [f.fix.lng, f.fix.lat])).toBe(true);
    expect(Math.max(...moving.map((f) => distanceMeters([f.fix.lng, f.fix.lat], base)))).toBeGreaterThan(300);
  });

  it('takes a team off the road: it reports no more, and is sent nowhere', () => {
    const fleet = new Fleet(mulberry(3));
    const base = seatOf(mishan);
    for (const [teamId, deviceId] of [
      ['T1', 'gp-1'],
      ['T2', 'gp-2'],
    ] as const)
      fleet.add({ teamId, deviceId, protocol: 'positions', township: mishan, base }, 12, T0, Infinity);
    fleet.remove('T1');
    fleet.remove('T404'); // not here: nothing
    expect(fleet.has('T1')).toBe(false);
    expect(fleet.assign('T1', { caseId: 'c1', target: base, onArrive: () => undefined })).toBe(false);
    expect(new Set(run(fleet, 5, T0).map((f) => f.vehicle.teamId))).toEqual(new Set(['T2']));
  });
});
