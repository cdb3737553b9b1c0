// The charts' figures: GET /api/stats?groupBy=township (the shared KPI formulas, as the leader
// statistics read them) over the figures counted from the cases on screen, which stand in where
// the API has nothing. Computed as soon as the API answers (its figures do not wait for the case
// list), again when the cases have loaded, then at most every few seconds however fast events
// arrive (debounced, with a ceiling so a steady stream still updates them), and when a new day
// begins in Shanghai, events or not (the 30 days move on, today starts at nought). `ready` turns true at
// the first of those: the screen mounts its charts then, not with placeholder figures. The volume
// chart's today (`volumeStats`) follows 今日线索 beside it at once, event by event (the screen draws
// that chart `immediate`, in the same frame as the counter, not at the next idle moment).
import { computed, onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import { api, ApiError } from '@/api/http';
import { useCasesStore } from '@/stores/cases';
import { useGeoStore } from '@/stores/geo';
import { mergeApiStats, statsFromCases, withTodayCount, type ScreenStats } from '@/lib/screen-stats';
import type { ScreenCounters } from '@/lib/kpi';
import { shanghaiDay } from '@shared/time';
import { screenStatsPath } from '@/lib/screen-requests';
import { onNewShanghaiDay } from '@/lib/shanghai-time';
import { useNow } from './use-now';

const DEBOUNCE_MS = 3000;
const MAX_WAIT_MS = 10_000;

/** `kpis`: today's counters as the screen shows them (useScreenKpis). */
export function useScreenStats(kpis: Ref<ScreenCounters>) {
  const cases = useCasesStore();
  const geo = useGeoStore();
  const stats = shallowRef<ScreenStats>(statsFromCases([], Date.now(), []));
  const ready = ref(false);
  /**
   * The statistics API has not answered (down, refused): the figures are counted from the cases on
   * screen, by rules of their own (the 30 days' cases held, a nearest-rank P90), and the charts say
   * 估算 so they are not read as the leader page's.
   */
  const estimated = ref(false);
  let apiStats: unknown = null;
  let apiMissing = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let firstPending = 0;
  let disposed = false;

  async function fetchApi(): Promise<void> {
    if (apiMissing) return;
    try {
      apiStats = await api(screenStatsPath(Date.now()));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) apiMissing = true;
    }
  }

  function recompute(): void {
    if (disposed) return;
    stats.value = mergeApiStats(statsFromCases(cases.byId.values(), Date.now(), geo.townships), apiStats);
    estimated.value = apiStats === null;
  }

  /** The figures are in (from the API, or the cases have loaded): compute and mark them ready. */
  function show(): void {
    recompute();
    ready.value = true;
  }

  async function refresh(): Promise<void> {
    timer = null;
    firstPending = 0;
    await fetchApi();
    recompute();
  }

  /** Debounced, but never later than MAX_WAIT_MS after the first change (a steady stream). */
  function schedule(): void {
    if (cases.loadState !== 'ready') return;
    const now = Date.now();
    if (!firstPending) firstPending = now;
    if (timer) clearTimeout(timer);
    timer = setTimeout(refresh, Math.max(0, Math.min(DEBOUNCE_MS, firstPending + MAX_WAIT_MS - now)));
  }

  // The API's figures are asked for while the cases load and shown when they come; the count from
  // the cases (where the API has nothing) follows the load.
  const first = fetchApi();
  void first.then(() => {
    if (apiStats && cases.loadState !== 'ready') show();
  });
  watch(
    () => cases.loadState,
    (s) => {
      if (s === 'ready') void first.then(show);
    },
    { immediate: true },
  );
  watch(() => cases.revision, schedule);
  // The minute clock the counters tick on (one shared timer).
  const minute = useNow(60_000);
  onNewShanghaiDay(minute, () => void refresh());
  // The township names arrive with the map layers; they do not make the figures ready by themselves.
  watch(
    () => geo.townships,
    () => {
      if (ready.value) recompute();
    },
  );
  onBeforeUnmount(() => {
    disposed = true;
    if (timer) clearTimeout(timer);
  });
  // Today's point follows the counter beside it at once (the rest waits for the next read). A
  // number: the chart's option is only rebuilt when the count changes, not on every event.
  const today = computed(() => (cases.loadState === 'ready' ? kpis.value.cluesToday : null));
  const volumeStats = computed(() =>
    withTodayCount(
      stats.value,
      today.value === null ? null : { day: shanghaiDay(minute.value), count: today.value },
    ),
  );
  // `stats` for the other charts: they are not counted beside them, and redrawing all four on
  // every new clue would cost the wall for nothing.
  return { stats, volumeStats, ready, estimated };
}
