// The demo's team tracks (server/demo/tracks.ts): for any day of tasks, with patrol villages far
// or near, the legs follow one another in time, and the team is at each task's spot at the moment
// its 到场 was recorded.
import { describe, expect, it } from 'vitest';
import { planLegs, positionAt, visitsFromTrail, type Visit } from '../../../server/demo/tracks';
import type { FactEvent } from '../../../server/cases/facts-as-of';
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

describe('visits from the audit trail', () => {
  const ev = (type: string, atMin: number, payload: Record<string, unknown> = {}): FactEvent => ({
    type,
    at: DAY_START + atMin * MIN,
    payload,
  });
  const SPOT: [number, number] = [112.92, 35.79];
  const at = (m: number) => DAY_START + m * MIN;

  it('sends the team back after 整改完成 and 核查不通过: a second and a third stay at the site', () => {
    const trail = [
      ev('created', 0),
      ev('dispatch', 0),
      ev('acknowledge', 5),
      ev('start', 10, { teamId: 'T1', personnel: 3 }),
      ev('arrive', 30),
      ev('order_rectification', 50),
      ev('report_rectified', 200),
      ev('arrive', 230),
      ev('resolve', 260),
      ev('verify_fail', 300),
      ev('arrive', 330),
      ev('resolve', 350),
    ];
    const visits = visitsFromTrail(new Map([['c1', trail]]), new Map([['c1', SPOT]])).get('T1')!;
    expect(visits.map((v) => [v.sentAt, v.arriveAt, v.leaveAt])).toEqual([
      [at(10), at(30), at(50)],
      [at(200), at(230), at(260)],
      [at(300), at(330), at(350)],
    ]);
  });

  it('sends no one back once the case has left the unit, nor a team never sent', () => {
    const returned = [
      ev('start', 10, { teamId: 'T1' }),
      ev('arrive', 30),
      ev('return', 40),
      ev('reassign', 45),
      ev('arrive', 90),
    ];
    const untracked = [
      ev('start', 10),
      ev('arrive', 30),
      ev('resolve', 40),
      ev('verify_fail', 50),
      ev('arrive', 70),
    ];
    const visits = visitsFromTrail(
      new Map([
        ['c1', returned],
        ['c2', untracked],
      ]),
      new Map([
        ['c1', SPOT],
        ['c2', SPOT],
      ]),
    );
    expect(visits.get('T1')!.map((v) => v.arriveAt)).toEqual([at(30)]);
    expect([...visits.keys()]).toEqual(['T1']);
  });
});

describe('visits from a trail ordered by phone', () => {
  it('takes a 到场 after 整改完成 as a return visit when the order came before any arrival', () => {
    const DAY0 = Date.UTC(2026, 11, 4, 0, 0, 0);
    const e = (type: string, m: number, payload: Record<string, unknown> = {}) => ({
      type,
      at: DAY0 + m * 60_000,
      payload,
    });
    const visits = visitsFromTrail(
      new Map([
        [
          'c1',
          [
            e('start', 10, { teamId: 'T1' }),
            e('order_rectification', 20),
            e('report_rectified', 200),
            e('arrive', 230),
            e('resolve', 260),
          ],
        ],
      ]),
      new Map([['c1', [112.92, 35.79] as [number, number]]]),
    ).get('T1')!;
    expect(visits.map((v) => [v.sentAt, v.arriveAt])).toEqual([[DAY0 + 200 * 60_000, DAY0 + 230 * 60_000]]);
  });
});
