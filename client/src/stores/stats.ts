// 领导驾驶舱: the filters, and what GET /api/stats answers for them — this period, the one it is
// compared with (环比's previous one of the same length, or 同比's same days last year), each township — shown as answered, never recomputed; the cases behind the
// figures for the heatmap and the drill-down, asked for with the instants the answer measured.
import { computed, markRaw, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { CaseView } from '@shared/cases';
import {
  previousRankingRows,
  rankingRows,
  type DepartmentKpis,
  type MeasureKey,
  type StatsReport,
  type TownshipKpis,
} from '@shared/kpi';
import type { Matter } from '@shared/matters';
import { compareCodes } from '@shared/codes';
import { api, ApiError } from '@/api/http';
import { loadMatters } from '@/api/matters';
import { customPeriod, presetPeriod, type Period, type Preset } from '@/lib/leader/periods';
import {
  casesQuery,
  matchesFilters,
  statsQuery,
  NO_FILTERS,
  type LeaderFilters,
  type RankedUnit,
} from '@/lib/leader/query';
import type { SortDir } from '@/lib/leader/ranking';

export type TownshipRow = TownshipKpis & { short?: string };
/** A ranking row's unit with its name: what the drill-down lists the cases of. */
export type DrillUnit = RankedUnit & { name: string };

/** Cases drawn on the heatmap at most (newest first). */
const HEAT_MAX = 5000;
/** Cases listed in a drill-down at most. */
const DRILL_MAX = 5000;

export const useStatsStore = defineStore('stats', () => {
  const preset = ref<Preset | 'custom'>('30d');
  const customRange = ref<{ first: string; last: string }>({ first: '', last: '' });
  /** 环比 or 同比: 今年 is compared with last year's same days, the other presets with the period before. */
  const compare = ref<'previous' | 'year'>('previous');
  const filters = ref<LeaderFilters>({ ...NO_FILTERS });
  /** GET /api/stats for the filters, per township (and, on the county's page, per department). */
  const report = shallowRef<StatsReport | null>(null);
  /** The filters `report` was computed with (the drill-down must ask with the same). */
  let reportFilters: LeaderFilters = { ...NO_FILTERS };
  const heat = shallowRef<Array<{ lng: number; lat: number }>>([]);
  /**
   * Whether the heatmap's cases are in: until the first are, its count is not 0 but still coming
   * (a refresh keeps the count it has until the new one is in).
   */
  const heatState = ref<'loading' | 'ready' | 'failed'>('loading');
  /** The heatmap holds the newest HEAT_MAX of more cases (a year of a busy county): said beside it. */
  const heatTruncated = ref(false);
  const matters = shallowRef<Matter[]>([]);
  const townships = shallowRef<Array<{ code: string; name: string }>>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const sort = ref<{ key: MeasureKey; dir: SortDir }>({ key: 'volume', dir: 'desc' });
  /** The ranking shown: the townships (by location), or the county departments (by 承办部门). */
  const rankBy = ref<'township' | 'department'>('township');
  /** Drill-down: a ranked unit's cases, then one case with its timeline. */
  const drillUnit = ref<DrillUnit | null>(null);
  const drillCases = shallowRef<CaseView[]>([]);
  const drillLoading = ref(false);
  /** More cases matched than the drill-down lists. */
  const drillTruncated = ref(false);
  const drillCase = shallowRef<CaseView | null>(null);
  let generation = 0;
  /**
   * The moment the presets end at: set at each load, so a refresh after midnight asks for the new
   * day (a computed over Date.now() alone would keep the day the page was opened on).
   */
  const clock = ref(Date.now());

  /** The period the filters ask for (the answer's own `from`/`to` are what was measured). */
  const period = computed<Period>(() => {
    if (preset.value === 'custom') {
      const p = customPeriod(customRange.value.first, customRange.value.last);
      if (p) return p;
    }
    return presetPeriod(preset.value === 'custom' ? '30d' : preset.value, clock.value);
  });
  const current = computed(() => report.value);
  const previous = computed(() => report.value?.previous ?? null);
  /** The ranking table's rows, as the export writes them (rankingRows). */
  const townshipRows = computed<TownshipRow[]>(() => (report.value ? rankingRows(report.value) : []));
  /** The departments' ranking (the county's report only): empty elsewhere. */
  const departmentRows = computed<DepartmentKpis[]>(() => report.value?.departments ?? []);
  /**
   * The ranking shown, on the compared period (名次较上期): null where the answer gives none (no
   * comparison, or the compared period is no basis).
   */
  const previousRows = computed<TownshipRow[] | null>(() =>
    report.value
      ? previousRankingRows(report.value, showsDepartments.value ? 'department' : 'township')
      : null,
  );
  /**
   * A township's or department's page (本单位统计): its unit, which the filters are fixed to (a
   * township's figures are of its own township); null on the county's page.
   */
  const unit = ref<{ kind: 'township' | 'department'; code: string } | null>(null);
  /** The ranking shows the county departments: on the county's page, 部门 chosen. */
  const showsDepartments = computed(() => !unit.value && rankBy.value === 'department');

  /**
   * The page opened by `scope`: its unit fixed, and everything of another signed-in user's page (the
   * same tab, signed out and in again) forgotten: the filters, the answer, the drill-down.
   */
  function setScope(scope: { kind: 'county' } | { kind: 'township' | 'department'; code: string }): void {
    const next = scope.kind === 'county' ? null : { kind: scope.kind, code: scope.code };
    if (next?.kind === unit.value?.kind && next?.code === unit.value?.code) return;
    unit.value = next;
    generation++;
    filters.value = { ...NO_FILTERS, township: next?.kind === 'township' ? next.code : '' };
    report.value = null;
    heat.value = [];
    heatState.value = 'loading';
    drillUnit.value = null;
    drillCases.value = [];
    drillCase.value = null;
    rankBy.value = 'township';
  }
  /** Whether a ranking row opens its cases: a township lists only its own (the others are figures only). */
  function canOpen(code: string): boolean {
    return unit.value?.kind !== 'township' || unit.value.code === code;
  }
  /** A ranking row opened: a township's or (on the county's page) a department's cases. */
  function openRow(row: { code: string; name: string }): Promise<void> {
    return openUnit({ kind: rankBy.value, ...row });
  }
  const matterByCode = computed(() => markRaw(new Map(matters.value.map((m) => [m.code, m]))));

  async function loadReference(): Promise<void> {
    const [m, t] = await Promise.all([
      loadMatters().catch((): Matter[] => []),
      api<{ features: Array<{ properties: { code: string; name: string } }> }>('/api/geo/townships').catch(
        () => ({ features: [] }),
      ),
    ]);
    matters.value = m;
    townships.value = t.features
      .map((f) => ({ code: String(f.properties.code), name: String(f.properties.name) }))
      .sort((a, b) => compareCodes(a.code, b.code));
  }

  /**
   * Every figure for the current filters; a newer call supersedes an older one still running.
   * `quiet` (the page's own refresh of a running period): no 正在统计…, and the drill-down keeps
   * the case open in it, its list read again in place; a failure leaves the figures shown.
   */
  async function load(quiet = false): Promise<void> {
    const gen = ++generation;
    clock.value = Date.now();
    if (!quiet) {
      loading.value = true;
      error.value = null;
    }
    const f = { ...filters.value };
    try {
      const r = await api<StatsReport>(
        `/api/stats?${statsQuery(period.value, f, [
          // The county's page ranks its departments too; a unit's page (本单位统计) has no such ranking.
          ['groupBy', unit.value ? 'township' : 'township,department'],
          ['compare', compare.value],
        ])}`,
      );
      if (gen !== generation) return;
      report.value = markRaw(r);
      reportFilters = f;
      error.value = null;
      void loadHeat(gen);
      if (drillUnit.value) void (quiet ? reloadDrill(drillUnit.value) : openUnit(drillUnit.value));
    } catch (err) {
      if (gen === generation && !quiet) error.value = err instanceof ApiError ? err.message : String(err);
    } finally {
      if (gen === generation) loading.value = false;
    }
  }

  /** The page's refresh of a running period: skipped while a load the leader asked for is running. */
  async function refresh(): Promise<void> {
    if (loading.value) return;
    await load(true);
  }

  /** The cases of a stats answer's range and filters, newest first, every page up to `max`. */
  async function casesOf(
    r: StatsReport,
    f: LeaderFilters,
    max: number,
    unit?: RankedUnit,
  ): Promise<{ items: CaseView[]; truncated: boolean }> {
    const items: CaseView[] = [];
    let cursor: string | null = null;
    const query = casesQuery(r, f, unit);
    do {
      const page: { items: CaseView[]; nextCursor: string | null } = await api(
        `/api/cases?${query}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      items.push(...page.items.filter((c) => matchesFilters(c, f)));
      cursor = page.nextCursor;
    } while (cursor && items.length < max);
    return { items: items.slice(0, max), truncated: !!cursor || items.length > max };
  }

  async function loadHeat(gen: number): Promise<void> {
    const r = report.value;
    if (!r) return;
    try {
      const { items, truncated } = await casesOf(r, reportFilters, HEAT_MAX);
      if (gen !== generation) return;
      heatTruncated.value = truncated;
      heat.value = markRaw(items.map((c) => ({ lng: c.lng, lat: c.lat })));
      heatState.value = 'ready';
    } catch {
      if (gen !== generation) return;
      heat.value = [];
      heatState.value = 'failed';
    }
  }

  const sameUnit = (a: RankedUnit | null, b: RankedUnit) => a?.kind === b.kind && a.code === b.code;

  async function openUnit(t: DrillUnit | null): Promise<void> {
    if (t && t.kind === 'township' && !canOpen(t.code)) return;
    drillUnit.value = t;
    drillCase.value = null;
    const r = report.value;
    if (!t || !r) {
      drillCases.value = [];
      return;
    }
    drillLoading.value = true;
    try {
      const { items, truncated } = await casesOf(r, reportFilters, DRILL_MAX, t);
      if (!sameUnit(drillUnit.value, t) || report.value !== r) return;
      drillCases.value = markRaw(items);
      drillTruncated.value = truncated;
    } finally {
      if (sameUnit(drillUnit.value, t)) drillLoading.value = false;
    }
  }

  /** The drill-down's list read again for the new answer, the case open in it kept (and re-read). */
  async function reloadDrill(t: DrillUnit): Promise<void> {
    const r = report.value;
    if (!r) return;
    const open = drillCase.value?.id;
    try {
      const [{ items, truncated }, c] = await Promise.all([
        casesOf(r, reportFilters, DRILL_MAX, t),
        open ? api<{ case: CaseView }>(`/api/cases/${encodeURIComponent(open)}`).catch(() => null) : null,
      ]);
      if (!sameUnit(drillUnit.value, t) || report.value !== r) return;
      drillCases.value = markRaw(items);
      drillTruncated.value = truncated;
      if (c && drillCase.value?.id === open) drillCase.value = markRaw(c.case);
    } catch {
      // The list shown stays: the next refresh tries again.
    }
  }

  async function openCase(id: string | null): Promise<void> {
    if (!id) {
      drillCase.value = null;
      return;
    }
    const r = await api<{ case: CaseView }>(`/api/cases/${encodeURIComponent(id)}`);
    drillCase.value = markRaw(r.case);
  }

  return {
    preset,
    customRange,
    compare,
    filters,
    period,
    report,
    current,
    previous,
    townshipRows,
    departmentRows,
    previousRows,
    showsDepartments,
    rankBy,
    unit,
    setScope,
    canOpen,
    heat,
    heatState,
    heatTruncated,
    matters,
    matterByCode,
    townships,
    loading,
    error,
    /** When the figures shown (or being read) were asked for, by this browser's clock. */
    askedAt: computed(() => clock.value),
    sort,
    drillUnit,
    drillCases,
    drillLoading,
    drillTruncated,
    drillCase,
    loadReference,
    load,
    refresh,
    openUnit,
    openRow,
    openCase,
  };
});
