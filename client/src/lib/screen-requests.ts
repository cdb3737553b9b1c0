// The big screen's first requests, built in one place: its stores and composables ask for them,
// and the router asks for them early (`prefetchScreen`, see api/http.ts `prefetch`) while the
// screen's JavaScript loads, so the answers are on their way before MapLibre and ECharts have run.
import { caseListPath } from '../api/case-list';
import { prefetch } from '../api/http';
import { OPEN_STATES } from './case-model';
import { DAY_MS, startOfShanghaiDay } from '../../../shared/time';

const MINUTE_MS = 60_000;

/**
 * The charts' figures: the last 30 days, today included (GET /api/stats counts whole Shanghai
 * days, so `to` is today's start: the same path all day, whoever asks). compare=none: the screen
 * shows no 环比, so the server spares the previous period's reading and replay.
 */
export function screenStatsPath(now: number): string {
  const today = startOfShanghaiDay(now);
  return `/api/stats?from=${today - 29 * DAY_MS}&to=${today}&groupBy=township&compare=none`;
}

/** Where the screen's window of closed and rejected cases starts: 30 days back, to the minute. */
export function caseListSince(now: number): number {
  return Math.floor((now - 30 * DAY_MS) / MINUTE_MS) * MINUTE_MS;
}

/**
 * The case list's streams: open cases by state (any age), the closed and rejected ones of the
 * last 30 days (from the start of a minute, so an early request and the store's ask match), and
 * those closed or rejected since the Shanghai day began, whenever reported (a case reported 40 days
 * ago and closed today is in 今日结案 after a reload, or on a wall opened later, as it was live).
 * Largest first: a browser runs six requests to a server at a time, so the streams go in two
 * waves, and a stream of more than one page asks for its next page only when its first is in.
 * The 30 days of closed cases and the states a case spends longest in (the end of the lifecycle)
 * start in the first wave, so their further pages overlap the small streams' first ones instead
 * of following them.
 */
export function caseListQueries(now: number): string[] {
  const since = caseListSince(now);
  return [
    `status=closed,rejected&from=${since}`,
    ...[...OPEN_STATES].reverse().map((s) => `status=${s}`),
    `status=closed,rejected&statusFrom=${startOfShanghaiDay(now)}`,
  ];
}

/**
 * What the screen asks for first, in order: what the map cannot start without (the basemap
 * setting, the county, its townships), the teams and the charts' figures, then the first page of
 * each case stream at low priority (a browser opens six connections to a server).
 */
export function prefetchScreen(now = Date.now()): void {
  for (const path of ['/api/map-config', '/api/geo/county', '/api/geo/townships', '/api/teams'])
    prefetch(path);
  prefetch(screenStatsPath(now));
  for (const q of caseListQueries(now)) prefetch(caseListPath(q, null), 'low');
}
