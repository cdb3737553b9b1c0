// The Socket.IO contract, typed once for both sides: Server<ClientToServerEvents, ServerToClientEvents>
// on the server, Socket<ServerToClientEvents, ClientToServerEvents> on the client.
import type { Scope, SessionUser } from './auth';
import type { TeamPositionUpdate } from './teams';

/** Room names: the command centre and leaders see the county; others their own party. */
export const COUNTY_ROOM = 'county';
export const townshipRoom = (code: string) => `township:${code}`;
export const departmentRoom = (code: string) => `department:${code}`;

export function roomsForScope(scope: Scope): string[] {
  if (scope.kind === 'county') return [COUNTY_ROOM];
  return [scope.kind === 'township' ? townshipRoom(scope.code) : departmentRoom(scope.code)];
}

export interface HelloMessage {
  user: SessionUser;
  rooms: string[];
}

export interface ServerToClientEvents {
  hello: (msg: HelloMessage) => void;
  'team:positions': (updates: TeamPositionUpdate[]) => void;
}

export interface ClientToServerEvents {
  ping: (ack: (serverTime: number) => void) => void;
}

export interface SocketData {
  user: SessionUser;
}
