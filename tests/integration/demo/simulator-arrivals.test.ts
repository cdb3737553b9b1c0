// The live simulator records 到场 only where the team is: a team it drives reports arriving when its
// car has reached the site (a busy team after its tasks ahead), never on a timer while the map shows
// it kilometres away; and so again after the simulator is restarted. (A late start waits for the
// arrival deadline, hours away on the server's clock: too long to watch here.) After 整改完成 (and
// 核查不通过), when the server shows the team 前往现场 again, the team drives back and records another
// 到场 there before 办结.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../../shared/cases';
import { prepareDemo } from '../../../server/demo/index';
import { teamOf } from '../../../server/demo/lifecycle';
import { distanceMeters } from '../../../server/simulator/movement';
import { Simulator } from '../../../server/simulator/simulator';
import { startTestServer, type TestServer } from '../../support/server';
import { call, login } from '../../support/auth';

interface TrackPoint {
  lng: number;
  lat: number;
  at: number;
}

describe('live simulator arrivals', () => {
  let server: TestServer;
  let commander: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { DEMO: 'on', DEMO_PASSWORD: 'demo' } });
    await prepareDemo(server.handle.ctx, { historyDays: 0 }); // the accounts and teams only
    commander = (await login(server.url, 'commander', 'demo')).token;
  });
  afterAll(() => server?.close());

  const get = async <T>(path: string): Promise<T> => {
    const r = await call<T>(server.url, commander, 'GET', path);
    expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body;
  };

  /** The team 派出队伍 named last; none when the team was busy and people without a tracker went. */
  const teamSent = (c: CaseView): string | null => {
    const team = c.timeline!.findLast((e) => e.type === 'start')?.payload.teamId;
    return typeof team === 'string' ? team : null;
  };

  /** The team's last fix reported up to a 到场 was at the case's site. */
  async function expectAtSite(c: CaseView, team: string, at: number): Promise<void> {
    const { points } = await get<{ points: TrackPoint[] }>(
      `/api/teams/${team}/track?from=${at - 600_000}&to=${at}`,
    );
    const last = points.reduce<TrackPoint | null>((a, b) => (a && a.at >= b.at ? a : b), null);
    expect(last, `${team} reported nothing before 到场 of ${c.no}`).not.toBeNull();
    const off = distanceMeters([last!.lng, last!.lat], [c.lng, c.lat]);
    expect(off, `${team} ${Math.round(off)} m from ${c.no} when its 到场 was recorded`).toBeLessThan(100);
  }

  /**
   * Run a simulator until `count` arrivals by a team it drives are recorded (60 s at most); the cases
   * arrived at, by a team and by people without a tracker.
   */
  async function runUntilArrivals(seed: number, ratePerMinute: number, count: number) {
    // Many clues at once, so teams have tasks queued; people and cars 30 times faster.
    const sim = new Simulator({ url: server.url, password: 'demo', ratePerMinute, seed, pace: 30 });
    const byTeam: string[] = [];
    const untracked: string[] = [];
    let enough = () => undefined as void;
    sim.on('action', (a: { caseId: string; action: string }) => {
      if (a.action !== 'arrive') return;
      void get<{ case: CaseView }>(`/api/cases/${a.caseId}`).then(({ case: c }) => {
        (teamSent(c) ? byTeam : untracked).push(a.caseId);
        if (byTeam.length >= count) enough();
      });
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      await sim.start();
      await new Promise<void>((resolve, reject) => {
        enough = resolve;
        if (byTeam.length >= count) resolve();
        timer = setTimeout(() => reject(new Error(`${byTeam.length} arrivals of ${count} in 60 s`)), 60_000);
      });
    } finally {
      clearTimeout(timer);
      await sim.stop();
    }
    return { byTeam, untracked };
  }

  it("posts each 到场 when the team's last reported fix is at the site, for busy teams and after a restart", async () => {
    const started = Date.now();
    const first = await runUntilArrivals(7, 900, 12);
    // A team with its current task and two waiting is not sent: people without a tracker go, and their
    // 到场 names no team (the queue stays short, so a team's arrivals are not hours late).
    expect(first.untracked.length).toBeGreaterThan(0);
    // A new simulator, no new clues: it sends the teams to the cases the first left waiting.
    const second = await runUntilArrivals(8, 0, 4);
    let checked = 0;
    for (const id of new Set([...first.byTeam, ...second.byTeam])) {
      const c = (await get<{ case: CaseView }>(`/api/cases/${id}`)).case;
      const team = teamSent(c)!;
      expect(team).toBe(teamOf(c.assignee!));
      for (const e of c.timeline!.filter((e) => e.type === 'arrive' && e.at >= started)) {
        await expectAtSite(c, team, e.at);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(16);
  }, 150_000);

  it('sends the team back to the site after 整改完成 / 返工: another 到场 there before 办结', async () => {
    // Rectification deadlines are minutes away and cars drive 30 times faster: a case goes from
    // 责令整改 through 整改完成 to 办结 in well under a minute.
    const sim = new Simulator({ url: server.url, password: 'demo', ratePerMinute: 90, seed: 11, pace: 30 });
    // Cases resolved after a return visit by the team the start named (checked at the site).
    const driven = new Set<string>();
    let settle!: (err?: Error) => void;
    const finished = new Promise<void>((resolve, reject) => {
      settle = (err) => (err ? reject(err) : resolve());
    });
    finished.catch(() => undefined); // a failure found while starting is still raised, below
    sim.on('action', (a: { caseId: string; action: string }) => {
      if (a.action !== 'resolve') return;
      void get<{ case: CaseView }>(`/api/cases/${a.caseId}`)
        .then(async ({ case: c }) => {
          const events = c.timeline!;
          const resolved = events.findLastIndex((e) => e.type === 'resolve');
          const back = events.findLastIndex(
            (e, i) => i < resolved && (e.type === 'report_rectified' || e.type === 'verify_fail'),
          );
          if (back < 0) return;
          const again = events.slice(back + 1, resolved).find((e) => e.type === 'arrive');
          if (!again)
            return settle(
              new Error(
                `${c.no}: ${events[back]!.type} then 办结 with no 到场 between (${events.map((e) => e.type).join(' → ')})`,
              ),
            );
          const team = teamSent(c);
          if (!team) return; // people without a tracker went: their 到场 is a timed one
          await expectAtSite(c, team, again.at);
          driven.add(c.id);
          if (driven.size >= 2) settle();
        })
        .catch((err: Error) => settle(err));
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      await sim.start();
      await Promise.race([
        finished,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`${driven.size} of 2 return visits by a team in 100 s`)),
            100_000,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
      await sim.stop();
    }
  }, 120_000);
});
