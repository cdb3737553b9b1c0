// 登记线索: a clue the command centre registers itself (a 12345 transfer, a call, a walk-in), while
// it is being written: open or not, and the point picked on the map. The form (ClueForm) and the
// map's picker (CluePicker) share it; the case layer leaves map clicks to the picker meanwhile.
import { defineStore } from 'pinia';
import { ref } from 'vue';

export const useClueDraftStore = defineStore('clueDraft', () => {
  const open = ref(false);
  const point = ref<[number, number] | null>(null);
  /** A place the form asked the map to show ([west, south, east, north]), the caller's words found. */
  const focus = ref<[number, number, number, number] | null>(null);
  function start(): void {
    open.value = true;
    point.value = null;
    focus.value = null;
  }
  function close(): void {
    open.value = false;
    point.value = null;
    focus.value = null;
  }
  /** Bumped when a case is chosen elsewhere while the form is open: the form says to finish first. */
  const nudged = ref(0);
  function nudge(): void {
    nudged.value++;
  }
  return { open, point, focus, start, close, nudged, nudge };
});
