// Today's counters, counted once from the cases on screen: on every change, and each minute (a day
// boundary moves them). The counters panel shows them; the 30-day chart's today point reads the
// same count, so the two never disagree and the store is not walked twice per event.
import { computed, type ComputedRef } from 'vue';
import { useCasesStore } from '@/stores/cases';
import { countScreenKpis, type ScreenCounters } from '@/lib/kpi';
import { useNow } from './use-now';

export function useScreenKpis(): ComputedRef<ScreenCounters> {
  const cases = useCasesStore();
  const now = useNow(60_000);
  return computed(() => {
    void cases.revision;
    return countScreenKpis(cases.byId.values(), now.value);
  });
}
