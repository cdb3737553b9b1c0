// A page's live connection as its header and banner show it (the big screen's, a desk's): live;
// connecting (at first); reconnecting (the socket is down and retrying); resyncing (connected again,
// fetching what was missed before live events are trusted again); offline (signed out, or the
// server refused the session). `downSince` is when the page last stopped being live (or began
// connecting), `lostAt` when it lost a live connection: what the page shows is as of then.
import { ref } from 'vue';

export type ConnectionState = 'offline' | 'connecting' | 'live' | 'reconnecting' | 'resyncing';

export function useDowntime() {
  const state = ref<ConnectionState>('offline');
  /** Not live since (connecting at first, or since the connection was lost); null while live. */
  const downSince = ref<number | null>(null);
  /** When the live connection was lost (null: live, or never live yet): the data is as of then. */
  const lostAt = ref<number | null>(null);

  /** Connecting for the first time: down from now, with nothing lost yet. */
  function connecting(): void {
    state.value = 'connecting';
    downSince.value = Date.now();
    lostAt.value = null;
  }
  function setLive(): void {
    state.value = 'live';
    downSince.value = null;
    lostAt.value = null;
  }
  /** The socket dropped and is retrying: down (and lost) since the first drop, not the latest. */
  function reconnecting(): void {
    state.value = 'reconnecting';
    const now = Date.now();
    downSince.value ??= now;
    lostAt.value ??= now;
  }
  /** Disconnected on purpose (leaving the page, signing out): nothing is down. */
  function stopped(): void {
    state.value = 'offline';
    downSince.value = null;
    lostAt.value = null;
  }

  return { state, downSince, lostAt, connecting, setLive, reconnecting, stopped };
}
