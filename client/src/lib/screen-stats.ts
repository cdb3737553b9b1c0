// The figures the big screen's charts show, from GET /api/stats when it answers with them and
// otherwise counted from the cases the screen holds, so the charts are never blank.
import { isOpen, type CaseItem } from './case-model';
import { lastDays } from './shanghai-time';
import { shanghaiDay } from '../../../shared/time';
import { compareCodes } from '../../../shared/codes';

export interface TownshipRate {
  code: string;
  name: string;
  ordered: number;
  rectified: number;
  /** rectified ÷ ordered, 0–1; null when nothing was ordered */
  rate: number | null;
}
export interface TownshipResponse {
  code: string;
  name: string;
  /** minutes, dispatch → arrival on site */
  medianMin: number | null;
  p90Min: number | null;
  samples: number;
}
export interface ScreenStats {
  days: string[];
  volume: number[];
  rectification: TownshipRate[];
  response: TownshipResponse[];
  domains: Array<{ name: string; value: number }>;
}

/**
 * Whether any township has a response time to draw: the API lists every township, with no median
 * where no team arrived in the 30 days (a new county, a quiet month). Without one the chart is
 * axes only, and says so.
 */
export function hasResponseFigures(s: Pick<ScreenStats, 'response'>): boolean {
  return s.response.some((r) => r.medianMin !== null || r.p90Min !== null);
}

/**
 * The figures with today's point set to the count beside them (今日线索, counted from the cases on
 * screen as each event lands): the charts' figures are read again only every few seconds, and the
 * same number must not read 4 in one panel and 3 in the next. Only when the chart's last day is
 * that day (around midnight the figures may still be yesterday's).
 */
export function withTodayCount(s: ScreenStats, today: { day: string; count: number } | null): ScreenStats {
  if (!today || s.days.at(-1) !== today.day || s.volume.at(-1) === today.count) return s;
  return { ...s, volume: [...s.volume.slice(0, -1), today.count] };
}

/** Nearest-rank percentile of sorted values (the rule shared/kpi.ts states for P90). */
export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function statsFromCases(
  cases: Iterable<CaseItem>,
  now: number,
  townships: Array<{ code: string; name: string }>,
): ScreenStats {
  const days = lastDays(now, 30);
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const volume = days.map(() => 0);
  const rect = new Map(townships.map((t) => [t.code, { ...t, ordered: 0, rectified: 0 }]));
  const resp = new Map(townships.map((t) => [t.code, [] as number[]]));
  const domains = new Map<string, number>();
  for (const c of cases) {
    const i = dayIndex.get(shanghaiDay(c.createdAt));
    if (i !== undefined) volume[i]!++;
    domains.set(c.domain || '其他', (domains.get(c.domain || '其他') ?? 0) + 1);
    const t = c.location?.township;
    if (!t) continue;
    if (!rect.has(t.code)) rect.set(t.code, { code: t.code, name: t.name, ordered: 0, rectified: 0 });
    if (c.deadlines.rectify !== null) {
      const r = rect.get(t.code)!;
      r.ordered++;
      if (c.status !== 'rectifying' && c.status !== 'rejected') r.rectified++;
    }
    if (c.dispatchedAt !== null && c.arrivedAt !== null && c.arrivedAt >= c.dispatchedAt) {
      if (!resp.has(t.code)) resp.set(t.code, []);
      resp.get(t.code)!.push((c.arrivedAt - c.dispatchedAt) / 60_000);
    }
  }
  const names = new Map([...rect.values()].map((r) => [r.code, r.name]));
  return {
    days,
    volume,
    rectification: rankRectification(
      [...rect.values()].map((r) => ({ ...r, rate: r.ordered ? r.rectified / r.ordered : null })),
    ),
    response: [...resp.entries()].map(([code, mins]) => {
      const sorted = mins.sort((a, b) => a - b);
      return {
        code,
        name: names.get(code) ?? code,
        medianMin: percentile(sorted, 50),
        p90Min: percentile(sorted, 90),
        samples: sorted.length,
      };
    }),
    domains: [...domains.entries()]
      .map(([name, value]) => ({ name, value }))
      .sort((a, b) => b.value - a.value),
  };
}

/** Best rate first (比学赶超); townships with nothing ordered go last, by name. */
export function rankRectification(rows: TownshipRate[]): TownshipRate[] {
  return [...rows].sort(
    (a, b) => (b.rate ?? -1) - (a.rate ?? -1) || b.ordered - a.ordered || compareCodes(a.code, b.code),
  );
}

type Raw = Record<string, any>;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Merge what GET /api/stats answers into `base` (the locally counted figures). Unknown or missing
 * parts keep the local figures: the screen works while the stats API is absent or still growing.
 */
export function mergeApiStats(base: ScreenStats, raw: unknown): ScreenStats {
  if (!raw || typeof raw !== 'object') return base;
  const s = raw as Raw;
  const out: ScreenStats = { ...base };
  const byDay: unknown = s.volumeByDay ?? s.volume?.byDay ?? s.caseVolume?.byDay;
  if (Array.isArray(byDay)) {
    const counts = new Map<string, number>();
    for (const d of byDay as Raw[]) {
      const day = String(d.day ?? d.date ?? '');
      const n = num(d.count ?? d.value ?? d.reported);
      if (day && n !== null) counts.set(day.slice(0, 10), n);
    }
    if (counts.size) out.volume = base.days.map((d) => counts.get(d) ?? 0);
  }
  const byDomain: unknown = s.byDomain ?? s.volume?.byDomain ?? s.caseVolume?.byDomain;
  // Either [{name|domain, count|value}] or {domain: count} (what server/cases stats answers).
  const domainRows: Raw[] | null = Array.isArray(byDomain)
    ? (byDomain as Raw[])
    : byDomain && typeof byDomain === 'object'
      ? Object.entries(byDomain as Record<string, unknown>).map(([name, count]) => ({ name, count }))
      : null;
  if (domainRows) {
    const rows = domainRows
      .map((d) => ({ name: String(d.name ?? d.domain ?? ''), value: num(d.count ?? d.value) ?? 0 }))
      .filter((d) => d.name && d.value > 0);
    if (rows.length) out.domains = rows.sort((a, b) => b.value - a.value);
  }
  const byTownship: unknown = s.byTownship ?? s.townships;
  if (Array.isArray(byTownship)) {
    const rows = byTownship as Raw[];
    const rect = rows
      .map((t): TownshipRate | null => {
        const r = t.rectificationRate ?? t.rectification;
        const rate = num(r?.value ?? r?.rate ?? r);
        if (rate === null && !r) return null;
        return {
          code: String(t.code ?? t.township ?? ''),
          name: String(t.name ?? t.code ?? ''),
          ordered: num(r?.ordered ?? r?.denominator) ?? 0,
          rectified: num(r?.rectified ?? r?.numerator) ?? 0,
          rate,
        };
      })
      .filter((x): x is TownshipRate => !!x);
    if (rect.length) out.rectification = rankRectification(rect);
    const resp = rows
      .map((t): TownshipResponse | null => {
        const a = t.responseTime?.arrive ?? t.responseTime?.dispatchToArrival ?? t.arrive;
        if (!a) return null;
        const toMin = (v: unknown) => {
          const n = num(v);
          return n === null ? null : a.unit === 'min' ? n : n / 60_000;
        };
        // shared/kpi Distribution: {count, medianMinutes, p90Minutes}.
        if ('medianMinutes' in a || 'p90Minutes' in a)
          return {
            code: String(t.code ?? ''),
            name: String(t.name ?? t.code ?? ''),
            medianMin: num(a.medianMinutes),
            p90Min: num(a.p90Minutes),
            samples: num(a.count) ?? 0,
          };
        return {
          code: String(t.code ?? ''),
          name: String(t.name ?? t.code ?? ''),
          medianMin: toMin(a.median ?? a.medianMs),
          p90Min: toMin(a.p90 ?? a.p90Ms),
          samples: num(a.count ?? a.n) ?? 0,
        };
      })
      .filter((x): x is TownshipResponse => !!x);
    if (resp.length) out.response = resp;
  }
  return out;
}

/** Open cases only, for the map. */
export const openCases = (cases: Iterable<CaseItem>): CaseItem[] =>
  [...cases].filter((c) => isOpen(c.status));
