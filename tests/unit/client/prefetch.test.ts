// Early answers: the router asks for the screen's first requests while its JavaScript loads; the
// screen's own ask for the same path takes that answer once, fresh, and of the same session.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, prefetch, setToken } from '../../../client/src/api/http';
import { caseListPath } from '../../../client/src/api/case-list';
import { caseListQueries, prefetchScreen, screenStatsPath } from '../../../client/src/lib/screen-requests';

const asked: Array<{ url: string; auth: string | undefined; priority: string | undefined }> = [];

beforeEach(() => {
  asked.length = 0;
  setToken('t1');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit & { priority?: string }) => {
      const auth = (init.headers as Record<string, string>).Authorization;
      asked.push({ url, auth, priority: init.priority });
      if (url === '/missing') return new Response('{"error":"没有"}', { status: 404 });
      return new Response(JSON.stringify({ url, n: asked.length }), { status: 200 });
    }),
  );
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('prefetch', () => {
  it('answers the first GET of the same path from the early request, once', async () => {
    prefetch('/api/teams');
    expect(asked.map((a) => a.url)).toEqual(['/api/teams']);
    expect(await api('/api/teams')).toEqual({ url: '/api/teams', n: 1 });
    expect(asked).toHaveLength(1); // no second request
    expect(await api('/api/teams')).toEqual({ url: '/api/teams', n: 2 }); // taken: asked again
  });

  it('asks again when the early answer is stale or the session changed, and never for a POST', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    prefetch('/a');
    vi.setSystemTime(1_000_000 + 10_001);
    await api('/a');
    expect(asked.map((a) => a.url)).toEqual(['/a', '/a']);
    prefetch('/b');
    setToken('t2');
    await api('/b');
    expect(asked.slice(2).map((a) => [a.url, a.auth])).toEqual([
      ['/b', 'Bearer t1'],
      ['/b', 'Bearer t2'],
    ]);
    prefetch('/c');
    await api('/c', { body: { x: 1 } });
    expect(asked.slice(4).map((a) => a.url)).toEqual(['/c', '/c']);
  });

  it('hands an early failure to whoever takes it, and is no unhandled error otherwise', async () => {
    prefetch('/missing');
    await expect(api('/missing')).rejects.toBeInstanceOf(ApiError);
    prefetch('/missing'); // never taken: must not reject unhandled (Vitest would fail the run)
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
});

describe('the screen’s first requests', () => {
  it('are the paths the screen then asks for: the same stats path all day, the case streams within a minute', () => {
    const morning = Date.UTC(2026, 11, 1, 0, 30); // 08:30 in Shanghai
    const evening = Date.UTC(2026, 11, 1, 15, 59); // 23:59 in Shanghai
    expect(screenStatsPath(morning)).toBe(screenStatsPath(evening));
    expect(screenStatsPath(morning)).not.toBe(screenStatsPath(evening + 60_000)); // the next day
    expect(caseListQueries(morning)).toEqual(caseListQueries(morning + 20_000));
    expect(caseListQueries(morning)).toHaveLength(9);
    // Largest first (closed in 30 days, then the end of the lifecycle), awaiting dispatch last of
    // the open ones; then those finished since the day began, whenever reported (今日结案).
    expect(caseListQueries(morning)[0]).toMatch(/^status=closed,rejected&from=/);
    expect(caseListQueries(morning).slice(1)).toEqual([
      'status=resolved',
      'status=rectifying',
      'status=in_progress',
      'status=accepted',
      'status=dispatched',
      'status=returned',
      'status=reported',
      `status=closed,rejected&statusFrom=${Date.UTC(2026, 10, 30, 16, 0)}`, // 12-01 00:00 Shanghai
    ]);
  });

  it('sends the map’s and charts’ requests first and the case pages at low priority', () => {
    const now = Date.UTC(2026, 11, 1, 2, 0);
    prefetchScreen(now);
    expect(asked.slice(0, 5).map((a) => [a.url, a.priority])).toEqual([
      ['/api/map-config', undefined],
      ['/api/geo/county', undefined],
      ['/api/geo/townships', undefined],
      ['/api/teams', undefined],
      [screenStatsPath(now), undefined],
    ]);
    expect(asked.slice(5).map((a) => [a.url, a.priority])).toEqual(
      caseListQueries(now).map((q) => [caseListPath(q, null), 'low']),
    );
  });
});
