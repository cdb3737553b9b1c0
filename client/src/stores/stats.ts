// 领导驾驶舱: the filters, and what GET /api/stats answers for them (this period, the previous one
// of the same length, and each township), the cases for the heatmap and the drill-down.
import { computed, markRaw, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { CaseView } from '@shared/cases';
import type { Kpis } from '@shared/kpi';
import type { Matter } from '@shared/matters';
import type { MeasureKey } from '@shared/measures';
import { api, ApiError } from '@/api/http';
import { customPeriod, presetPeriod, previousPeriod, type Period, type Preset } from '@/lib/leader/periods';
import { casesQuery, statsQuery, NO_FILTERS, type LeaderFilters } from '@/lib/leader/query';
import type { SortDir } from '@/lib/leader/ranking';

export interface TownshipRow {
  code: string;
  name: string;
  kpis: Kpis | null;
}

/** Cases drawn on the heatmap at most (newest first). */
const HEAT_MAX = 5000;

export const useStatsStore = defineStore('stats', () => {
  const preset = ref<Preset | 'custom'>('30d');
  const customRange = ref<{ first: string; last: string }>({ first: '', last: '' });
  const filters = ref<LeaderFilters>({ ...NO_FILTERS });
  const current = shallowRef<Kpis | null>(null);
  const previous = shallowRef<Kpis | null>(null);
  const townshipRows = shallowRef<TownshipRow[]>([]);
  const heat = shallowRef<Array<{ lng: number; lat: number }>>([]);
  const matters = shallowRef<Matter[]>([]);
  const townships = shallowRef<Array<{ code: string; name: string }>>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const sort = ref<{ key: MeasureKey; dir: SortDir }>({ key: 'volume', dir: 'desc' });
  /** Drill-down: a township's cases, then one case with its timeline. */
  const drillTownship = ref<{ code: string; name: string } | null>(null);
  const drillCases = shallowRef<CaseView[]>([]);
  const drillTotal = ref(0);
  const drillCase = shallowRef<CaseView | null>(null);
  let generation = 0;

  const period = computed<Period>(() => {
    if (preset.value === 'custom') {
      const p = customPeriod(customRange.value.first, customRange.value.last);
      if (p) return p;
    }
    return presetPeriod(preset.value === 'custom' ? '30d' : preset.value, Date.now());
  });
  const previousRange = computed(() => previousPeriod(period.value));
  const matterByCode = computed(() => markRaw(new Map(matters.value.map((m) => [m.code, m]))));

  async function loadReference(): Promise<void> {
    const [m, t] = await Promise.all([
      api<{ matters: Matter[] }>('/api/matters').catch(() => ({ matters: [] })),
      api<{ features: Array<{ properties: { code: string; name: string } }> }>('/api/geo/townships').catch(
        () => ({ features: [] }),
      ),
    ]);
    matters.value = m.matters;
    townships.value = t.features
      .map((f) => ({ code: String(f.properties.code), name: String(f.properties.name) }))
      .sort((a, b) => a.code.localeCompare(b.code));
  }

  /** Every figure for the current filters; a newer call supersedes an older one still running. */
  async function load(): Promise<void> {
    const gen = ++generation;
    loading.value = true;
    error.value = null;
    const p = period.value;
    const f = filters.value;
    try {
      const rows = townships.value.filter((t) => !f.township || t.code === f.township);
      const [cur, prev, per] = await Promise.all([
        api<Kpis>(`/api/stats?${statsQuery(p, f)}`),
        api<Kpis>(`/api/stats?${statsQuery(previousPeriod(p), f)}`),
        // The ranking: /api/stats once per township, so each row equals what /api/stats says for it.
        Promise.all(
          rows.map(async (t) => ({
            ...t,
            kpis: await api<Kpis>(`/api/stats?${statsQuery(p, { ...f, township: t.code })}`).catch(
              () => null,
            ),
          })),
        ),
      ]);
      if (gen !== generation) return;
      current.value = markRaw(cur);
      previous.value = markRaw(prev);
      townshipRows.value = per;
      void loadHeat(gen);
      if (drillTownship.value) void openTownship(drillTownship.value);
    } catch (err) {
      if (gen === generation) error.value = err instanceof ApiError ? err.message : String(err);
    } finally {
      if (gen === generation) loading.value = false;
    }
  }

  async function pages(
    query: string,
    max: number,
    keep: (c: CaseView) => boolean,
  ): Promise<{ items: CaseView[]; total: number }> {
    const items: CaseView[] = [];
    let cursor: string | null = null;
    let total = 0;
    do {
      const r: { items: CaseView[]; total: number; nextCursor: string | null } = await api(
        `/api/cases?${query}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      total = r.total;
      items.push(...r.items.filter(keep));
      cursor = r.nextCursor;
    } while (cursor && items.length < max);
    return { items: items.slice(0, max), total };
  }

  const inDomain = (c: CaseView) => !filters.value.domain || c.domain === filters.value.domain;

  async function loadHeat(gen: number): Promise<void> {
    try {
      const r = await pages(casesQuery(period.value, filters.value), HEAT_MAX, inDomain);
      if (gen === generation) heat.value = markRaw(r.items.map((c) => ({ lng: c.lng, lat: c.lat })));
    } catch {
      if (gen === generation) heat.value = [];
    }
  }

  async function openTownship(t: { code: string; name: string } | null): Promise<void> {
    drillTownship.value = t;
    drillCase.value = null;
    if (!t) {
      drillCases.value = [];
      return;
    }
    const r = await pages(casesQuery(period.value, filters.value, t.code), 500, inDomain);
    if (drillTownship.value?.code !== t.code) return;
    drillCases.value = markRaw(r.items);
    drillTotal.value = r.items.length;
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
    filters,
    period,
    previousRange,
    current,
    previous,
    townshipRows,
    heat,
    matters,
    matterByCode,
    townships,
    loading,
    error,
    sort,
    drillTownship,
    drillCases,
    drillTotal,
    drillCase,
    loadReference,
    load,
    openTownship,
    openCase,
  };
});
