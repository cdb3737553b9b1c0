import { describe, expect, it } from 'vitest';
import {
  bearingDegrees,
  distanceMeters,
  moveToward,
  step,
  type MoverState,
} from '../../../server/simulator/movement';
import { mulberry32 } from '../../../server/teams/demo-teams';

const CITY: [number, number] = [112.92, 35.8];

describe('simulated movement', () => {
  it('measures a kilometre north as a kilometre, bearing 0', () => {
    const north: [number, number] = [CITY[0], CITY[1] + 1000 / 111_195];
    expect(distanceMeters(CITY, north)).toBeCloseTo(1000, 0);
    expect(bearingDegrees(CITY, north)).toBeCloseTo(0, 3);
    expect(bearingDegrees(north, CITY)).toBeCloseTo(180, 3);
  });

  it('moves the asked distance toward the target and stops on it', () => {
    const target: [number, number] = [CITY[0] + 0.01, CITY[1]];
    const p = moveToward(CITY, target, 100);
    expect(distanceMeters(CITY, p)).toBeCloseTo(100, 3);
    expect(moveToward(CITY, target, 1e6)).toEqual(target);
  });

  it('reaches a target 2 km away at about 8 m/s in a few minutes, heading toward it', () => {
    const rand = mulberry32(7);
    let s: MoverState = {
      position: CITY,
      target: [CITY[0] + 2000 / (111_195 * Math.cos((35.8 * Math.PI) / 180)), CITY[1]],
      mode: 'to_task',
      speed: 8,
      bearing: 0,
      caseId: 'c1',
    };
    let seconds = 0;
    let arrived = false;
    while (!arrived && seconds < 3600) {
      const r = step(s, 5, rand);
      s = r.state;
      arrived = r.arrived;
      seconds += 5;
    }
    expect(arrived).toBe(true);
    expect(seconds).toBeGreaterThan(2000 / (8 * 1.3));
    expect(seconds).toBeLessThan(2000 / (8 * 0.7) + 10);
    expect(s.bearing).toBeCloseTo(90, 0);
  });

  it('stands still on site', () => {
    const s: MoverState = {
      position: CITY,
      target: [113, 36],
      mode: 'on_site',
      speed: 8,
      bearing: 10,
      caseId: 'c',
    };
    expect(step(s, 5, Math.random).state.position).toEqual(CITY);
  });
});
