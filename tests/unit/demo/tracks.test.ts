// The demo's team tracks (server/demo/tracks.ts): for any day of tasks, with patrol villages far
// or near, the legs follow one another in time, and the team is at each task's spot at the moment
// its 到场 was recorded.
import { describe, expect, it } from 'vitest';
import { planLegs, positionAt, type Visit } from '../../../server/demo/tracks';
import { mulberry } from '../../../server/demo/world';
import { distanceMeters } from '../../../server/simulator/movement';

const MIN = 60_000;
const DAY_START = Date.UTC(2026, 11, 4, 0, 0, 0); // 08:00 Shanghai

describe('demo team tracks', () => {
  it('keeps legs in order and the team at every task when it arrived, over 2,000 random days', () => {
    let arrivals = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const rand = mulberry(seed);
      const base: [number, number] = [112.9, 35.8];
      // Villages up to ~15 km away (the county's are within 8 km of their seat).
      const villages = Array.from({ length: 6 }, () => [
        112.9 + (rand() - 0.5) * 0.3,
        35.8 + (rand() - 0.5) * 0.3,
      ]) as Array<[number, number]>;
      const visits: Visit[] = [];
      let t = DAY_START + rand() * 60 * MIN;
      for (let k = 0; k < 1 + Math.floor(rand() * 6); k++) {
        const sentAt = t;
        const arriveAt = sentAt + (3 + rand() * 60) * MIN;
        visits.push({
          sentAt,
          arriveAt,
          leaveAt: arriveAt + (5 + rand() * 90) * MIN,
          // Half near the seat (the patrol's return must not run into them), half anywhere.
          at: [112.9 + (rand() - 0.5) * (k % 2 ? 0.1 : 0.004), 35.8 + (rand() - 0.5) * (k % 2 ? 0.1 : 0.004)],
        });
        t = arriveAt + rand() * 150 * MIN - 30 * MIN; // sometimes sent again before the last is done
      }
      const to = DAY_START + 10 * 60 * MIN + 4 * 60 * MIN;
      const legs = planLegs(base, visits, DAY_START, to, 8.3, villages, rand);
      for (let i = 0; i < legs.length; i++) {
        expect(legs[i]!.t1, `seed ${seed} leg ${i}`).toBeGreaterThanOrEqual(legs[i]!.t0);
        if (i) expect(legs[i]!.t0, `seed ${seed} leg ${i}`).toBeGreaterThanOrEqual(legs[i - 1]!.t1);
      }
      // Each task arrived at after the last one's arrival (the history may send a team to two
      // places in one minute; the second is then skipped) finds the team on its spot.
      let last = -Infinity;
      for (const v of [...visits].sort((a, b) => a.arriveAt - b.arriveAt)) {
        if (v.arriveAt <= last || v.arriveAt >= to) continue;
        last = v.arriveAt;
        const { p } = positionAt(legs, base, v.arriveAt, { n: 0 });
        expect(distanceMeters(p, v.at), `seed ${seed} at ${new Date(v.arriveAt).toISOString()}`).toBeLessThan(
          1,
        );
        arrivals++;
      }
    }
    expect(arrivals).toBeGreaterThan(4000);
  });
});
