// The leader's filters as query strings. GET /api/stats and its exports read `from`/`to` as
// Shanghai days, both inclusive. The case lists behind a figure (drill-down, heatmap) ask
// GET /api/cases with the instants the stats answer says it measured, `start` ≤ createdAt < `end`
// (that endpoint's `to` is exclusive), so a list holds exactly the cases the figure counts.
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

/** `from=2026-11-01&to=2026-11-30&township=…` for /api/stats and /api/stats/export.*. */
export function statsQuery(
  p: Period,
  f: LeaderFilters,
  extra: Array<[string, string | undefined]> = [],
): string {
  return params([
    ['from', p.from],
    ['to', p.to],
    ['township', f.township],
    ['domain', f.domain],
    ['source', f.source],
    ...extra,
  ]);
}

/** A ranking row's unit: a township (by location) or a county department (by 承办部门). */
export interface RankedUnit {
  kind: 'township' | 'department';
  code: string;
}

/**
 * The same cases for /api/cases: the measured instants, the township and source, and a ranking
 * row's unit — a township's cases located in it, a department's assigned to it now (the filters'
 * township kept). /api/cases has no domain filter: keep the rows with `matchesFilters`. A period
 * still running was measured up to its answer's `asOf`: the list stops there too (a case reported
 * since made 南城街道's 26 a list of 27 until the next minute's figures).
 */
export function casesQuery(
  range: { start: number; end: number; asOf?: number },
  f: LeaderFilters,
  unit?: RankedUnit,
): string {
  return params([
    ['from', range.start],
    ['to', range.asOf === undefined ? range.end : Math.min(range.end, range.asOf + 1)],
    ['township', unit?.kind === 'township' ? unit.code : f.township],
    ['assignee', unit?.kind === 'department' ? `department:${unit.code}` : undefined],
    ['source', f.source],
  ]);
}

/** Whether a listed case is one the figures count (the domain filter /api/cases cannot apply). */
export function matchesFilters(c: { domain: string }, f: LeaderFilters): boolean {
  return !f.domain || c.domain === f.domain;
}
