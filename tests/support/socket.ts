// Real socket.io-client connections for tests, and waiting for events (never sleeping).
import { io, type Socket } from 'socket.io-client';
import type { CaseEventMessage, ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connectSocket(
  url: string,
  token: string | undefined,
  opts: { reconnection?: boolean } = {},
): ClientSocket {
  return io(url, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: opts.reconnection ?? false,
    forceNew: true,
  });
}

/** Resolves with the first `event` payload matching `predicate`, or rejects after `timeoutMs`. */
export function waitFor<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  predicate: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`no '${String(event)}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!predicate(...args)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(args[0]);
    };
    socket.on(event, handler as never);
  });
}

/** Resolves with the reason of the socket's next disconnect; rejects after `timeoutMs`. */
export function waitDisconnected(socket: ClientSocket, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${timeoutMs} ms`)), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

export function waitConnected(socket: ClientSocket, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    const timer = setTimeout(() => reject(new Error('socket did not connect')), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Collects every payload of `event` into an array, for asserting on what arrived (and what did not). */
export function collect<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
): Array<Parameters<ServerToClientEvents[E]>[0]> {
  const seen: Array<Parameters<ServerToClientEvents[E]>[0]> = [];
  socket.on(event, ((arg: Parameters<ServerToClientEvents[E]>[0]) => seen.push(arg)) as never);
  return seen;
}

/** Every case event the socket receives (`case:events` packets, flattened), in arrival order. */
export function collectCaseEvents(socket: ClientSocket): CaseEventMessage[] {
  const seen: CaseEventMessage[] = [];
  socket.on('case:events', (events) => seen.push(...events));
  return seen;
}

/** Resolves with the first case event matching `predicate`, whichever packet brings it. */
export async function waitForCaseEvent(
  socket: ClientSocket,
  predicate: (e: CaseEventMessage) => boolean,
  timeoutMs = 5000,
): Promise<CaseEventMessage> {
  const packet = await waitFor(socket, 'case:events', (events) => events.some(predicate), timeoutMs);
  return packet.find(predicate)!;
}
