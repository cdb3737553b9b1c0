// The built client's assets: the Brotli or gzip copy the build wrote is sent as it is to a browser
// that accepts it (nothing compressed per request), the file itself to one that does not, with the
// file's type and a year's caching either way; nothing outside assets/ is reachable through it.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import compression from 'compression';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientRouter } from '../../../server/http/static';
import { makeTempDir } from '../../support/temp-dir';

const JS = `export const hello = ${JSON.stringify('你好，高平'.repeat(2000))};\n`;
const CSS = `.a { color: red; }\n`.repeat(600);

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static assets', () => {
  const tmp = makeTempDir('gaoping-static-');
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    const assets = path.join(tmp.dir, 'assets');
    fs.mkdirSync(assets, { recursive: true });
    fs.writeFileSync(path.join(tmp.dir, 'index.html'), '<!doctype html><title>高平</title>');
    fs.writeFileSync(path.join(assets, 'app-1a2b.js'), JS);
    fs.writeFileSync(path.join(assets, 'app-1a2b.js.gz'), zlib.gzipSync(JS));
    fs.writeFileSync(path.join(assets, 'app-1a2b.js.br'), zlib.brotliCompressSync(JS));
    fs.writeFileSync(path.join(assets, 'only-gz-3c4d.css'), CSS);
    fs.writeFileSync(path.join(assets, 'only-gz-3c4d.css.gz'), zlib.gzipSync(CSS));
    fs.writeFileSync(path.join(assets, 'plain-5e6f.js'), JS); // no copies: compressed per request
    const app = express();
    app.use(compression({ threshold: '8kb' })); // as in the app: it must leave encoded files alone
    app.use(clientRouter(tmp.dir));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    tmp.remove();
  });

  it('sends the Brotli copy to a browser that accepts it', async () => {
    const r = await get(`${base}/assets/app-1a2b.js`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(r.headers['vary']).toMatch(/accept-encoding/i);
    expect(r.headers['cache-control']).toContain('immutable');
    expect(r.body.equals(fs.readFileSync(path.join(tmp.dir, 'assets/app-1a2b.js.br')))).toBe(true);
    expect(zlib.brotliDecompressSync(r.body).toString()).toBe(JS);
  });

  it('sends the gzip copy when Brotli is not accepted or not written', async () => {
    const js = await get(`${base}/assets/app-1a2b.js`, { 'accept-encoding': 'gzip, deflate' });
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(js.body).toString()).toBe(JS);
    const css = await get(`${base}/assets/only-gz-3c4d.css`, { 'accept-encoding': 'br, gzip' });
    expect(css.headers['content-encoding']).toBe('gzip');
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(zlib.gunzipSync(css.body).toString()).toBe(CSS);
  });

  it('sends the file itself to a client that accepts no encoding', async () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { 'accept-encoding': 'identity' },
      { 'accept-encoding': 'br;q=0, gzip;q=0' },
    ]) {
      const r = await get(`${base}/assets/app-1a2b.js`, headers);
      expect(r.status).toBe(200);
      expect(r.headers['content-encoding']).toBeUndefined();
      expect(r.body.toString()).toBe(JS);
    }
  });

  it('still compresses an asset with no copy, per request', async () => {
    const r = await get(`${base}/assets/plain-5e6f.js`, { 'accept-encoding': 'gzip' });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(r.body).toString()).toBe(JS);
  });

  it('answers HEAD with the headers of the copy and no body', async () => {
    const r = await get(`${base}/assets/app-1a2b.js`, { 'accept-encoding': 'br' }, 'HEAD');
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.body.length).toBe(0);
  });

  it('sends a copy written after a first request for it (a miss is not remembered)', async () => {
    const small = 'export const late = 1;\n'.repeat(100); // under the 8 kB compression threshold
    const file = path.join(tmp.dir, 'assets', 'late-7a8b.js');
    fs.writeFileSync(file, small);
    const before = await get(`${base}/assets/late-7a8b.js`, { 'accept-encoding': 'br' });
    expect(before.headers['content-encoding']).toBeUndefined(); // no copy yet: the file itself
    fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(small));
    const after = await get(`${base}/assets/late-7a8b.js`, { 'accept-encoding': 'br' });
    expect(after.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(after.body).toString()).toBe(small);
  });

  it('serves nothing outside assets/ and no copy by its own name as an asset', async () => {
    const up = await get(`${base}/assets/..%2Findex.html`, { 'accept-encoding': 'br, gzip' });
    expect([403, 404]).toContain(up.status);
    expect(up.headers['content-encoding']).toBeUndefined();
    expect(up.body.toString()).not.toContain('<title>高平</title>');
    const copy = await get(`${base}/assets/app-1a2b.js.br.gz`, { 'accept-encoding': 'br, gzip' });
    expect(copy.status).toBe(404);
    const missing = await get(`${base}/assets/nope-0000.js`, { 'accept-encoding': 'br, gzip' });
    expect(missing.status).toBe(404);
    expect(missing.headers['content-encoding']).toBeUndefined();
  });
});
