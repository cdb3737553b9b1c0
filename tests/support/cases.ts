// Helpers for case tests: points inside a given township (away from its boundary), clue bodies,
// and calls to the case endpoints.
import type { GeoIndex } from '../../server/geo/types';
import { expect } from 'vitest';
import type { CaseView, Clue } from '../../shared/cases';
import { call } from './auth';
import type { TestServer } from './server';

const pointCache = new WeakMap<GeoIndex, Map<string, Array<[number, number]>>>();

/** Micro-grid centroids that locate inside `township` and not near its boundary, in code order. */
export function pointsIn(geo: GeoIndex, township: string, count = 1): Array<[number, number]> {
  let byTownship = pointCache.get(geo);
  if (!byTownship) pointCache.set(geo, (byTownship = new Map()));
  let pts = byTownship.get(township);
  if (!pts) {
    pts = [];
    const features = geo.layer('micro').features.filter((f) => f.properties?.townshipCode === township);
    for (const f of features) {
      const unit = geo.unit(String(f.properties!.code));
      if (!unit) continue;
      const j = geo.locate(unit.centroid[0], unit.centroid[1]);
      if (j && j.township.code === township && !j.nearBoundary && !j.dedicated.length)
        pts.push(unit.centroid);
    }
    byTownship.set(township, pts);
  }
  if (pts.length < count) throw new Error(`only ${pts.length} inner points in ${township}`);
  return pts.slice(0, count);
}

export function pointIn(geo: GeoIndex, township: string, index = 0): [number, number] {
  return pointsIn(geo, township, index + 1)[index]!;
}

/** A point within BOUNDARY_METERS of a township boundary (nearBoundary), searched on a fine grid. */
export function pointNearBoundary(geo: GeoIndex, township: string): [number, number] {
  const [lng0, lat0] = pointIn(geo, township);
  for (let r = 1; r < 4000; r++) {
    for (const [dx, dy] of [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
    ] as const) {
      const lng = lng0 + dx * r * 0.00005;
      const lat = lat0 + dy * r * 0.00005;
      const j = geo.locate(lng, lat);
      if (j?.nearBoundary) return [lng, lat];
    }
  }
  throw new Error(`no near-boundary point found from ${township}`);
}

export function clueAt(point: [number, number], over: Partial<Clue> = {}): Clue {
  return {
    lng: point[0],
    lat: point[1],
    matterCode: 'SR01',
    description: '路边占道经营，水果摊占用人行道',
    source: 'grid_worker',
    ...over,
  };
}

export function report(server: TestServer, token: string | null, body: unknown) {
  return call(server.url, token, 'POST', '/api/clues', body);
}

export function act(server: TestServer, token: string | null, caseId: string, body: Record<string, unknown>) {
  return call(server.url, token, 'POST', `/api/cases/${caseId}/actions`, body);
}

/** An action on `c` at the version it holds, by `token`; it must be taken (200): the case after it. */
export async function actOn(
  server: TestServer,
  token: string,
  c: Pick<CaseView, 'id' | 'version'>,
  body: Record<string, unknown>,
): Promise<CaseView> {
  const r = await act(server, token, c.id, { ...body, version: c.version });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.case as CaseView;
}

/** How many cases the server's database holds: a refused request must leave it as it was. */
export async function countCases(server: TestServer): Promise<number> {
  const r = await server.store.db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function getCase(server: TestServer, token: string | null, caseId: string) {
  return call(server.url, token, 'GET', `/api/cases/${caseId}`);
}

/**
 * A 12345 hotline clue of `matterCode` at the `index`th inner point of `township`, reported by
 * `token` and dispatched at once by its route (auto-dispatch): the case as stored.
 */
export async function reportDispatched(
  server: TestServer,
  token: string,
  township: string,
  matterCode: string,
  index: number,
): Promise<CaseView> {
  const r = await report(
    server,
    token,
    clueAt(pointIn(server.handle.ctx.geo, township, index), { matterCode, source: 'hotline_12345' }),
  );
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const c = (r.body as { case: CaseView }).case;
  expect(c.status).toBe('dispatched');
  return c;
}
