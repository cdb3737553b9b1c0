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
    asking.value = false;
  }
  /** Whether the form holds words the operator wrote (set by the form while it is open). */
  let written: () => boolean = () => false;
  function guard(isWritten: () => boolean): void {
    written = isWritten;
  }
  /** The form asks 放弃已填写的内容？ before a close would throw away what was written. */
  const asking = ref(false);
  /** ×, 取消, Esc or the 登记线索 button again: close, unless words were written (then ask). */
  function requestClose(): void {
    if (open.value && written()) asking.value = true;
    else close();
  }
  /** Bumped when a case is chosen elsewhere while the form is open: the form says to finish first. */
  const nudged = ref(0);
  function nudge(): void {
    nudged.value++;
  }
  return { open, point, focus, start, close, requestClose, asking, guard, nudged, nudge };
});
