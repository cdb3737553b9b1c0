// Socket.IO: authenticate the handshake, join the rooms the user's scope allows (nothing else),
// and fan position updates out to the rooms that may see each team.
import type { Server } from 'socket.io';
import {
  COUNTY_ROOM,
  departmentRoom,
  roomsForScope,
  townshipRoom,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '../../shared/realtime';
import type { TeamPositionUpdate } from '../../shared/teams';
import type { AppContext } from '../context';

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export function attachRealtime(ctx: AppContext): () => void {
  const io = ctx.io as unknown as IoServer;

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || !token) return next(new Error('unauthorized: auth.token is required'));
    ctx.tokens.verify(token).then(
      (user) => {
        if (!user) return next(new Error('unauthorized: invalid or expired token'));
        socket.data.user = user;
        next();
      },
      (err: Error) => next(err),
    );
  });

  io.on('connection', (socket) => {
    const user = socket.data.user;
    const rooms = roomsForScope(user.scope);
    if (!socket.recovered) void socket.join(rooms);
    socket.on('ping', (ack) => {
      if (typeof ack === 'function') ack(ctx.clock.now());
    });
    socket.emit('hello', { user, rooms });
  });

  const off = ctx.teams.onPositions((updates) => broadcastPositions(ctx, io, updates));
  return off;
}

function broadcastPositions(ctx: AppContext, io: IoServer, updates: TeamPositionUpdate[]): void {
  io.to(COUNTY_ROOM).emit('team:positions', updates);
  const byRoom = new Map<string, TeamPositionUpdate[]>();
  for (const u of updates) {
    const owner = ctx.teams.ownerOf(u.teamId);
    if (!owner) continue;
    const room = owner.kind === 'township' ? townshipRoom(owner.code) : departmentRoom(owner.code);
    let list = byRoom.get(room);
    if (!list) byRoom.set(room, (list = []));
    list.push(u);
  }
  for (const [room, list] of byRoom) io.to(room).emit('team:positions', list);
}
