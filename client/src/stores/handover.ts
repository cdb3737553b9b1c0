// 交接班 on the big screen (shared/handovers.ts): the shift so far and the last handover, read when
// the screen starts and after each reconnection (GET /api/handovers/current), kept current by the
// county room's `handover` events; handing over and taking over (POST /api/handovers, …/take).
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { HANDOVER_READERS, type CurrentShift, type Handover, type ShiftSummary } from '@shared/handovers';
import { api, ApiError } from '@/api/http';
import { useAuthStore } from './auth';

export const useHandoverStore = defineStore('handover', () => {
  const auth = useAuthStore();
  const latest = ref<Handover | null>(null);
  /** The shift so far as last read (the dialog reads it again each time it opens). */
  const summary = ref<ShiftSummary | null>(null);
  const loaded = ref(false);
  /** The dialog (HandoverDialog), opened from the header's menu or its 待接班. */
  const open = ref(false);
  /** A handover not yet taken over: the header says 待接班 until someone takes it. */
  const waiting = computed(() => (latest.value && !latest.value.taken ? latest.value : null));
  const mayRead = computed(() => !!auth.user && HANDOVER_READERS.includes(auth.user.role));

  /** Each read is numbered: an answer to one overtaken by a newer read, or by reset(), is dropped. */
  let generation = 0;
  let asking: { gen: number; answer: Promise<void> } | null = null;
  /**
   * Reads the shift so far and the last handover. A read on the way is shared, unless `fresh`: after
   * a change (交班, a refused 接班) the answer must be from after it.
   */
  function load(fresh = false): Promise<void> {
    if (!mayRead.value) return Promise.resolve();
    if (asking && !fresh) return asking.answer;
    const gen = ++generation;
    const answer = api<CurrentShift>('/api/handovers/current')
      .then((r) => {
        if (gen !== generation) return;
        summary.value = r.summary;
        receive(r.latest);
        loaded.value = true;
      })
      .finally(() => {
        if (asking?.gen === gen) asking = null;
      });
    asking = { gen, answer };
    return answer;
  }

  /**
   * Whether a handover waits (the header's 待接班): the latest handover alone, read at each
   * (re)connection. The shift's figures are counted only when the dialog asks for them (load).
   */
  function loadLatest(): Promise<void> {
    if (!mayRead.value) return Promise.resolve();
    const gen = generation;
    return api<{ handovers: Handover[] }>('/api/handovers?limit=1').then((r) => {
      if (gen === generation) receive(r.handovers[0] ?? null);
    });
  }

  /** A handover made or taken (live, or an answer): the newer one, or the same one later taken. */
  function receive(h: Handover | null): void {
    if (!h) return;
    const now = latest.value;
    if (now && h.id === now.id) {
      if (!now.taken || h.taken) latest.value = h; // never back to untaken by a late answer
    } else if (!now || h.at > now.at || (h.at === now.at && h.id > now.id)) {
      latest.value = h;
      // A new handover starts a new shift: the figures shown are of the one before.
      if (open.value && summary.value && summary.value.from < h.at) void load(true).catch(() => undefined);
    }
  }

  async function handOver(note: string): Promise<Handover> {
    const r = await api<{ handover: Handover }>('/api/handovers', { method: 'POST', body: { note } });
    receive(r.handover);
    return r.handover;
  }

  /** 接班; taken meanwhile by someone else (409): the record as it is now, then the error. */
  async function take(id: string): Promise<Handover> {
    try {
      const r = await api<{ handover: Handover }>(`/api/handovers/${encodeURIComponent(id)}/take`, {
        method: 'POST',
        body: {},
      });
      receive(r.handover);
      return r.handover;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) await load(true).catch(() => undefined);
      throw err;
    }
  }

  function reset(): void {
    generation++; // an answer still on the way is for a screen that has gone
    asking = null;
    latest.value = null;
    summary.value = null;
    loaded.value = false;
    open.value = false;
  }

  return {
    latest,
    summary,
    loaded,
    open,
    waiting,
    mayRead,
    load,
    loadLatest,
    receive,
    handOver,
    take,
    reset,
  };
});
