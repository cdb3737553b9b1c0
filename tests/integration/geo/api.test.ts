// GET /api/jurisdiction and GET /api/geo/:layer on a real server with the 高平市 pack.
import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jurisdictionSchema } from '../../../shared/geo';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Plain node:http, so the test sees exactly what went over the wire (no automatic gunzip). */
function get(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    http
      .get(`${server.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}
const json = (r: RawResponse) => JSON.parse(r.body.toString('utf8')) as Record<string, unknown>;

describe('GET /api/jurisdiction', () => {
  it('names the township and every grid containing a point in the city centre', async () => {
    const r = await get('/api/jurisdiction?lng=112.935&lat=35.8');
    expect(r.status).toBe(200);
    const j = jurisdictionSchema.parse(json(r));
    expect(j.township).toEqual({ code: '140581002', name: '东城街道' });
    expect(j.micro.code.startsWith(j.second.code)).toBe(true);
    expect(j.second.code.startsWith(j.first.code)).toBe(true);
    expect(j.first.code.startsWith(j.township.code)).toBe(true);
  });

  it('answers 404 with an error outside the county', async () => {
    const r = await get('/api/jurisdiction?lng=116.39&lat=39.91');
    expect(r.status).toBe(404);
    expect(json(r).error).toMatch(/outside 高平市/);
  });

  it.each([
    ['/api/jurisdiction?lat=35.8', 'query.lng'],
    ['/api/jurisdiction?lng=112.9', 'query.lat'],
    ['/api/jurisdiction?lng=abc&lat=35.8', 'query.lng'],
    ['/api/jurisdiction?lng=112.9&lat=', 'query.lat'],
    ['/api/jurisdiction?lng=112.9&lat=95', 'query.lat'],
    ['/api/jurisdiction?lng=-181&lat=35.8', 'query.lng'],
    ['/api/jurisdiction?lng=112.9&lng=113&lat=35.8', 'query.lng'],
  ])('answers 400 naming the bad parameter: %s', async (path, field) => {
    const r = await get(path);
    expect(r.status).toBe(400);
    expect(json(r)).toMatchObject({ field });
    expect(json(r).error).toContain(field);
  });

  it.each([
    ['/api/jurisdiction?lng=181&lat=0', 'query.lng', /out of range: -180 to 180/],
    ['/api/jurisdiction?lng=112.9&lat=-90.5', 'query.lat', /out of range: -90 to 90/],
    ['/api/jurisdiction?lng=1&lng=2&lat=35.8', 'query.lng', /given once/],
    ['/api/jurisdiction?lng=0x70&lat=35.8', 'query.lng', /not a decimal number/],
    ['/api/jurisdiction?lng=1.129e2&lat=35.8', 'query.lng', /not a decimal number/],
    ['/api/jurisdiction?lng=Infinity&lat=35.8', 'query.lng', /not a decimal number/],
    ['/api/jurisdiction?lng=112.9&lat=%20', 'query.lat', /is empty/],
  ])('says what is wrong with the parameter: %s', async (path, field, message) => {
    const r = await get(path);
    expect(r.status).toBe(400);
    expect(json(r)).toMatchObject({ field });
    expect(json(r).error).toMatch(message);
  });

  it('reads decimal degrees with a minus sign or a leading point', async () => {
    expect((await get('/api/jurisdiction?lng=112.935&lat=35.80')).status).toBe(200);
    expect((await get('/api/jurisdiction?lng=-112.935&lat=.5')).status).toBe(404); // outside, read
  });

  it.each(['%2B112.935', '+112.935', '%20112.935', '112.935%20'])(
    'refuses lng=%s: digits, a point and a minus sign only, nothing around them',
    async (lng) => {
      const r = await get(`/api/jurisdiction?lng=${lng}&lat=35.80`);
      expect(r.status).toBe(400);
      expect(json(r)).toMatchObject({ field: 'query.lng' });
      expect(json(r).error).toMatch(/not a decimal number/);
    },
  );
});

describe('GET /api/geo/:layer', () => {
  it('serves a layer gzipped with an ETag and cache headers', async () => {
    const r = await get('/api/geo/townships', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(r.headers.etag).toMatch(/^".+"$/);
    expect(r.headers['cache-control']).toContain('max-age');
    const fc = JSON.parse(zlib.gunzipSync(r.body).toString('utf8')) as { features: unknown[] };
    expect(fc.features).toHaveLength(15);
  });

  it('answers 304 to If-None-Match with the current ETag', async () => {
    const first = await get('/api/geo/micro', { 'Accept-Encoding': 'gzip' });
    expect(first.status).toBe(200);
    expect(first.body.length).toBeLessThan(4_000_000); // gzip makes the 9 MB layer a few MB
    const again = await get('/api/geo/micro', {
      'Accept-Encoding': 'gzip',
      'If-None-Match': first.headers.etag!,
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('serves plain JSON to a client that does not accept gzip', async () => {
    const r = await get('/api/geo/dedicated', { 'Accept-Encoding': 'identity' });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBeUndefined();
    const fc = JSON.parse(r.body.toString('utf8')) as { features: Array<{ properties: { tier: string } }> };
    expect(fc.features.every((f) => f.properties.tier === 'dedicated')).toBe(true);
  });

  it.each(['county', 'townships', 'first', 'second', 'micro', 'dedicated'])(
    'serves the %s layer',
    async (layer) => {
      const r = await get(`/api/geo/${layer}`, { 'Accept-Encoding': 'gzip' });
      expect(r.status).toBe(200);
    },
  );

  it('answers 404 for an unknown layer', async () => {
    const r = await get('/api/geo/roads');
    expect(r.status).toBe(404);
    expect(json(r).error).toContain('townships');
  });
});
