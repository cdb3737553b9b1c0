// At an upgrade `npm start` serves the previous client build while it builds the new one behind the
// running server (server/cli/client-build.ts rebuildClientBehind), instead of keeping the port closed
// for the build's minute: pages left open keep their server, then reload into the new build once it
// is in place. Here the build is a small script (Vite's minute would add nothing to what is checked:
// the folders, the swap and what is served meanwhile) writing a build of its own into a temp folder,
// served by the server's own client router.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  clientBuildIsStale,
  rebuildClientBehind,
  type RebuildBehind,
} from '../../../server/cli/client-build';
import { clientRouter, servedBuild } from '../../../server/http/static';
import { makeTempDir } from '../../support/temp-dir';

const page = (entry: string) =>
  `<!doctype html><title>高平</title><script type="module" crossorigin src="/assets/${entry}"></script>`;

/**
 * The stand-in build: waits until the test creates `release`, then writes index.html and its entry
 * into the folder it is given and exits with `code` (a failed build writes nothing).
 */
const BUILD = `
const fs = require('node:fs'), path = require('node:path');
const [out, release, code] = process.argv.slice(1);
const t = setInterval(() => {
  if (!fs.existsSync(release)) return;
  clearInterval(t);
  if (code === '0') {
    fs.mkdirSync(path.join(out, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(out, 'assets', 'index-NEW2.js'), 'console.log(2)');
    fs.writeFileSync(path.join(out, 'index.html'), ${JSON.stringify(page('index-NEW2.js'))});
  }
  process.exit(Number(code));
}, 20);
`;

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
      .on('error', reject);
  });
}

describe('a client build behind the running server', () => {
  const tmp = makeTempDir('gaoping-behind-');
  const dist = path.join(tmp.dir, 'dist');
  const release = path.join(tmp.dir, 'release');
  let server: http.Server;
  let base: string;
  let clock = 0;
  const build = servedBuild(dist, () => clock);
  const lines: { info: string[]; error: string[] } = { info: [], error: [] };
  const log = { info: (m: string) => lines.info.push(m), error: (m: string) => lines.error.push(m) };
  let running: RebuildBehind | null = null;
  const start = (code: number) =>
    (running = rebuildClientBehind(log, {
      dist,
      command: (out) => [process.execPath, '-e', BUILD, out, release, String(code)],
    }));
  const staging = () => fs.readdirSync(tmp.dir).filter((f) => f.startsWith('.dist-'));

  beforeAll(async () => {
    const app = express();
    app.use(clientRouter(dist));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    fs.rmSync(dist, { recursive: true, force: true });
    fs.rmSync(release, { force: true });
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'assets', 'index-OLD1.js'), 'console.log(1)');
    fs.writeFileSync(path.join(dist, 'index.html'), page('index-OLD1.js'));
    lines.info.length = 0;
    lines.error.length = 0;
    clock += 60_000; // servedBuild looks at index.html again
  });
  afterEach(() => running?.stop());
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    tmp.remove();
  });

  it('serves the previous build while the new one builds, then the new one, with no folder left over', async () => {
    const b = start(0);
    expect(lines.info.join('\n')).toContain('serving it while the new one builds');
    // Meanwhile: the previous build, whole, and the API's header names it.
    const during = await get(`${base}/screen`);
    expect(during.status).toBe(200);
    expect(during.body).toContain('index-OLD1.js');
    expect((await get(`${base}/assets/index-OLD1.js`)).status).toBe(200);
    expect(build()).toBe('index-OLD1.js');

    fs.writeFileSync(release, '');
    expect(await b.done).toBe(true);
    expect(lines.info.at(-1)).toMatch(/client built in [\d.]+ s behind the running server/);
    expect(lines.error).toEqual([]);
    const after = await get(`${base}/screen`);
    expect(after.status).toBe(200);
    expect(after.body).toContain('index-NEW2.js');
    expect((await get(`${base}/assets/index-NEW2.js`)).body).toBe('console.log(2)');
    clock += 60_000;
    expect(build()).toBe('index-NEW2.js'); // what every API answer now names: open pages reload
    expect(staging()).toEqual([]);
  });

  it('keeps the previous build when the new one fails, and says what to do', async () => {
    const b = start(3);
    fs.writeFileSync(release, '');
    expect(await b.done).toBe(false);
    expect(lines.error.join('\n')).toContain('failed (exit 3): still serving the previous one');
    expect(lines.error.join('\n')).toContain('npm run build');
    expect((await get(`${base}/`)).body).toContain('index-OLD1.js');
    expect(staging()).toEqual([]);
  });

  it('stops with the server: the build is ended, its folder removed, the previous build left', async () => {
    const b = start(0);
    b.stop();
    expect(await b.done).toBe(false);
    expect(lines.error).toEqual([]); // a stop is not a failure
    fs.writeFileSync(release, ''); // too late: the build is gone
    expect((await get(`${base}/`)).body).toContain('index-OLD1.js');
    expect(staging()).toEqual([]);
  });

  it('counts the build it put in place as up to date, and a source changed or removed since as not', async () => {
    // A repository of its own: client/ (its dist inside), shared/, package-lock.json, all older
    // than the build.
    const root = path.join(tmp.dir, 'repo');
    const past = new Date(Date.now() - 3_600_000);
    for (const f of ['client/src/a.ts', 'client/src/b.ts', 'shared/x.ts', 'package-lock.json']) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), 'x');
    }
    fs.mkdirSync(path.join(root, 'client/dist'));
    fs.writeFileSync(path.join(root, 'client/dist/index.html'), page('index-OLD1.js'));
    for (const f of [
      'client/src/a.ts',
      'client/src/b.ts',
      'client/src',
      'client',
      'shared/x.ts',
      'shared',
      'package-lock.json',
    ])
      fs.utimesSync(path.join(root, f), past, past);
    // The build there from before a.ts was edited: stale. (Times set, not taken from the clock: a
    // write and an edit in the same millisecond would read as not newer.)
    const built = new Date(past.getTime() + 60_000);
    const edited = new Date(past.getTime() + 120_000);
    fs.utimesSync(path.join(root, 'client/dist/index.html'), built, built);
    fs.utimesSync(path.join(root, 'client/src/a.ts'), edited, edited);
    expect(clientBuildIsStale(root)).toBe(true);
    const b = rebuildClientBehind(log, {
      dist: path.join(root, 'client/dist'),
      command: (out) => [process.execPath, '-e', BUILD, out, release, '0'],
    });
    fs.writeFileSync(release, '');
    expect(await b.done).toBe(true);
    // The swap renamed and removed folders in client/: the build it made is not taken as stale
    // (before, client/'s own time made every start build again).
    expect(clientBuildIsStale(root)).toBe(false);
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 'shared/x.ts'), later, later);
    expect(clientBuildIsStale(root)).toBe(true);
    fs.utimesSync(path.join(root, 'shared/x.ts'), past, past);
    expect(clientBuildIsStale(root)).toBe(false);
    fs.rmSync(path.join(root, 'client/src/b.ts')); // a source removed: its folder's time says so
    fs.utimesSync(path.join(root, 'client/src'), later, later);
    expect(clientBuildIsStale(root)).toBe(true);
  });

  it('removes the folders of a build whose process is gone, not those of one still running', async () => {
    const dead = path.join(tmp.dir, '.dist-next-2147480000'); // no such process
    const live = path.join(tmp.dir, `.dist-old-${process.ppid}`); // the test runner's parent
    fs.mkdirSync(dead);
    fs.mkdirSync(live);
    const b = start(0);
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    fs.writeFileSync(release, '');
    expect(await b.done).toBe(true);
    expect(staging()).toEqual([`.dist-old-${process.ppid}`]);
    fs.rmSync(live, { recursive: true });
  });
});
