// Socket.IO: authenticate the handshake, join the rooms the user's scope allows (nothing else),
// fan case events and position updates out to the rooms that may see them, and take case actions
// over the socket with the same rules and errors as REST.
import type { Socket } from 'node:net';
import type { Server } from 'socket.io';
import { z } from 'zod';
import type { SessionUser } from '../../shared/auth';
import { caseActionSchema, type PartyRef } from '../../shared/cases';
import {
  COUNTY_ROOM,
  departmentRoom,
  roomsForScope,
  townshipRoom,
  type CaseActAck,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '../../shared/realtime';
import {
  noTeamsChange,
  type TeamPositionUpdate,
  type TeamTaskUpdate,
  type TeamsChange,
} from '../../shared/teams';
import type { TeamOwnerRef } from '../teams/service';
import type { AppContext } from '../context';
import type { CaseEventMessage as BusMessage } from '../events/bus';
import { HttpError, badRequest, fromZodError } from '../http/errors';
import { sessionHolds } from '../auth/session-check';
import { nulError } from '../http/input-guard';
import { batchCaseEvents } from './event-batches';
import { compactRecoveryBuffer, limitRecoveryReplays } from './recovery-buffer';

/**
 * `case:act`: the REST action body under `input`, so errors name `payload.input.<field>`; any other
 * key of the payload is refused as the body's are (`payload.x`), never dropped unseen.
 */
const actRequestSchema = z.strictObject({
  caseId: z.string().min(1).max(64),
  input: caseActionSchema,
});

const partyRoom = (p: { kind: string; code: string }) =>
  p.kind === 'township' ? townshipRoom(p.code) : departmentRoom(p.code);

function isParty(v: unknown): v is PartyRef {
  const p = v as PartyRef | null;
  return (
    !!p &&
    typeof p === 'object' &&
    (p.kind === 'township' || p.kind === 'department') &&
    typeof p.code === 'string'
  );
}

/**
 * Rooms that get a case event: the county, every party of the case as it now is, and a party the
 * event took the task away from (a reassignment's previous assignee, whoever returned it), so its
 * desk learns the task has left.
 */
export function roomsForCaseEvent({ event, caseView }: BusMessage): string[] {
  const rooms = new Set([COUNTY_ROOM, ...caseView.parties.map(partyRoom)]);
  for (const key of ['previous', 'returnedBy'] as const) {
    const p = event.payload[key];
    if (isParty(p)) rooms.add(partyRoom(p));
  }
  return [...rooms];
}

function toAck(err: unknown): CaseActAck {
  if (err instanceof HttpError)
    return { ok: false, status: err.status, error: err.message, ...(err.field ? { field: err.field } : {}) };
  return { ok: false, status: 500, error: 'internal error; try again, and report it if it persists' };
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export function attachRealtime(ctx: AppContext): () => void {
  const io = ctx.io as unknown as IoServer;

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || !token) return next(new Error('unauthorized: auth.token is required'));
    ctx.tokens
      .session(token)
      .then(async (session) => {
        if (!session) return next(new Error('unauthorized: invalid or expired token'));
        if (!(await ctx.sessions.holds(session.user.id, session.sessionGen)))
          return next(new Error(SESSION_ENDED));
        socket.data.user = session.user;
        socket.data.sessionGen = session.sessionGen;
        next();
      })
      .catch((err: Error) => next(err));
  });

  io.on('connection', (socket) => {
    const user = socket.data.user;
    const rooms = roomsForScope(user.scope);
    if (!socket.recovered) void socket.join(rooms);
    // The acknowledgement is the last argument Socket.IO passes: one sent with an extra argument
    // before it was never answered, and the client waited for its own timeout.
    socket.on('ping', (...args: unknown[]) => {
      const ack = args.at(-1);
      if (typeof ack === 'function') ack(ctx.clock.now());
    });
    socket.on('case:act', (...args: unknown[]) => {
      const ack = args.at(-1);
      // Nobody to answer: not done, as a client that cannot hear the outcome cannot handle it.
      if (typeof ack !== 'function') return;
      if (args.length !== 2)
        return ack(
          toAck(badRequest('case:act takes one payload {caseId, input} and an acknowledgement', 'payload')),
        );
      // As over HTTP (http/input-guard.ts): a NUL anywhere, which PostgreSQL text cannot hold.
      const nul = nulError(args[0], 'payload');
      if (nul) return ack(toAck(nul));
      const parsed = actRequestSchema.safeParse(args[0]);
      if (!parsed.success) return ack(toAck(fromZodError(parsed.error, 'payload')));
      ctx.cases.act(user, parsed.data.caseId, parsed.data.input).then(
        (view) => ack({ ok: true, case: view }),
        (err: unknown) => {
          if (!(err instanceof HttpError)) ctx.logger.error({ err }, 'socket case action failed');
          ack(toAck(err));
        },
      );
    });
    socket.emit('hello', { user, rooms });
  });

  coalesceWrites(io);
  const maxQueued = Math.round(ctx.config.SOCKET_MAX_BUFFER_MB * 1024 * 1024);
  const stopLimit = limitSendQueues(ctx, io, maxQueued);
  const stopSessionCheck = endEndedSessions(ctx, io);
  compactRecoveryBuffer(io, {
    maxBytes: Math.round(ctx.config.SOCKET_RECOVERY_BUFFER_MB * 1024 * 1024),
    maxAgeMs: RECOVERY_WINDOW_MS,
    skipEvents: new Set(['team:positions']),
  });
  limitRecoveryReplays(ctx, io, maxQueued / 2);
  recoverOwnSessionsOnly(ctx, io);
  const unheard = unheardRooms(io);
  const offPositions = ctx.teams.onPositions((updates: TeamPositionUpdate[]) =>
    broadcastByOwner(ctx, updates, (room, list) => io.to(room).emit('team:positions', list), unheard),
  );
  const offTeams = ctx.teams.onTeamsChanged((change, owners) => broadcastTeamsChange(io, change, owners));
  const offTasks = ctx.teams.onTasks((updates: TeamTaskUpdate[]) =>
    broadcastByOwner(ctx, updates, (room, list) => io.to(room).emit('team:tasks', list), unheard),
  );
  // After commit, in seq order within this process, batched per room (event-batches.ts); Redis
  // carries each packet to the other processes.
  const batches = batchCaseEvents((room, events) => {
    if (!unheard(room)) io.to(room).emit('case:events', events);
  });
  const offCases = ctx.bus.on('case:event', (msg) => {
    batches.add(roomsForCaseEvent(msg), { ...msg.event, case: msg.caseView });
  });
  const offHandovers = ctx.bus.on('handover', (h) => {
    io.to(COUNTY_ROOM).emit('handover', h);
  });
  return () => {
    offHandovers();
    offCases();
    batches.flush(); // what this turn committed still goes out
    stopLimit();
    stopSessionCheck();
    offPositions();
    offTeams();
    offTasks();
  };
}

/** A session as the adapter keeps it for connection state recovery (what this file reads of it). */
interface KeptSession {
  sid: string;
  rooms: string[];
  data: Partial<SocketData> | undefined;
}

/**
 * Connection state recovery finds a session by its id alone (the handshake's `auth.pid` and
 * `auth.offset`), and Socket.IO rejoins its rooms and writes its missed packets to the wire when it
 * creates the socket, before any middleware has read the token: a handshake naming another
 * account's session (or its own from before its scope was changed or it was disabled) got that
 * session's missed case events even with a bad token, and, with any valid token, its rooms for as
 * long as it stayed connected. So a session is looked up only for a handshake whose token holds now
 * (as the io.use check reads it), and given back only to the account it was kept for, with the rooms
 * that account's scope has now; any other handshake gets a new session and resyncs over HTTP, as
 * after a longer absence. Wraps the namespace's `_createSocket` (Socket.IO 4's own method, the one
 * that restores): without it, no session is restored at all.
 */
function recoverOwnSessionsOnly(ctx: AppContext, io: IoServer): void {
  const nsp = io.of('/') as unknown as {
    _createSocket?: (client: unknown, auth: Record<string, unknown>) => Promise<unknown>;
    adapter: { restoreSession(pid: string, offset: string): Promise<KeptSession | null> };
    sockets: Map<string, unknown>;
    _preConnectSockets?: Map<string, unknown>;
  };
  const restore = nsp.adapter.restoreSession.bind(nsp.adapter);
  /**
   * The account a handshake being created may recover a session of, by the session's id; `null`
   * while its token is being read (the id is taken: a second handshake naming it gets a new session).
   */
  const claims = new Map<string, SessionUser | null>();
  nsp.adapter.restoreSession = async (pid, offset) => {
    const user = claims.get(pid);
    if (!user) return null;
    const session = await restore(pid, offset);
    if (!session || session.data?.user?.id !== user.id) return null;
    // Once: the in-memory adapter keeps a session after giving it back (Redis's deletes it), and two
    // sockets of one id leave one of them deaf (the namespace holds one socket per id).
    if (nsp.sockets.has(session.sid) || nsp._preConnectSockets?.has(session.sid)) return null;
    const kept = session.rooms.filter((r) => r !== session.sid).sort();
    const now = roomsForScope(user.scope).sort();
    return kept.length === now.length && kept.every((r, i) => r === now[i]) ? session : null;
  };
  const create = nsp._createSocket?.bind(nsp);
  if (!create) return;
  nsp._createSocket = async (client, auth) => {
    const pid = auth?.pid;
    // No restore is asked for without both (Socket.IO's own rule): nothing to check.
    if (typeof pid !== 'string' || typeof auth.offset !== 'string') return create(client, auth);
    if (claims.has(pid)) return create(client, withoutRecovery(auth));
    claims.set(pid, null); // taken before the token's read: a second handshake may not race it
    try {
      const user = await liveUser(ctx, auth.token);
      if (!user) return await create(client, withoutRecovery(auth));
      claims.set(pid, user);
      return await create(client, auth);
    } finally {
      claims.delete(pid);
    }
  };
}

/** The handshake's auth without what asks for a session to be recovered. */
function withoutRecovery(auth: Record<string, unknown> | undefined): Record<string, unknown> {
  const { pid: _pid, offset: _offset, ...rest } = auth ?? {};
  return rest;
}

/** The account of a token whose session holds now, or null. */
async function liveUser(ctx: AppContext, token: unknown): Promise<SessionUser | null> {
  if (typeof token !== 'string' || !token) return null;
  try {
    const session = await ctx.tokens.session(token);
    if (!session || !(await ctx.sessions.holds(session.user.id, session.sessionGen))) return null;
    return session.user;
  } catch {
    return null;
  }
}

/** Why a handshake, or a connection, of a session that has ended is refused (the client signs out). */
const SESSION_ENDED =
  'unauthorized: the session has ended (the password, role or scope was changed, or the account disabled); sign in again';

/**
 * A socket is checked when it connects; an account disabled, or whose password was changed, after
 * that would go on receiving events. Every SESSION_CHECK_MS this process reads the state of the
 * accounts its sockets belong to (one query for the distinct users; SessionCheck keeps the answer
 * for the HTTP requests too) and disconnects the sockets of sessions that have ended. Each process
 * checks its own sockets, so it works the same with several processes behind Redis, and whoever made
 * the change (the `users` command runs in its own process). The disconnect is a server one: the
 * client reconnects, is refused (SESSION_ENDED), and signs out.
 */
function endEndedSessions(ctx: AppContext, io: IoServer): () => void {
  let running = false;
  const check = async (): Promise<void> => {
    const sockets = [...io.of('/').sockets.values()].filter((s) => s.data.user);
    if (!sockets.length) return;
    const states = await ctx.sessions.read([...new Set(sockets.map((s) => s.data.user.id))]);
    for (const socket of sockets) {
      const { user, sessionGen } = socket.data;
      if (socket.connected && !sessionHolds(states.get(user.id) ?? null, sessionGen)) {
        ctx.logger.info(
          { socket: socket.id, user: user.username },
          'session ended (password, role or scope changed, or account disabled): socket disconnected',
        );
        socket.disconnect(true);
      }
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    check()
      .catch((err: unknown) => ctx.logger.warn({ err }, 'checking the sessions of open sockets failed'))
      .finally(() => {
        running = false;
      });
  }, ctx.config.SESSION_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Clients that drop for up to this long get the missed packets replayed (connection state
 * recovery, as far as SOCKET_RECOVERY_BUFFER_MB holds them); beyond that they resync over HTTP
 * from their last sequence number (GET /api/events?after=).
 */
export const RECOVERY_WINDOW_MS = 2 * 60 * 1000;

/** How often every connection's send queue is measured. */
export const SEND_QUEUE_CHECK_MS = 250;

/**
 * A client that does not read as fast as events are produced (a saturated machine, a congested
 * link, a frozen tab) would make the server queue frames for it without bound. Every
 * SEND_QUEUE_CHECK_MS each connection's queue is measured (engine.io's packets not yet handed to
 * the transport, plus what the WebSocket has not yet written to the kernel); past `maxBytes` the
 * client is disconnected, nothing is dropped from a connection that stays open. The disconnect is
 * a server one, so no session is kept for connection state recovery (which would replay the whole
 * backlog into the same queue): the client reconnects (socket.io-client does it by itself after a
 * transport close; the dashboard and tests also after "io server disconnect") and fetches what it
 * missed over HTTP (GET /api/events?after=<its cursor>), at the pace it reads.
 */
function limitSendQueues(ctx: AppContext, io: IoServer, maxBytes: number): () => void {
  if (!maxBytes) return () => undefined;
  const timer = setInterval(() => {
    for (const socket of io.of('/').sockets.values()) {
      const conn = socket.conn as unknown as EngineConnection;
      const queued = queuedBytes(conn, maxBytes);
      if (queued <= maxBytes) continue;
      ctx.logger.warn(
        {
          socket: socket.id,
          user: socket.data.user?.username,
          queuedBytes: queued,
          maxBytes,
          transport: conn.transport.name,
        },
        'slow client disconnected: more than SOCKET_MAX_BUFFER_MB queued for it; it resyncs over HTTP when it reconnects',
      );
      socket.disconnect(true); // "server namespace disconnect": no session is kept for recovery
      conn.close(true); // drop the queued packets now, not once they are sent
      conn.transport.socket?.terminate?.(); // and the WebSocket's unsent bytes
    }
  }, SEND_QUEUE_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** Bytes queued for one connection, counted up to just past `limit` (no need to go further). */
export function queuedBytes(conn: EngineConnection, limit = Infinity): number {
  let n = conn.transport.socket?.bufferedAmount ?? 0;
  for (const p of conn.writeBuffer) {
    if (n > limit) break;
    const frame = p.options?.wsPreEncodedFrame;
    if (frame) for (const b of frame) n += b.length;
    else if (typeof p.data === 'string') n += Buffer.byteLength(p.data);
    else if (p.data) n += p.data.byteLength;
  }
  return n;
}

/**
 * One write per connection per burst instead of one per event. Socket.IO writes each frame to each
 * connection with its own system call; the events of one intake batch (two per clue, several clues
 * per commit under load) and the packets engine.io queues while a connection's previous write is in
 * flight would each cost one. Corking the connection when engine.io starts flushing to it and
 * uncorking once the current work is done (process.nextTick, so nothing waits for a timer) sends
 * them in one writev. Those calls dominate fan-out: in bench:realtime (515 clients) this halves the
 * server's CPU time per clue.
 */
function coalesceWrites(io: IoServer): void {
  io.engine.on('connection', (conn: EngineConnection) => {
    // A connection opened straight on WebSocket (the dashboard's only transport) writes its frames
    // to the socket of its upgrade request; one upgraded from polling is left as it is.
    const tcp = conn.request.socket;
    if (conn.transport.name !== 'websocket' || !tcp) return;
    let corked = false;
    const uncork = () => {
      corked = false;
      tcp.uncork();
    };
    conn.on('flush', () => {
      if (corked || tcp.destroyed) return;
      corked = true;
      tcp.cork();
      process.nextTick(uncork);
    });
  });
}

/**
 * What this file uses of an engine.io connection: `request`, `transport`, 'flush' and `close` are
 * public API; `writeBuffer` (the packets not yet handed to the transport) is engine.io's own field,
 * and `transport.socket` is the `ws` WebSocket of a websocket transport.
 */
export interface EngineConnection {
  request: { socket?: Socket };
  transport: { name: string; socket?: { bufferedAmount?: number; terminate?: () => void } };
  writeBuffer: Array<{
    data?: string | ArrayBufferLike | ArrayBufferView;
    options?: { wsPreEncodedFrame?: Buffer[] };
  }>;
  on(event: 'flush', listener: () => void): void;
  close(discard?: boolean): void;
}

/**
 * A room nobody can hear: no connection in it and no session kept for connection state recovery
 * (which would replay the packet to a client coming back). A packet to such a room would be
 * encoded, framed and kept for recovery for nobody: at 1,000 clues/s with no dashboard open that was
 * a tenth of the server's CPU. Known only with the in-memory adapter; with Redis (scale-out) the
 * room may have members in another process, so every packet is sent.
 */
export function unheardRooms(io: IoServer): (room: string) => boolean {
  const adapter = io.of('/').adapter as unknown as {
    rooms: Map<string, Set<string>>;
    sessions?: unknown;
    packets?: unknown;
  };
  const local = adapter.sessions instanceof Map && Array.isArray(adapter.packets);
  if (!local) return () => false;
  const sessions = adapter.sessions as Map<string, unknown>;
  return (room) => sessions.size === 0 && !adapter.rooms.get(room)?.size;
}

/**
 * Teams added, changed, retired, put back or removed, to this process's own sockets only
 * (`io.local`): every process sees the change at its own re-read of the teams and tells its own
 * screens, so none hears it twice. The county room hears all of it, each owner's room of its own
 * teams (a township's screen never learns of another's team).
 */
function broadcastTeamsChange(
  io: IoServer,
  change: TeamsChange,
  owners: ReadonlyMap<string, TeamOwnerRef>,
): void {
  io.local.to(COUNTY_ROOM).emit('teams:changed', change);
  const byRoom = new Map<string, TeamsChange>();
  const partOf = (id: string): TeamsChange | undefined => {
    const owner = owners.get(id);
    if (!owner) return undefined;
    const room = partyRoom(owner);
    let c = byRoom.get(room);
    if (!c) byRoom.set(room, (c = noTeamsChange()));
    return c;
  };
  for (const key of ['retired', 'restored', 'removed'] as const)
    for (const id of change[key]) partOf(id)?.[key].push(id);
  for (const key of ['added', 'updated'] as const)
    for (const team of change[key]) partOf(team.id)?.[key].push(team);
  for (const [room, c] of byRoom) io.local.to(room).emit('teams:changed', c);
}

/** Team updates to the county room, and each to its team's owner's room. */
function broadcastByOwner<U extends { teamId: string }>(
  ctx: AppContext,
  updates: U[],
  send: (room: string, list: U[]) => void,
  unheard: (room: string) => boolean,
): void {
  if (!unheard(COUNTY_ROOM)) send(COUNTY_ROOM, updates);
  const byRoom = new Map<string, U[]>();
  for (const u of updates) {
    const owner = ctx.teams.ownerOf(u.teamId);
    if (!owner) continue;
    const room = partyRoom(owner);
    let list = byRoom.get(room);
    if (!list) byRoom.set(room, (list = []));
    list.push(u);
  }
  for (const [room, list] of byRoom) if (!unheard(room)) send(room, list);
}
