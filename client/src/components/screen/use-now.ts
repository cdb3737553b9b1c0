// A clock ref that ticks (for countdowns and the header clock), stopped with the component. All
// components asking for the same period share one timer, on the wall clock's second, so the
// header clock and every countdown change in the same task (one re-render a second, not several).
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

interface Ticker {
  now: Ref<number>;
  users: number;
  timer: ReturnType<typeof setTimeout> | null;
}
const tickers = new Map<number, Ticker>();

function start(period: number, t: Ticker): void {
  const tick = (): void => {
    t.now.value = Date.now();
    t.timer = setTimeout(tick, period - (Date.now() % period));
  };
  t.timer = setTimeout(tick, period - (Date.now() % period));
}

export function useNow(intervalMs = 1000): Ref<number> {
  let t = tickers.get(intervalMs);
  if (!t) tickers.set(intervalMs, (t = { now: ref(Date.now()), users: 0, timer: null }));
  const ticker = t;
  onMounted(() => {
    if (ticker.users++ === 0) {
      ticker.now.value = Date.now();
      start(intervalMs, ticker);
    }
  });
  onBeforeUnmount(() => {
    if (--ticker.users === 0 && ticker.timer) {
      clearTimeout(ticker.timer);
      ticker.timer = null;
    }
  });
  return ticker.now;
}
