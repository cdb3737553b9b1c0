// The demo simulator drives only teams in service: a team retired while it runs is taken off the
// road when the server says so (`teams:changed`), and a run started after never drives it; no fix
// of a retired team is sent (none is refused).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Team } from '../../../shared/teams';
import { prepareDemo } from '../../../server/demo/index';
import { Simulator } from '../../../server/simulator/simulator';
import { TeamRegistry, packOwners } from '../../../server/teams/registry';
import { DEFAULT_GEO_PACK_DIR } from '../../../server/geo/default';
import { startTestServer, type TestServer } from '../../support/server';
import { call, login } from '../../support/auth';

describe('the simulator and retired teams', () => {
  let server: TestServer;
  let commander: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { DEMO: 'on', DEMO_PASSWORD: 'demo' } });
    await prepareDemo(server.handle.ctx, { historyDays: 0 }); // the accounts and teams only
    commander = (await login(server.url, 'commander', 'demo')).token;
  });
  afterAll(() => server?.close());

  it(
    'stops driving a team retired while it runs, and never drives it in a later run',
    { timeout: 90_000 },
    async () => {
      const opts = { url: server.url, password: 'demo', ratePerMinute: 0, workflow: false, seed: 5 };
      const teams = (await call<{ teams: Team[] }>(server.url, commander, 'GET', '/api/teams')).body.teams;
      const sim = new Simulator(opts);
      let later: Simulator | undefined;
      try {
        // Listening once its first fixes come back as a broadcast (its socket is in the county room).
        const listening = new Promise((resolve) => sim.once('positions', resolve));
        await sim.start();
        await listening;
        const team = teams.find((t) => sim.drives(t.id))!;
        expect(team).toBeDefined();
        const heard = new Promise<string[]>((resolve) => sim.once('retired', resolve));
        const registry = new TeamRegistry(server.store, Date.now, { townships: [], departments: [] });
        await registry.retire(team.id);
        await server.handle.ctx.teams.refresh(); // as the timer does
        expect(await heard).toEqual([team.id]);
        expect(sim.drives(team.id)).toBe(false);
        expect(
          teams.filter((t) => t.deviceIds.length && t.id !== team.id).every((t) => sim.drives(t.id)),
        ).toBe(true);

        later = new Simulator({ ...opts, seed: 6 });
        await later.start();
        expect(later.drives(team.id)).toBe(false);
        // Its first round sends a fix for every team it drives: all taken, none refused.
        const driven = teams.filter((t) => later!.drives(t.id)).length;
        expect(driven).toBe(teams.filter((t) => t.deviceIds.length).length - 1);
        await expect
          .poll(() => later!.snapshot().fixes.sent, { timeout: 20_000 })
          .toBeGreaterThanOrEqual(driven);
        expect(later.snapshot().fixes.failed).toBe(0);
        // The first run: at most the one upload (a tracker's batch, up to 10 fixes) of the retired team
        // already on its way when the server took the retirement (each process re-reads within a
        // second, before the simulator hears of it) is refused, as a retired team's phone is.
        expect(sim.snapshot().fixes.failed).toBeLessThanOrEqual(10);
      } finally {
        await later?.stop();
        await sim.stop();
      }
    },
  );

  it(
    'drives a demo team put back in service while it runs, and never a team someone added with a device of their own',
    { timeout: 90_000 },
    async () => {
      const registry = new TeamRegistry(server.store, Date.now, packOwners(DEFAULT_GEO_PACK_DIR));
      const teams = (await call<{ teams: Team[] }>(server.url, commander, 'GET', '/api/teams')).body.teams;
      const team = teams.find((t) => t.deviceIds.length && t.owner.kind === 'township')!;
      await registry.retire(team.id);
      await server.handle.ctx.teams.refresh();
      const sim = new Simulator({
        url: server.url,
        password: 'demo',
        ratePerMinute: 0,
        workflow: false,
        seed: 7,
      });
      try {
        // Listening once its first fixes come back as a broadcast (its socket is in the county room).
        const listening = new Promise((resolve) => sim.once('positions', resolve));
        await sim.start();
        await listening;
        expect(sim.drives(team.id)).toBe(false);
        // Put back in service (unretire): on the road again, not after the next start only.
        await registry.unretire(team.id);
        await server.handle.ctx.teams.refresh(); // as the timer does
        await expect.poll(() => sim.drives(team.id), { timeout: 10_000 }).toBe(true);
        // A team added with someone's own phone: theirs to move, never the simulator's.
        await registry.add({
          id: 'TPHONE1',
          name: '试用手机组',
          owner: { kind: 'township', code: team.owner.code },
        });
        await registry.addDevice('TPHONE1', 'phone-860000000000001');
        const heard = new Promise<void>((resolve) => sim.on('teamsChanged', () => resolve()));
        await server.handle.ctx.teams.refresh();
        await heard;
        expect(sim.drives('TPHONE1')).toBe(false);
      } finally {
        await sim.stop();
      }
    },
  );
});
