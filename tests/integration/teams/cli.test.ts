// `npm run teams` (server/cli/teams.ts) against the database of servers already running with DEMO
// off: the teams and phones it registers are taken at once, by every process on the database, and
// the screens connected to them hear of a team added, renamed or removed in their scope; a team it
// retires leaves their lists and those screens within about a second, its records kept.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { noTeamsChange, type RetiredTeam, type Team, type TeamsChange } from '../../../shared/teams';
import type { CaseView } from '../../../shared/cases';
import { TeamService } from '../../../server/teams/service';
import { cliCommand } from '../../../server/cli/server-build';
import { systemClock } from '../../../server/clock';
import { makeTempDir } from '../../support/temp-dir';
import { act, clueAt, getCase, pointIn, report } from '../../support/cases';
import { collect, connectSocket, waitFor, type ClientSocket } from '../../support/socket';

const ROOT = path.resolve(import.meta.dirname, '../../..');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe.each(ENGINES)('npm run teams on %s', (engine) => {
  let server: TestServer;
  /**
   * A second server process on the same database (several processes behind a balancer): on
   * PostgreSQL only. A SQLite DATA_DIR serves one server process (a second is refused at its start,
   * server/store/lock.ts), so there `other` is the one server.
   */
  let other: TestServer;
  let commander: string;
  let otherCommander: string;

  /**
   * The command, configured as the servers are, from its bundle (built from the current sources
   * before the tests, tests/support/cli-setup.ts: 0.3 s a command where tsx took 0.9 s).
   */
  const teamsCli = (...args: string[]): Promise<CliResult> => teamsCliWith({}, ...args);
  /** The same, with some of the environment changed (an empty value unsets it). */
  const teamsCliWith = (change: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> =>
    runTeams(change, [...cliCommand('teams'), ...args]);
  /** The command's sources through tsx, as `npm run teams -- …` runs them. */
  const teamsCliFromSources = (...args: string[]): Promise<CliResult> =>
    runTeams({}, [...cliCommand('teams', true), ...args]);
  const runTeams = (change: NodeJS.ProcessEnv, nodeArgs: string[]): Promise<CliResult> => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: server.database.dataDir,
      DEMO: 'off',
      LOG_LEVEL: 'silent',
    };
    delete env.DATABASE_URL;
    delete env.PORT;
    if (server.database.databaseUrl) env.DATABASE_URL = server.database.databaseUrl;
    for (const [k, v] of Object.entries(change)) {
      if (v) env[k] = v;
      else delete env[k];
    }
    return new Promise((resolve) => {
      execFile(process.execPath, nodeArgs, { cwd: ROOT, env }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  };
  const teamsOf = async (url: string, token: string): Promise<Team[]> => {
    const r = await call(url, token, 'GET', '/api/teams');
    expect(r.status).toBe(200);
    return r.body.teams;
  };
  const postFix = (url: string, deviceId: string, token: string, lng: number, lat: number, at = Date.now()) =>
    fetch(`${url}/api/positions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Device-Token': token },
      body: JSON.stringify({ deviceId, fixes: [{ lng, lat, at }] }),
    });
  const osmand = (url: string, deviceId: string, lng: number, lat: number, at = Date.now()) =>
    fetch(`${url}/api/osmand?id=${deviceId}&lat=${lat}&lon=${lng}&timestamp=${at}`);
  const tokenIn = (stdout: string) => /X-Device-Token: (\S+)/.exec(stdout)?.[1];
  /** What every command prints first (to stderr): the database it works on. */
  const databaseLine = () =>
    server.database.databaseUrl
      ? `database: PostgreSQL ${server.database.databaseUrl.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@')}\n`
      : `database: SQLite ${path.join(server.database.dataDir, 'gaoping.db')}\n`;

  beforeAll(async () => {
    server = await startTestServer({ engine, env: { DEMO: 'off' } });
    other =
      engine === 'postgres'
        ? await startTestServer({ database: server.database, env: { DEMO: 'off' } })
        : server;
    commander = await tokenFor(server, 'cmd', 'commander');
    otherCommander = await tokenFor(other, 'cmd2', 'commander');
  });
  afterAll(async () => {
    if (other !== server) await other?.close();
    await server?.close();
  });

  it(
    'adds a team and a phone that running servers take at once, by both protocols',
    { timeout: 60_000 },
    async () => {
      expect(await teamsOf(server.url, commander)).toEqual([]);
      const added = await teamsCliFromSources(
        'add',
        'T140581002',
        '--name',
        '东城街道综合行政执法队',
        '--township',
        '140581002',
        '--members',
        '3',
      );
      expect(added).toMatchObject({ code: 0, stderr: databaseLine() });
      expect(added.stdout).toContain('created team T140581002');
      const device = await teamsCli('device', 'add', 'T140581002', 'dc-car-8Hq2x', '--label', '执法车');
      expect(device.code).toBe(0);
      const token = tokenIn(device.stdout)!;
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      // The server's address as the phone reaches it: directly at PORT, or through an HTTPS proxy.
      expect(device.stdout).toContain('http://<server host>:3000/api/osmand');
      expect(device.stdout).toContain('https://<proxy host>/api/osmand');

      // OsmAnd (the id alone) on one process, the JSON API (id and token) on the other.
      const viaOsmand = await osmand(server.url, 'dc-car-8Hq2x', 112.93, 35.8, Date.now() - 2000);
      expect(viaOsmand.status).toBe(200);
      const viaJson = await postFix(other.url, 'dc-car-8Hq2x', token, 112.94, 35.81, Date.now() - 1000);
      expect(viaJson.status).toBe(200);
      expect(await viaJson.json()).toMatchObject({ accepted: 1 });

      const [here] = await teamsOf(server.url, commander);
      expect(here).toMatchObject({
        id: 'T140581002',
        name: '东城街道综合行政执法队',
        owner: { kind: 'township', code: '140581002', name: '东城街道' },
        deviceIds: ['dc-car-8Hq2x'],
        // The fix this process took (OsmAnd); on SQLite, one process took both: the later, by JSON.
        position: other === server ? { lng: 112.94, lat: 35.81 } : { lng: 112.93, lat: 35.8 },
      });
      expect(here!.members).toHaveLength(3);
      const [there] = await teamsOf(other.url, otherCommander);
      expect(there).toMatchObject({ id: 'T140581002', position: { lng: 112.94, lat: 35.81 } });

      // The token is stored hashed, and a wrong one is refused.
      const stored = await server.store.db.selectFrom('devices').selectAll().execute();
      expect(stored.map((d) => d.token_hash)).not.toContain(token);
      expect((await postFix(server.url, 'dc-car-8Hq2x', 'guess', 112.9, 35.8)).status).toBe(401);

      const list = await teamsCli('list');
      expect(list.stdout).toContain(
        'T140581002\ttownship:140581002\t东城街道综合行政执法队\t3 members\tdc-car-8Hq2x',
      );
    },
  );

  it(
    'renames a team, and takes a phone off it: the running servers follow at their next re-read',
    { timeout: 60_000 },
    async () => {
      expect((await teamsCli('rename', 'T140581002', '--name', '东城执法队')).code).toBe(0);
      const removed = await teamsCli('device', 'remove', 'dc-car-8Hq2x');
      expect(removed).toMatchObject({ code: 0 });
      expect(removed.stdout).toContain('kept, revoked'); // it has fixes: they stay
      for (const s of [server, other]) await s.handle.ctx.teams.refresh(); // as the timer does
      const [team] = await teamsOf(server.url, commander);
      expect(team).toMatchObject({ name: '东城执法队', deviceIds: [] });
      expect(team!.position).not.toBeNull(); // the track is kept
      expect((await osmand(other.url, 'dc-car-8Hq2x', 112.9, 35.8)).status).toBe(404);
      const track = await call(server.url, commander, 'GET', '/api/teams/T140581002/track');
      expect(track.body.total).toBe(2);

      // Registered again (to the same team here), with a new token: the old one is dead.
      const again = await teamsCli('device', 'add', 'T140581002', 'dc-car-8Hq2x');
      expect(again.code).toBe(0);
      const fresh = tokenIn(again.stdout)!;
      expect((await postFix(server.url, 'dc-car-8Hq2x', fresh, 112.95, 35.82)).status).toBe(200);
      // The other process too, which forgot the device at its re-read.
      expect((await postFix(other.url, 'dc-car-8Hq2x', fresh, 112.96, 35.83)).status).toBe(200);
    },
  );

  it('re-reads teams on its own, every refreshMs', async () => {
    const teams = new TeamService(server.store, systemClock, { retentionDays: 90, refreshMs: 50 });
    await teams.load();
    teams.start();
    try {
      const county = { kind: 'county' } as const;
      expect(teams.get('T140581002', county).name).toBe('东城执法队');
      await server.store.db
        .updateTable('teams')
        .set({ name: '东城队' })
        .where('id', '=', 'T140581002')
        .execute();
      await expect.poll(() => teams.get('T140581002', county).name, { timeout: 5000 }).toBe('东城队');
    } finally {
      await teams.stop();
    }
    await server.store.db
      .updateTable('teams')
      .set({ name: '东城执法队' })
      .where('id', '=', 'T140581002')
      .execute();
  });

  it('removes only a team with no history; says what to do instead', { timeout: 60_000 }, async () => {
    const kept = await teamsCli('remove', 'T140581002');
    expect(kept.code).toBe(1);
    expect(kept.stderr).toMatch(/has history \(\d+ track fixes/);
    expect(kept.stderr).toContain('Retire it instead (`npm run teams -- retire T140581002`)');

    expect(
      (await teamsCli('add', 'Dzrzyj', '--name', '自然资源执法大队', '--department', 'zrzyj')).code,
    ).toBe(0);
    expect((await teamsCli('device', 'add', 'Dzrzyj', 'zr-1')).code).toBe(0);
    const gone = await teamsCli('remove', 'Dzrzyj');
    expect(gone).toMatchObject({ code: 0, stdout: 'removed team Dzrzyj\n' });
    expect((await teamsCli('device', 'remove', 'zr-1')).code).toBe(1); // went with its team
    await server.handle.ctx.teams.refresh();
    expect((await teamsOf(server.url, commander)).map((t) => t.id)).toEqual(['T140581002']);
  });

  it(
    'retires a team with history: gone from every list and screen, its phones refused, its records kept; unretire undoes it',
    { timeout: 90_000 },
    async () => {
      const DONGCHENG = '140581002';
      const clerk = await tokenFor(server, 'dc-clerk', 'township', { kind: 'township', code: DONGCHENG });
      // Two cases for 东城: the team is sent to the first (a case record naming it).
      const cases: CaseView[] = [];
      for (const i of [0, 1]) {
        const r = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, i)));
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        const acked = await act(server, clerk, r.body.case.id, {
          action: 'acknowledge',
          version: r.body.case.version,
        });
        expect(acked.status, JSON.stringify(acked.body)).toBe(200);
        cases.push(acked.body.case);
      }
      const sent = await act(server, clerk, cases[0]!.id, {
        action: 'start',
        version: cases[0]!.version,
        personnel: 2,
        teamId: 'T140581002',
      });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      const phone = await teamsCli('device', 'add', 'T140581002', 'dc-retire-1');
      const token = tokenIn(phone.stdout)!;
      expect((await postFix(other.url, 'dc-retire-1', token, 112.95, 35.82)).status).toBe(200);

      // The command centre's screens on both processes, and 东城's desk.
      const sockets: ClientSocket[] = [
        connectSocket(server.url, commander),
        connectSocket(other.url, otherCommander),
        connectSocket(other.url, clerk),
      ];
      try {
        await Promise.all(sockets.map((s) => waitFor(s, 'hello')));
        const heard = sockets.map((s) => waitFor(s, 'teams:changed', (c) => c.retired.length > 0, 10_000));

        const refused = await teamsCli('remove', 'T140581002');
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('npm run teams -- retire T140581002');
        const retired = await teamsCli('retire', 'T140581002');
        expect(retired.code, retired.stderr).toBe(0);
        expect(retired.stdout).toMatch(/^retired team T140581002 \(东城执法队\) at \d{4}-\d\d-\d\dT/);
        expect(retired.stdout).toContain('Its phones (dc-car-8Hq2x, dc-retire-1) are refused from now on.');
        expect(retired.stdout).toContain('Undo: npm run teams -- unretire T140581002');
        expect((await teamsCli('list')).stdout).toMatch(
          /^T140581002\ttownship:140581002\t东城执法队\t3 members\tdc-car-8Hq2x,dc-retire-1\tretired \d{4}-/m,
        );
        // 派出队伍 refuses it at once: the case action reads the team from the database.
        const start = await act(server, clerk, cases[1]!.id, {
          action: 'start',
          version: cases[1]!.version,
          teamId: 'T140581002',
        });
        expect(start.status).toBe(422);
        expect(start.body).toMatchObject({ field: 'body.teamId' });
        expect(start.body.error).toContain('已撤销');

        for (const s of [server, other]) await s.handle.ctx.teams.refresh(); // as the timer does
        // Every screen hears it once from the process it is connected to: the marker goes.
        expect(await Promise.all(heard)).toEqual(
          Array(3).fill({ ...noTeamsChange(), retired: ['T140581002'] }),
        );
        expect(await teamsOf(server.url, commander)).toEqual([]);
        expect(await teamsOf(other.url, otherCommander)).toEqual([]);
        expect(await teamsOf(other.url, clerk)).toEqual([]);
        const gone = await call(other.url, clerk, 'GET', '/api/teams/T140581002');
        expect(gone.status).toBe(404);
        expect(gone.body.error).toContain('已撤销');
        // Its name, for the records naming it; its track, for playback.
        for (const [url, t] of [
          [server.url, commander],
          [other.url, clerk],
        ] as const) {
          const r = await call<{ teams: RetiredTeam[] }>(url, t, 'GET', '/api/teams?retired=true');
          expect(r.body.teams).toEqual([
            {
              id: 'T140581002',
              name: '东城执法队',
              kind: 'township',
              owner: { kind: 'township', code: DONGCHENG, name: '东城街道' },
              retiredAt: expect.any(Number),
            },
          ]);
        }
        const bad = await call(server.url, commander, 'GET', '/api/teams?retired=yes');
        expect(bad).toMatchObject({ status: 400, body: { field: 'query.retired' } });
        const track = await call(server.url, clerk, 'GET', '/api/teams/T140581002/track');
        expect(track.status).toBe(200);
        expect(track.body.total).toBeGreaterThanOrEqual(3);
        const timeline = (await getCase(server, clerk, cases[0]!.id)).body.case
          .timeline as CaseView['timeline'];
        expect(timeline!.some((e) => e.type === 'start' && e.payload.teamId === 'T140581002')).toBe(true);

        // Its phones are refused by either protocol, on both processes, as unknown ones are.
        for (const s of [server, other]) {
          expect((await postFix(s.url, 'dc-retire-1', token, 112.95, 35.82)).status).toBe(401);
          expect((await osmand(s.url, 'dc-retire-1', 112.95, 35.82)).status).toBe(404);
        }
        // A process that had never seen the phone (started since) refuses it too.
        const fresh = new TeamService(server.store, systemClock, { retentionDays: 90, refreshMs: 0 });
        await fresh.load();
        await expect(fresh.authenticateDevice('dc-retire-1', token)).rejects.toMatchObject({ status: 401 });
        expect(fresh.list({ kind: 'county' })).toEqual([]);

        // No new phone for it; retiring twice says so and changes nothing.
        const noPhone = await teamsCli('device', 'add', 'T140581002', 'dc-retire-2');
        expect(noPhone).toMatchObject({
          code: 1,
          stderr: expect.stringContaining('team T140581002 is retired'),
        });
        const twice = await teamsCli('retire', 'T140581002');
        expect(twice).toMatchObject({ code: 0, stdout: expect.stringContaining('was retired already') });

        // Back in service, its phones with it.
        const back = sockets.map((s) => waitFor(s, 'teams:changed', (c) => c.restored.length > 0, 10_000));
        const unretired = await teamsCli('unretire', 'T140581002');
        expect(unretired).toMatchObject({ code: 0, stdout: expect.stringContaining('is back in service') });
        for (const s of [server, other]) await s.handle.ctx.teams.refresh();
        expect(await Promise.all(back)).toEqual(
          Array(3).fill({ ...noTeamsChange(), restored: ['T140581002'] }),
        );
        expect((await teamsOf(other.url, clerk)).map((t) => t.id)).toEqual(['T140581002']);
        expect((await call(server.url, commander, 'GET', '/api/teams?retired=true')).body.teams).toEqual([]);
        for (const s of [server, other])
          expect((await postFix(s.url, 'dc-retire-1', token, 112.95, 35.82, Date.now() - 100)).status).toBe(
            200,
          );
        expect((await teamsCli('list')).stdout).toContain('\tdc-car-8Hq2x,dc-retire-1\tin service');
        expect((await teamsCli('unretire', 'T140581002')).stdout).toContain('is in service already');
      } finally {
        for (const s of sockets) s.disconnect();
      }
      expect((await teamsCli('device', 'remove', 'dc-retire-1')).code).toBe(0);
    },
  );

  it("gives the OsmAnd URL with the server's PORT", { timeout: 60_000 }, async () => {
    const device = await teamsCliWith({ PORT: '8080' }, 'device', 'add', 'T140581002', 'dc-port-test');
    expect(device.code, device.stderr).toBe(0);
    expect(device.stdout).toContain('http://<server host>:8080/api/osmand');
    expect((await teamsCli('device', 'remove', 'dc-port-test')).code).toBe(0);
  });

  it('refuses to make a new SQLite database where there is none', { timeout: 60_000 }, async () => {
    const empty = makeTempDir();
    try {
      const dataDir = path.join(empty.dir, 'data');
      const file = path.join(dataDir, 'gaoping.db');
      const [add, list] = await Promise.all([
        teamsCliWith(
          { DATA_DIR: dataDir, DATABASE_URL: '' },
          'add',
          'T9',
          '--name',
          'x',
          '--township',
          '140581001',
        ),
        teamsCliWith({ DATA_DIR: dataDir, DATABASE_URL: '' }, 'list'),
      ]);
      for (const r of [add, list])
        expect(r).toEqual({
          code: 2,
          stdout: '',
          stderr:
            `database: SQLite ${file}\n` +
            `no database at ${file}: set DATA_DIR to the server's (or DATABASE_URL), or start the server once to create it\n`,
        });
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      empty.remove();
    }
  });

  it('checks every argument before writing anything', { timeout: 60_000 }, async () => {
    const [township, department, both, badId, badDevice, taken, twice, noTeam, members, unknown, nothing] =
      await Promise.all([
        teamsCli('add', 'T9', '--name', 'x', '--township', '999999999'),
        teamsCli('add', 'D9', '--name', 'x', '--department', 'nope'),
        teamsCli('add', 'T9', '--name', 'x', '--township', '140581001', '--department', 'zrzyj'),
        teamsCli('add', '../x', '--name', 'x', '--township', '140581001'),
        teamsCli('device', 'add', 'T140581002', 'a b'),
        teamsCli('add', 'T140581002', '--name', 'x', '--township', '140581002'),
        teamsCli('device', 'add', 'T140581002', 'dc-car-8Hq2x'),
        teamsCli('device', 'add', 'T404', 'x1'),
        teamsCli('add', 'T9', '--name', 'x', '--township', '140581001', '--members', 'many'),
        teamsCli('add', 'T9', '--name', 'x', '--kind', 'car'),
        teamsCli('frobnicate'),
      ]);
    expect(township.code).toBe(1);
    expect(township.stderr).toMatch(/no township 999999999 in the county pack; one of: 140581001 北城街道/);
    expect(department.code).toBe(1);
    expect(department.stderr).toMatch(/no department nope in the county pack; one of: .*zrzyj/);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('exactly one of --township');
    expect(badId.code).toBe(1);
    expect(badId.stderr).toContain('team id "../x"');
    expect(badDevice.code).toBe(1);
    expect(badDevice.stderr).toContain('device id "a b"');
    expect(taken).toMatchObject({ code: 1, stderr: expect.stringContaining('team T140581002 exists') });
    expect(twice).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is registered to team T140581002'),
    });
    expect(noTeam).toMatchObject({ code: 1, stderr: expect.stringContaining('no team T404: add it first') });
    expect(members.code).toBe(2);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('usage:');
    expect(nothing.code).toBe(2);
    expect((await teamsCli('list')).stdout.trim().split('\n')).toHaveLength(1); // nothing was written
  });

  it(
    "names a team's members (7+9+N): added, changed and removed on every server; a bad one refused, naming what is wrong, nothing written",
    { timeout: 60_000 },
    async () => {
      // The three placeholders `add --members 3` gave: the first named as the team's leader.
      const set = await teamsCli(
        'member',
        'set',
        'T140581002-m01',
        '--name',
        '王建国',
        '--role',
        '队长',
        '--phone',
        '+86 139 1234 5678',
      );
      expect(set.code, set.stderr).toBe(0);
      expect(set.stdout).toContain('now: T140581002-m01\t王建国\t队长\town\t-\t13912345678');
      // A landline, written without its hyphen, then cleared.
      const landline = await teamsCli('member', 'set', 'T140581002-m02', '--phone', '03502345678');
      expect(landline.stdout).toContain('now: T140581002-m02\t队员02\t执法队员\town\t-\t0350-2345678');
      const cleared = await teamsCli('member', 'set', 'T140581002-m02', '--phone', '');
      expect(cleared.stdout).toContain('now: T140581002-m02\t队员02\t执法队员\town\t-\t-');
      // One posted by the market regulator (派驻), by name: the next id.
      const addLiMing = () =>
        teamsCli(
          'member',
          'add',
          'T140581002',
          '--name',
          '李明',
          '--source',
          'posted',
          '--department',
          'scjgj',
        );
      const added = await addLiMing();
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toContain('T140581002-m04\t李明\t执法队员\tposted\tscjgj');
      const removed = await teamsCli('member', 'remove', 'T140581002-m03');
      expect(removed).toMatchObject({ code: 0, stdout: expect.stringContaining('队员03') });
      // Taken off and added again: a new id, never the one a removed member had (m04).
      expect((await teamsCli('member', 'remove', 'T140581002-m04')).code).toBe(0);
      const again = await addLiMing();
      expect(again.stdout).toContain('T140581002-m05\t李明\t执法队员\tposted\tscjgj');
      // Set as it is: nothing written, and said so.
      const same = await teamsCli('member', 'set', 'T140581002-m01', '--role', '队长');
      expect(same).toMatchObject({
        code: 0,
        stdout: expect.stringContaining('T140581002-m01 of team T140581002 unchanged'),
      });
      // A department's team: its members are the department's unless said otherwise.
      expect((await teamsCli('add', 'Dcgj9', '--name', '城管执法九队', '--department', 'cgj')).code).toBe(0);
      const own = await teamsCli('member', 'add', 'Dcgj9', '--name', '周强');
      expect(own.stdout).toContain('Dcgj9-m01\t周强\t执法队员\town\tcgj');
      expect((await teamsCli('remove', 'Dcgj9')).code).toBe(0);
      // A team removed leaves no number behind: one added again under its id starts at -m01.
      expect((await teamsCli('add', 'Dcgj9', '--name', '城管执法九队', '--department', 'cgj')).code).toBe(0);
      expect((await teamsCli('member', 'add', 'Dcgj9', '--name', '周强')).stdout).toContain('Dcgj9-m01\t');
      expect((await teamsCli('remove', 'Dcgj9')).code).toBe(0);
      // Listed in number order: -m100 after -m99, not after -m10.
      expect(
        (await teamsCli('add', 'T100', '--name', '百人队', '--township', '140581001', '--members', '101'))
          .code,
      ).toBe(0);
      const hundred = (await teamsCli('member', 'list', 'T100')).stdout.trim().split('\n').slice(1);
      expect(hundred.map((l) => l.split('\t')[0])).toEqual(
        Array.from({ length: 101 }, (_, i) => `T100-m${String(i + 1).padStart(2, '0')}`),
      );
      expect((await teamsCli('remove', 'T100')).code).toBe(0);

      // Each refused, naming what is wrong (exit 2: the usage shown), nothing written (the list below).
      const refused: Array<[string[], number, string | RegExp]> = [
        [
          ['add', 'T140581002', '--name', '赵六', '--source', 'posted'],
          1,
          '--source posted: name the department',
        ],
        [['add', 'T140581002', '--name', '赵六', '--source', 'boss'], 1, '--source "boss": one of own'],
        [
          ['set', 'T140581002-m02', '--department', 'nope'],
          1,
          /no department nope in the county pack; one of: .*scjgj/,
        ],
        [['set', 'T140581002-m02'], 1, 'give at least one of --name'],
        [
          ['set', 'T140581002-m02', '--phone', '12345'],
          1,
          '--phone "12345": a mobile (13912345678) or a landline with its area code',
        ],
        [['add', 'T140581002', '--name', '赵六', '--phone', '1391234567x'], 1, '--phone "1391234567x"'],
        [['remove', 'T140581002-m77'], 1, 'no member T140581002-m77'],
        [['add', 'T404', '--name', '赵六'], 1, 'no team T404'],
        [['add', 'T140581002', '--name', '赵六', '--label', 'x'], 2, 'member add: does not take --label'],
        [['set', 'T140581002-m02', '--role', '队'.repeat(21)], 1, '--role: at most 20 characters'],
        [['add', 'T140581002', '--role', '队长'], 2, 'member add: --name is required'],
        [['remove', '../m01'], 1, 'member id "../m01"'],
        // A posted member keeps the department that posted them unless they are no longer posted.
        [
          ['set', 'T140581002-m05', '--department', ''],
          1,
          'T140581002-m05 is posted (派驻) by scjgj: to clear the department give --source own or helper too',
        ],
      ];
      const answers = await Promise.all(refused.map(([args]) => teamsCli('member', ...args)));
      refused.forEach(([args, code, message], i) => {
        const said = `member ${args.join(' ')}`;
        expect(answers[i]!.code, said).toBe(code);
        if (typeof message === 'string') expect(answers[i]!.stderr, said).toContain(message);
        else expect(answers[i]!.stderr, said).toMatch(message);
      });

      const members = [
        {
          id: 'T140581002-m01',
          name: '王建国',
          role: '队长',
          source: 'own',
          departmentCode: null,
          phone: '13912345678',
        },
        {
          id: 'T140581002-m02',
          name: '队员02',
          role: '执法队员',
          source: 'own',
          departmentCode: null,
          phone: null,
        },
        {
          id: 'T140581002-m05',
          name: '李明',
          role: '执法队员',
          source: 'posted',
          departmentCode: 'scjgj',
          phone: null,
        },
      ];
      const list = await teamsCli('member', 'list', 'T140581002');
      expect(list.stdout.trim().split('\n')).toEqual([
        expect.stringMatching(/^team T140581002 \(.+\): 3 members$/),
        'T140581002-m01\t王建国\t队长\town\t-\t13912345678',
        'T140581002-m02\t队员02\t执法队员\town\t-\t-',
        'T140581002-m05\t李明\t执法队员\tposted\tscjgj\t-',
      ]);
      // What the command centre's team card lists, on every server process.
      for (const s of [server, other]) await s.handle.ctx.teams.refresh(); // as the timer does
      for (const [url, token] of [
        [server.url, commander],
        [other.url, otherCommander],
      ] as const)
        expect((await teamsOf(url, token)).find((t) => t.id === 'T140581002')?.members).toEqual(members);
    },
  );

  it(
    'tells open screens of a team added, renamed or removed, each township only of its own, within about a second',
    { timeout: 90_000 },
    async () => {
      const DONGCHENG = '140581002';
      const BEICHENG = '140581001';
      const dongcheng = await tokenFor(server, 'dc-desk', 'township', { kind: 'township', code: DONGCHENG });
      const beicheng = await tokenFor(server, 'bc-desk', 'township', { kind: 'township', code: BEICHENG });
      // The command centre's screens on both processes, 东城's desk and 北城's.
      const sockets = {
        county: connectSocket(server.url, commander),
        countyThere: connectSocket(other.url, otherCommander),
        dongcheng: connectSocket(other.url, dongcheng),
        beicheng: connectSocket(server.url, beicheng),
      };
      const all = Object.values(sockets);
      const heard = Object.fromEntries(
        Object.entries(sockets).map(([k, s]) => [k, collect(s, 'teams:changed')]),
      ) as Record<keyof typeof sockets, TeamsChange[]>;
      const added = (who: keyof typeof sockets) => heard[who].flatMap((c) => c.added);
      const updated = (who: keyof typeof sockets) => heard[who].flatMap((c) => c.updated);
      /** Within about a second of the command's end: the servers poll the teams' version every second. */
      const soon = { timeout: 2500, interval: 50 };
      try {
        await Promise.all(all.map((s) => waitFor(s, 'hello')));

        const add = await teamsCli(
          'add',
          'T140581002b',
          '--name',
          '东城二队',
          '--township',
          DONGCHENG,
          '--members',
          '2',
        );
        expect(add.code, add.stderr).toBe(0);
        const view = {
          id: 'T140581002b',
          name: '东城二队',
          kind: 'township',
          owner: { kind: 'township', code: DONGCHENG, name: '东城街道' },
          members: [
            {
              id: 'T140581002b-m01',
              name: '队员01',
              role: '执法队员',
              source: 'own',
              departmentCode: null,
              phone: null,
            },
            {
              id: 'T140581002b-m02',
              name: '队员02',
              role: '执法队员',
              source: 'own',
              departmentCode: null,
              phone: null,
            },
          ],
          deviceIds: [],
          position: null,
          status: 'offline',
          task: null,
        };
        for (const who of ['county', 'countyThere', 'dongcheng'] as const)
          await expect.poll(() => added(who), soon).toEqual([view]);
        // 北城 hears of its own new team, and of nothing before it: 东城's team was never said to it.
        expect(
          (await teamsCli('add', 'T140581001b', '--name', '北城二队', '--township', BEICHENG)).code,
        ).toBe(0);
        await expect.poll(() => added('beicheng').map((t) => t.id), soon).toEqual(['T140581001b']);
        expect(heard.beicheng).toHaveLength(1);
        await expect
          .poll(() => added('county').map((t) => t.id), soon)
          .toEqual(['T140581002b', 'T140581001b']);
        expect(added('dongcheng').map((t) => t.id)).toEqual(['T140581002b']);
        expect((await teamsOf(other.url, dongcheng)).map((t) => t.id)).toEqual(['T140581002', 'T140581002b']);

        // Renamed: the new name on the screens that see it; 北城's hears nothing of it.
        expect((await teamsCli('rename', 'T140581002b', '--name', '东城执法二队')).code).toBe(0);
        for (const who of ['county', 'countyThere', 'dongcheng'] as const)
          await expect
            .poll(() => updated(who).map((t) => [t.id, t.name]), soon)
            .toEqual([['T140581002b', '东城执法二队']]);
        expect(updated('county')[0]).toEqual({ ...view, name: '东城执法二队' });
        expect((await teamsOf(server.url, commander)).find((t) => t.id === 'T140581002b')?.name).toBe(
          '东城执法二队',
        );

        // A member named, with the phone the command centre calls: the team's card changes on the
        // screens that see it.
        const named = await teamsCli(
          'member',
          'set',
          'T140581002b-m01',
          '--name',
          '陈刚',
          '--role',
          '队长',
          '--phone',
          '138-1234-5678',
        );
        expect(named.code, named.stderr).toBe(0);
        for (const who of ['county', 'countyThere', 'dongcheng'] as const)
          await expect
            .poll(() => updated(who).at(-1)?.members[0], soon)
            .toEqual({
              id: 'T140581002b-m01',
              name: '陈刚',
              role: '队长',
              source: 'own',
              departmentCode: null,
              phone: '13812345678',
            });
        // The phone alone changed: the screens hear that too.
        expect((await teamsCli('member', 'set', 'T140581002b-m01', '--phone', '0350-2345678')).code).toBe(0);
        for (const who of ['county', 'countyThere', 'dongcheng'] as const)
          await expect.poll(() => updated(who).at(-1)?.members[0]?.phone, soon).toBe('0350-2345678');
        expect(heard.beicheng.flatMap((c) => c.updated)).toEqual([]);

        // A phone for it: taken, and it reports.
        const phone = await teamsCli('device', 'add', 'T140581002b', 'dc2-phone-Qx7');
        expect(phone.code, phone.stderr).toBe(0);
        const token = tokenIn(phone.stdout)!;
        for (const s of [server, other])
          expect((await postFix(s.url, 'dc2-phone-Qx7', token, 112.95, 35.82)).status).toBe(200);

        // Retired: its phone is refused by every process within about a second, not ten.
        const retired = await teamsCli('retire', 'T140581002b');
        expect(retired.code, retired.stderr).toBe(0);
        // A retired team's card is on no screen: its members are changed once it is back.
        expect(await teamsCli('member', 'set', 'T140581002b-m02', '--name', '刘洋')).toMatchObject({
          code: 1,
          stderr: expect.stringContaining('team T140581002b is retired: put it back first'),
        });
        expect((await teamsCli('member', 'list', 'T140581002b')).stdout).toMatch(
          /^team T140581002b \(东城执法二队, retired\): 2 members\nT140581002b-m01\t陈刚\t队长\town\t-\t0350-2345678\nT140581002b-m02\t队员02\t/,
        );
        for (const s of [server, other])
          await expect
            .poll(async () => (await postFix(s.url, 'dc2-phone-Qx7', token, 112.95, 35.82)).status, soon)
            .toBe(401);
        await expect.poll(() => heard.dongcheng.flatMap((c) => c.retired), soon).toEqual(['T140581002b']);

        // Removed (it left nothing behind): off the county's screens; 北城's hears of its own.
        expect((await teamsCli('remove', 'T140581001b')).code).toBe(0);
        for (const who of ['county', 'countyThere', 'beicheng'] as const)
          await expect.poll(() => heard[who].flatMap((c) => c.removed), soon).toEqual(['T140581001b']);
        expect(heard.dongcheng.flatMap((c) => c.removed)).toEqual([]);
        expect(heard.beicheng.flatMap((c) => [...c.updated, ...c.retired])).toEqual([]);
      } finally {
        for (const s of all) s.disconnect();
      }
    },
  );

  it('re-reads teams when their version moves, every versionPollMs', async () => {
    const teams = new TeamService(server.store, systemClock, {
      retentionDays: 90,
      refreshMs: 0,
      versionPollMs: 50,
    });
    await teams.load();
    const heard: TeamsChange[] = [];
    teams.onTeamsChanged((c) => heard.push(c));
    teams.start();
    try {
      expect((await teamsCli('rename', 'T140581002', '--name', '东城一队')).code).toBe(0);
      await expect
        .poll(() => teams.get('T140581002', { kind: 'county' }).name, { timeout: 5000 })
        .toBe('东城一队');
      expect(heard.map((c) => c.updated.map((t) => t.name))).toEqual([['东城一队']]);
    } finally {
      await teams.stop();
    }
  });
});
