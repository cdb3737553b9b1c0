// A demo database from before members had phones: at the next start its demo members get theirs
// (ensureDemoTeams), the screens see them, and a member an operator renamed since is left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { demoTeams, ensureDemoTeams } from '../../../server/teams/demo-teams';
import { memberId, type Team } from '../../../shared/teams';
import { readTeamsVersion } from '../../../server/teams/version';

describe.each(ENGINES)("the demo teams' phones on %s", (engine) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ engine });
  });
  afterAll(() => server?.close());

  it('fills the phones a demo database from before them lacks, only for members still as the demo named them', async () => {
    const ctx = server.handle.ctx;
    const teams = demoTeams(ctx.geo.townships, ctx.departments, 'demo-password');
    expect(await ensureDemoTeams(ctx.teams, teams)).toBe(teams.length);
    // As a database from before phones has them: none; and one member renamed by an operator since.
    await server.store.db.updateTable('team_members').set({ phone: null }).execute();
    await server.store.db
      .updateTable('team_members')
      .set({ name: '新来的' })
      .where('id', '=', 'T140581002-m03')
      .execute();
    await ctx.teams.refresh();
    const commander = await tokenFor(server, 'cmd', 'commander');
    const listed = async () =>
      (await call<{ teams: Team[] }>(server.url, commander, 'GET', '/api/teams')).body.teams;
    expect((await listed()).flatMap((t) => t.members).filter((m) => m.phone)).toEqual([]);

    // The next start: no team created, the phones back.
    expect(await ensureDemoTeams(ctx.teams, teams)).toBe(0);
    const members = (await listed()).flatMap((t) => t.members);
    const given = new Map(teams.flatMap((t) => t.members.map((m, i) => [memberId(t.id, i + 1), m.phone])));
    expect(members).toHaveLength(given.size);
    for (const m of members)
      if (m.id === 'T140581002-m03') expect(m).toMatchObject({ name: '新来的', phone: null });
      else expect(m.phone, m.id).toBe(given.get(m.id));
    // Once filled, a start changes nothing.
    const before = await readTeamsVersion(server.store.db);
    expect(await ensureDemoTeams(ctx.teams, teams)).toBe(0);
    expect(await readTeamsVersion(server.store.db)).toBe(before);
  });
});
