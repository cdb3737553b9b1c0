// GET /api/map-config: the basemap the server was started with, which the map reads at run time,
// and the Content-Security-Policy that lets that basemap's tiles in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';

describe('GET /api/map-config', () => {
  let offline: TestServer;
  let tianditu: TestServer;
  beforeAll(async () => {
    offline = await startTestServer();
    tianditu = await startTestServer({ env: { BASEMAP: 'tianditu-img', TIANDITU_KEY: 'browser-key' } });
  });
  afterAll(async () => {
    await offline?.close();
    await tianditu?.close();
  });

  it('answers the offline basemap by default, and no outside tile host in the CSP', async () => {
    const r = await fetch(`${offline.url}/api/map-config`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ basemap: 'offline', tiandituKey: null });
    expect(r.headers.get('content-security-policy')).not.toContain('tianditu');
  });

  it('answers BASEMAP and TIANDITU_KEY as configured, and lets the Tianditu tiles through the CSP', async () => {
    const r = await fetch(`${tianditu.url}/api/map-config`);
    expect(await r.json()).toEqual({ basemap: 'tianditu-img', tiandituKey: 'browser-key' });
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/img-src[^;]*https:\/\/\*\.tianditu\.gov\.cn/);
  });
});
