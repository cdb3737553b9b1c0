// The screen's Socket.IO connection and what the header shows of it: live, reconnecting,
// resyncing (fetching what was missed before trusting live events again), offline.
import { ref, shallowRef, markRaw } from 'vue';
import { defineStore } from 'pinia';
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@shared/realtime';
import { useCasesStore } from './cases';
import { useTeamsStore } from './teams';

export type ConnectionState = 'offline' | 'connecting' | 'live' | 'reconnecting' | 'resyncing';
type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const useConnectionStore = defineStore('connection', () => {
  const state = ref<ConnectionState>('offline');
  const lastError = ref<string | null>(null);
  const connectedAt = ref<number | null>(null);
  const socket = shallowRef<ClientSocket | null>(null);

  async function connect(token: string): Promise<void> {
    if (socket.value) return;
    state.value = 'connecting';
    const { io } = await import('socket.io-client');
    const cases = useCasesStore();
    const teams = useTeamsStore();
    const s: ClientSocket = markRaw(
      io({ auth: { token }, transports: ['websocket'], reconnectionDelayMax: 5000 }),
    );
    socket.value = s;
    s.on('connect', () => {
      lastError.value = null;
      connectedAt.value = Date.now();
      state.value = 'resyncing';
      void cases.resync().finally(() => {
        if (s.connected) state.value = 'live';
      });
    });
    s.on('disconnect', (reason) => {
      // 'io client disconnect' is ours (leaving the screen); anything else is the network.
      state.value = reason === 'io client disconnect' ? 'offline' : 'reconnecting';
    });
    s.on('connect_error', (err) => {
      lastError.value = err.message;
      state.value = s.active ? 'reconnecting' : 'offline';
    });
    s.on('team:positions', (updates) => teams.applyPositions(updates));
    // Case events: whatever their name (`case:event`, `case:events`, `case:updated` …), each
    // carries its seq; the cases store parses and orders them.
    s.onAny((event: string, payload: unknown) => {
      if (event.startsWith('case')) cases.ingest(payload);
    });
  }

  function disconnect(): void {
    socket.value?.removeAllListeners();
    socket.value?.offAny();
    socket.value?.disconnect();
    socket.value = null;
    state.value = 'offline';
  }

  return { state, lastError, connectedAt, socket, connect, disconnect };
});
