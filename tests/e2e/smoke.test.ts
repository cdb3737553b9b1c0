// The product as a user first meets it: the real server process, the built client, Chromium.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { startServerProcess, type ServerProcess } from '../support/process-server';
import { LoginPage } from './page-models/login-page';
import { makeTempDir } from '../support/temp-dir';
import { CLIENT_DIST } from '../../server/http/static';

describe('smoke: login page in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  const tmp = makeTempDir('gaoping-e2e-');

  beforeAll(async () => {
    // What `npm start` runs: the server bundle with plain Node (built by the e2e global setup).
    server = await startServerProcess({ DATA_DIR: tmp.dir, DEMO: 'off' }, 60_000, { bundle: true });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    tmp.remove();
  });

  it('answers /api/health with the embedded database', async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; db: string; version: unknown };
    expect(body).toMatchObject({ status: 'ok', db: 'sqlite' });
    // The version of package.json (the bundle finds it from server/dist as the sources do).
    const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8'));
    expect(body.version).toBe(pkg.version);
  });

  it('renders the login page in Chinese with no console errors', async () => {
    const { context, page, consoleErrors } = await openPage(browser);
    const scripts: { name: string; encoding?: string; length?: string }[] = [];
    // Recorded as each response arrives (headers() needs no round trip), so none is missed below.
    page.on('response', (res) => {
      const m = /\/assets\/([\w.-]+\.js)$/.exec(res.url());
      if (!m) return;
      const headers = res.headers();
      scripts.push({ name: m[1]!, encoding: headers['content-encoding'], length: headers['content-length'] });
    });
    const login = new LoginPage(page);
    await login.open(server.url);
    await expect.poll(() => login.heading().textContent()).toBe('用户登录');
    // The scripts arrive as the build compressed them (client/build/precompress.ts), not compressed
    // again per request: the length sent is that of the copy in client/dist.
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts.filter(
      (x) => fs.statSync(path.join(CLIENT_DIST, 'assets', x.name)).size >= 1024,
    )) {
      const ext = s.encoding === 'br' ? '.br' : '.gz';
      expect(['br', 'gzip']).toContain(s.encoding);
      expect(Number(s.length)).toBe(fs.statSync(path.join(CLIENT_DIST, 'assets', s.name + ext)).size);
    }
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.title()).toBe('高平市基层综合执法指挥调度平台');
    // Not a demo server (DEMO=off): no demo accounts named.
    await expect
      .poll(() => page.evaluate(() => fetch('/api/auth/options').then((r) => r.json())))
      .toEqual({
        demo: false,
        demoDefaultPassword: false,
      });
    expect(await page.getByTestId('demo-hint').count()).toBe(0);
    expect(await page.getByTestId('demo-hint-simulator').count()).toBe(0);
    await screenshot(page, 'smoke-login');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('sends a signed-out visitor of the big screen to the login page', async () => {
    const { context, page } = await openPage(browser);
    await page.goto(`${server.url}/screen`);
    await page.getByTestId('login-form').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/screen');
    await context.close();
  });

  it('tells the user in Chinese when the password is wrong', async () => {
    const { context, page } = await openPage(browser);
    const login = new LoginPage(page);
    await login.open(server.url);
    await login.signIn('nobody', 'wrong');
    await expect.poll(() => login.error().textContent()).toContain('用户名或密码错误');
    // In Chinese only: the server's English half is for an English page.
    expect(await login.error().textContent()).toBe('登录失败：用户名或密码错误');
    // A name of blanks is no name; one longer than any account's is refused as a wrong name, not in
    // the words of the server's check.
    await login.signIn('   ', 'x');
    await expect.poll(() => login.error().textContent()).toBe('请输入用户名和密码');
    await login.signIn('长'.repeat(80), 'wrong');
    await expect.poll(() => login.error().textContent()).toBe('登录失败：用户名或密码错误');
    await context.close();
  });

  it('says at once that the port is taken, before the demo county is prepared', async () => {
    const demoDir = makeTempDir('gaoping-e2e-taken-');
    try {
      // The running server holds its port; a second start on it ends with a message, not a stack.
      const second = startServerProcess({ DATA_DIR: demoDir.dir, DEMO: 'on' }, 60_000, {
        bundle: true,
        port: server.port,
      });
      await expect(second).rejects.toThrow(
        /exited with code 2[\s\S]*port \d+ on 127\.0\.0\.1 is in use \(EADDRINUSE\)/,
      );
      await second.catch((err: Error) => {
        expect(err.message).not.toContain('demo history');
        expect(err.message).not.toContain('    at ');
      });
    } finally {
      demoDir.remove();
    }
  });

  it('refuses a short JWT_SECRET without printing it, and a bad PORT in plain words', async () => {
    const start = startServerProcess(
      { DATA_DIR: tmp.dir, DEMO: 'off', JWT_SECRET: 'too-short-but-secret', PORT: 'abc' },
      60_000,
      { bundle: true },
    );
    const out = await start.then(
      () => 'started',
      (err: Error) => err.message,
    );
    expect(out).toMatch(/exited with code 2/);
    expect(out).toContain('JWT_SECRET=(hidden, 20 characters): must be at least 32 characters');
    expect(out).toContain('PORT="abc": must be a number');
    expect(out).not.toContain('too-short-but-secret');
    expect(out).not.toContain('    at ');
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const code = await server.stop();
    expect(code).toBe(0);
    expect(server.output()).toContain('stopped cleanly');
  });

  it('shuts down cleanly on SIGTERM while the demo county is still being prepared', async () => {
    const demoDir = makeTempDir('gaoping-e2e-demo-');
    try {
      // Told to stop as soon as its database is open: the demo history takes seconds to write.
      const starting = await startServerProcess({ DATA_DIR: demoDir.dir, DEMO: 'on' }, 60_000, {
        bundle: true,
        ready: /database ready/,
      });
      expect(await starting.stop()).toBe(0);
      expect(starting.output()).toContain('stopped cleanly');
      expect(starting.output()).not.toContain('dashboard on');
    } finally {
      demoDir.remove();
    }
  });
});
