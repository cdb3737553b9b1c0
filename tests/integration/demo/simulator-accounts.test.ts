// Whose name a case's timeline gives: the live simulator acts under the demo's accounts for it
// (模拟坐席（演示）, 东城街道·模拟（演示） …), so the operator racing it at the big screen, or a township
// desk, tells its dispatches and acknowledgements from their own (指挥中心坐席, 东城街道指挥平台). On a
// demo database from before those accounts it acts as the people's accounts, as it did, and says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseEvent, CaseView } from '../../../shared/cases';
import { demoAccounts } from '../../../server/auth/demo-accounts';
import { prepareDemo } from '../../../server/demo/index';
import { Simulator } from '../../../server/simulator/simulator';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { login } from '../../support/auth';
import { act, clueAt, getCase, pointIn, report } from '../../support/cases';

const DONGCHENG = '140581002';

describe.each(ENGINES)('the simulator’s own accounts on %s', { timeout: 90_000 }, (engine) => {
  let server: TestServer;

  beforeAll(async () => {
    // Clues wait for the command centre (no automatic dispatch): the simulator dispatches them.
    server = await startTestServer({
      engine,
      env: { DEMO: 'on', DEMO_PASSWORD: 'demo', AUTO_DISPATCH: 'off' },
    });
  });
  afterAll(() => server?.close());

  /**
   * Run a simulator until it has reported a clue, dispatched a case and acknowledged one; those
   * cases, as the commander reads them.
   */
  async function simulate(
    log: string[],
  ): Promise<{ reported: CaseView; dispatched: CaseView; acknowledged: CaseView }> {
    const sim = new Simulator({
      url: server.url,
      password: 'demo',
      ratePerMinute: 600,
      seed: 11,
      pace: 30,
      teams: false,
      log: (line) => log.push(line),
      progressEveryMs: 3_600_000,
    });
    const first = (action: string) =>
      new Promise<string>((resolve) =>
        sim.on('action', (a: { caseId: string; action: string }) => a.action === action && resolve(a.caseId)),
      );
    const clue = new Promise<string>((resolve) => sim.once('clue', (c: CaseView) => resolve(c.id)));
    const ids = Promise.all([clue, first('dispatch'), first('acknowledge')]);
    let timer: NodeJS.Timeout | undefined;
    let reportedId: string, dispatchedId: string, acknowledgedId: string;
    try {
      await sim.start();
      [reportedId, dispatchedId, acknowledgedId] = await Promise.race([
        ids,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('no dispatch and acknowledgement within 60 s')), 60_000);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      await sim.stop();
    }
    const commander = (await login(server.url, 'commander', 'demo')).token;
    const read = async (id: string) => {
      const r = await getCase(server, commander, id);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return (r.body as { case: CaseView }).case;
    };
    return {
      reported: await read(reportedId),
      dispatched: await read(dispatchedId),
      acknowledged: await read(acknowledgedId),
    };
  }

  /** Who did the case's last `type` (a case the first run left open may carry that run's too). */
  const who = (c: CaseView, type: string): CaseEvent['actor'] =>
    c.timeline!.findLast((e) => e.type === type)!.actor;

  it('acts as the people’s own accounts on a demo database from before the simulator’s, and says so once', async () => {
    // What an earlier demo start made: its accounts, none of the simulator's.
    for (const a of demoAccounts(server.handle.ctx.geo.townships, server.handle.ctx.departments, 'demo'))
      if (!a.username.startsWith('sim-')) await server.handle.ctx.users.ensure(a);
    const log: string[] = [];
    const { dispatched, acknowledged } = await simulate(log);
    expect(who(dispatched, 'dispatch')).toMatchObject({ username: 'commander', displayName: '指挥中心坐席' });
    expect(who(acknowledged, 'acknowledge').username).toBe(acknowledged.assignee!.code);
    expect(log.filter((l) => l.includes('no account sim-command'))).toHaveLength(1);
    expect(log.join('\n')).toContain('acting as commander and the township and department accounts');
  });

  it('acts under 模拟坐席（演示） and the units’ simulated clerks once the demo has made them; a person’s dispatch stays 指挥中心坐席', async () => {
    await prepareDemo(server.handle.ctx, { historyDays: 0 }); // what a demo start of this version adds
    const log: string[] = [];
    const { reported, dispatched, acknowledged } = await simulate(log);
    expect(log.join('\n')).not.toContain('no account sim-command');

    expect(who(dispatched, 'dispatch')).toMatchObject({
      username: 'sim-command',
      displayName: '模拟坐席（演示）',
      role: 'commander',
    });
    // Its clues too: the hotline's at 模拟坐席（演示）, a grid worker's through the township's clerk.
    expect(who(reported, 'created').username).toMatch(/^sim-/);
    // The clerk of the unit the case went to, under the unit's name: 东城街道·模拟（演示）.
    const unit = acknowledged.assignee!;
    expect(who(acknowledged, 'acknowledge')).toMatchObject({
      username: `sim-${unit.code}`,
      displayName: `${unit.name}·模拟（演示）`,
      role: unit.kind,
    });

    // The operator at the screen, racing it: the clue and the dispatch are theirs, by their name.
    const commander = (await login(server.url, 'commander', 'demo')).token;
    const posted = await report(
      server,
      commander,
      clueAt(pointIn(server.handle.ctx.geo, DONGCHENG), { source: 'hotline_12345' }),
    );
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const mine = (posted.body as { case: CaseView }).case;
    const sent = await act(server, commander, mine.id, { action: 'dispatch', version: mine.version });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const own = (await getCase(server, commander, mine.id)).body as { case: CaseView };
    expect(who(own.case, 'dispatch')).toMatchObject({ username: 'commander', displayName: '指挥中心坐席' });
    expect(who(own.case, 'dispatch').displayName).not.toBe(who(dispatched, 'dispatch').displayName);
  });
});
