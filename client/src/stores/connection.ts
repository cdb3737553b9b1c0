// The screen's Socket.IO connection and what the header shows of it (lib/downtime.ts has the
// states, and since when the screen is down: the banner over the wall says what it shows is as of
// then).
import { ref, shallowRef, markRaw } from 'vue';
import { defineStore } from 'pinia';
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@shared/realtime';
import { useCasesStore } from './cases';
import { useTeamsStore } from './teams';
import { useAuthStore } from './auth';
import { useHandoverStore } from './handover';
import { useDowntime } from '@/lib/downtime';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const RESYNC_RETRY_MS = 2000;

export const useConnectionStore = defineStore('connection', () => {
  const { state, downSince, lostAt, connecting, setLive, reconnecting, stopped } = useDowntime();
  const lastError = ref<string | null>(null);
  const connectedAt = ref<number | null>(null);
  const socket = shallowRef<ClientSocket | null>(null);
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  async function connect(token: string): Promise<void> {
    if (socket.value) return;
    connecting();
    const { io } = await import('socket.io-client');
    const cases = useCasesStore();
    const teams = useTeamsStore();
    const auth = useAuthStore();
    const handover = useHandoverStore();
    const s: ClientSocket = markRaw(
      // The session's token as it is at each (re)connection: it is renewed while the page is open.
      io({
        auth: (cb) => cb({ token: auth.token ?? token }),
        transports: ['websocket'],
        reconnectionDelayMax: 5000,
      }),
    );
    socket.value = s;
    let connections = 0;

    // Whatever was missed while away is fetched before live events count again; until the fetch
    // succeeds the header says so, and it is retried while the socket stays up.
    const resync = (): void => {
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      state.value = 'resyncing';
      cases.sync({ live: connections }).then(
        () => {
          if (s.connected) setLive();
        },
        (err: unknown) => {
          lastError.value = err instanceof Error ? err.message : String(err);
          if (s.connected) retryTimer = setTimeout(resync, RESYNC_RETRY_MS);
        },
      );
    };
    s.on('connect', () => {
      lastError.value = null;
      connectedAt.value = Date.now();
      state.value = 'resyncing';
    });
    // Fixes, tasks and team changes; the teams read again after a break (before the resync below).
    teams.listen(s);
    // The server greets a socket once it has joined the rooms of the user's scope: from then on
    // every case event reaches it, so the missed ones can be fetched.
    s.on('hello', () => {
      connections++;
      // 交接班: whether a handover waits, read again after a break (made or taken meanwhile).
      handover.loadLatest().catch(() => undefined);
      resync();
    });
    s.on('disconnect', (reason) => {
      cases.liveLost();
      // A resync retry waiting for this connection is void; the next `hello` resyncs.
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      if (reason === 'io client disconnect') {
        state.value = 'offline';
        return;
      }
      reconnecting();
      // The server closed the socket (a restart, a deploy): Socket.IO does not retry that itself.
      // (Held in retryTimer so that leaving the screen meanwhile cancels it.)
      if (reason === 'io server disconnect') retryTimer = setTimeout(() => s.connect(), 1000);
    });
    s.on('connect_error', (err) => {
      lastError.value = err.message;
      // A refused session will not get better by retrying. The server also disconnects the sockets
      // of a session that has ended (password changed, account disabled), and refuses them when they
      // come back: the server's answer to the session signs the page out then.
      if (/unauthori[sz]ed/i.test(err.message)) {
        s.disconnect();
        state.value = 'offline';
        void auth.confirmSession();
      } else state.value = 'reconnecting';
    });
    s.on('case:events', (events) => cases.ingest(events));
    s.on('handover', (h) => handover.receive(h));
  }

  function disconnect(): void {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    socket.value?.removeAllListeners();
    socket.value?.disconnect();
    socket.value = null;
    stopped();
  }

  return { state, lastError, connectedAt, downSince, lostAt, socket, connect, disconnect };
});
