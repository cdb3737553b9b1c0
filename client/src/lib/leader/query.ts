// The leader's filters as query strings: GET /api/stats and the export read from/to inclusive;
// GET /api/cases reads `to` exclusive. Periods here are half-open [from, to).
import type { Period } from './periods';

export interface LeaderFilters {
  township: string;
  domain: string;
  source: string;
}

export const NO_FILTERS: LeaderFilters = { township: '', domain: '', source: '' };

function params(pairs: Array<[string, string | number | undefined]>): string {
  return pairs
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
}

/** `from=…&to=…&township=…` for /api/stats and /api/stats/export.* (inclusive `to`). */
export function statsQuery(
  p: Period,
  f: LeaderFilters,
  extra: Array<[string, string | undefined]> = [],
): string {
  return params([
    ['from', p.from],
    ['to', p.to - 1],
    ['township', f.township],
    ['domain', f.domain],
    ['source', f.source],
    ...extra,
  ]);
}

/** The same filters for /api/cases (exclusive `to`; no domain filter there: filter the rows). */
export function casesQuery(p: Period, f: LeaderFilters, township?: string): string {
  return params([
    ['from', p.from],
    ['to', p.to],
    ['township', township ?? f.township],
    ['source', f.source],
  ]);
}
