// 登记线索: a clue the command centre registers itself (a 12345 transfer, a call, a walk-in), while
// it is being written: open or not, and the point picked on the map. The form (ClueForm) and the
// map's picker (CluePicker) share it; the case layer leaves map clicks to the picker meanwhile.
import { defineStore } from 'pinia';
import { ref } from 'vue';

export const useClueDraftStore = defineStore('clueDraft', () => {
  const open = ref(false);
  const point = ref<[number, number] | null>(null);
  function start(): void {
    open.value = true;
    point.value = null;
  }
  function close(): void {
    open.value = false;
    point.value = null;
  }
  return { open, point, start, close };
});
