// `npm run backup -- <folder>` while the server takes clues: the copy holds every case committed
// before it began (a plain copy of gaoping.db misses those still in the write-ahead log), the photos
// and the usual words, passes SQLite's integrity check, and opens as a database of its own.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../../shared/cases';
import { openStore } from '../../../server/store/db';
import { JPEG } from '../../support/images';
import { startTestServer, type TestServer } from '../../support/server';
import { tokenFor } from '../../support/auth';
import { clueAt, pointIn, report } from '../../support/cases';
import { makeTempDir } from '../../support/temp-dir';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DONGCHENG = '140581002';

function runBackup(
  dataDir: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { DATABASE_URL: _url, DATA_DIR: _dir, ...inherited } = process.env;
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/cli/backup.ts', ...args],
      { cwd: ROOT, env: { ...inherited, DATA_DIR: dataDir }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        if (code === null) return reject(err);
        resolve({ code, stdout, stderr });
      },
    ),
  );
}

describe('npm run backup', () => {
  let server: TestServer;
  let commander: string;
  const out = makeTempDir('gaoping-backup-');
  const target = path.join(out.dir, 'backup-1');

  beforeAll(async () => {
    server = await startTestServer();
    commander = await tokenFor(server, 'commander1', 'commander');
  });
  afterAll(async () => {
    await server?.close();
    out.remove();
  });

  const clue = async (i: number) => {
    const r = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, i)));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.case as CaseView;
  };

  it("copies a running server's data whole, photos and words included, into a database of its own", async () => {
    const first = await clue(0);
    const photo = await fetch(`${server.url}/api/cases/${first.id}/photos`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${commander}`, 'Content-Type': 'image/jpeg' },
      body: new Uint8Array(JPEG),
    });
    expect(photo.status).toBe(201);
    for (let i = 1; i < 20; i++) await clue(i);
    fs.writeFileSync(path.join(server.database.dataDir, 'phrases.json'), '{"return":[]}\n');
    // Clues keep coming while the copy is taken (bounded: 40 at most).
    let writing = true;
    const during = (async () => {
      for (let i = 20; writing && i < 60; i++) await clue(i);
    })();
    const r = await runBackup(server.database.dataDir, [target]);
    writing = false;
    await during;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/backup done: \d+ cases, \d+ accounts, 1 photos; integrity check ok/);
    // The target (under the test's temporary folder) is on DATA_DIR's disk: an unmounted disk's
    // mount point looks just so.
    expect(r.stderr).toContain('is on the same disk as DATA_DIR');
    const copied = Number(/backup done: (\d+) cases/.exec(r.stdout)![1]);
    expect(copied).toBeGreaterThanOrEqual(20);
    expect(fs.readFileSync(path.join(target, 'phrases.json'), 'utf8')).toBe('{"return":[]}\n');
    expect(
      fs.readdirSync(path.join(target, 'photos', first.id)).filter((n) => n.endsWith('.json')),
    ).toHaveLength(1);

    // The copy is a database of its own: opened (migrations and all), it holds the cases.
    const store = await openStore({ dataDir: target });
    try {
      const ids = await store.db.selectFrom('cases').select('id').execute();
      expect(ids).toHaveLength(copied);
      expect(ids.map((c) => c.id)).toContain(first.id);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('finishes while clues keep coming, not only once they pause', async () => {
    // A database of more than one step's pages (the copy used to go 1,000 pages a step, and SQLite
    // restarts an online backup at the next step whenever another connection has written): some
    // 40 MB of filler beside the cases.
    const file = path.join(server.database.dataDir, 'gaoping.db');
    const pad = new Database(file);
    pad.exec('create table if not exists test_filler (b blob)');
    const fill = pad.prepare('insert into test_filler values (randomblob(65536))');
    pad.transaction(() => {
      for (let i = 0; i < 640; i++) fill.run();
    })();
    pad.close();
    // Clues without a pause (four at a time), for at most 20 s or 4,000 clues.
    let backingUp = true;
    let sent = 0;
    const t0 = Date.now();
    const writer = async () => {
      while (backingUp && sent < 4000 && Date.now() - t0 < 20_000) await clue((20 + sent++) % 400);
    };
    const writers = Promise.all([writer(), writer(), writer(), writer()]);
    await new Promise((r) => setTimeout(r, 300));
    const target2 = path.join(out.dir, 'backup-busy');
    const r = await runBackup(server.database.dataDir, [target2]);
    const writingWhenDone = backingUp && sent < 4000 && Date.now() - t0 < 20_000;
    backingUp = false;
    await writers;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('integrity check ok');
    // The copy ended while the clues were still coming (before: only once the writers gave up).
    expect(writingWhenDone, `backup done after ${Date.now() - t0} ms, ${sent} clues`).toBe(true);
    const copied = Number(/backup done: (\d+) cases/.exec(r.stdout)![1]);
    const copy = new Database(path.join(target2, 'gaoping.db'), { readonly: true });
    try {
      const events = copy.prepare('select count(*) as n, max(seq) as m from case_events').get() as {
        n: number;
        m: number;
      };
      // A consistent copy: the event log without a gap, a first event for each case.
      expect(events.n).toBe(events.m);
      const bare = copy
        .prepare(
          'select count(*) as n from cases c where not exists (select 1 from case_events e where e.case_id = c.id)',
        )
        .get() as { n: number };
      expect(bare.n).toBe(0);
      expect(copied).toBeGreaterThan(20);
    } finally {
      copy.close();
    }
  }, 120_000);

  it('refuses a target it cannot write to, or that it would copy into itself, in a sentence', async () => {
    const aFile = path.join(out.dir, 'a-file');
    fs.writeFileSync(aFile, 'not a folder');
    const dataDir = server.database.dataDir;
    const cases: [string, RegExp][] = [
      [aFile, /is a file, not a folder: name a new folder/],
      [
        path.join(aFile, 'under'),
        /cannot write the backup into .*under \(ENOTDIR\): name a folder on a mounted disk/,
      ],
      [path.join(dataDir, 'photos', 'backup'), /is inside DATA_DIR's photos\/, which the backup copies/],
      // A disk not mounted: its folder is not made on the root disk.
      [path.join(out.dir, 'usb', 'dispatch-1'), /usb does not exist: is the backup disk mounted\?/],
    ];
    for (const [target, message] of cases) {
      const r = await runBackup(dataDir, [target]);
      expect(r.code, target).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain('    at ');
    }
    expect(fs.existsSync(path.join(dataDir, 'photos', 'backup'))).toBe(false);
    expect(fs.existsSync(path.join(out.dir, 'usb'))).toBe(false);
    expect(fs.readFileSync(aFile, 'utf8')).toBe('not a folder');
  });

  it('refuses a folder that holds something, and a DATA_DIR without a database, saying what to do', async () => {
    const again = await runBackup(server.database.dataDir, [target]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('is not empty: name a new folder');
    const empty = makeTempDir('gaoping-backup-empty-');
    try {
      const none = await runBackup(empty.dir, [path.join(out.dir, 'backup-2')]);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('no database at');
      expect(fs.existsSync(path.join(out.dir, 'backup-2'))).toBe(false);
      expect((await runBackup(empty.dir, [])).stderr).toContain('usage: npm run backup');
    } finally {
      empty.remove();
    }
  });
});
