// The Socket.IO contract, typed once for both sides: Server<ClientToServerEvents, ServerToClientEvents>
// on the server, Socket<ServerToClientEvents, ClientToServerEvents> on the client.
import { z } from 'zod';
import type { Scope, SessionUser } from './auth';
import type { CaseEvent, CaseView } from './cases';
import type { Handover } from './handovers';
import { queryInt, queryObject } from './query';
import type { TeamPositionUpdate, TeamTaskUpdate, TeamsChange } from './teams';

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

/**
 * One case event as clients receive it, live (in `case:events` packets) and on resync (`GET
 * /api/events`): the stored audit event plus the case. Live, `case` is the case right after this
 * event; on resync it is the case as it is now. Either way keep, per case, the snapshot with the
 * highest `case.version`.
 */
export interface CaseEventMessage extends CaseEvent {
  case: CaseView;
}

/** `GET /api/events?after=&limit=`: what the caller may see after `after`, in seq order. */
export const eventsQuerySchema = queryObject({
  after: queryInt(0, Number.MAX_SAFE_INTEGER).default(0),
  limit: queryInt(1, 1000).default(500),
});
export type EventsQuery = z.infer<typeof eventsQuerySchema>;

export interface EventsPage {
  events: CaseEventMessage[];
  /** The cursor to pass as `after` next time (the last seq covered, visible or not). */
  lastSeq: number;
  /** More events wait beyond `lastSeq`: fetch again. */
  more: boolean;
  /**
   * The newest committed seq (every event up to it has committed). A client that has just loaded
   * its cases may start following from a head it read before that load: `after=<head>`.
   */
  head: number;
}

/** `case:act`: the REST case action (POST /api/cases/:id/actions) over the socket. */
export interface CaseActRequest {
  caseId: string;
  /** The same body as the REST action: `{action, version?, ...}`. */
  input: Record<string, unknown>;
}

/** The acknowledgement of a socket action: the case, or the REST status and error. */
export type CaseActAck =
  { ok: true; case: CaseView } | { ok: false; status: number; error: string; field?: string };

export interface ServerToClientEvents {
  hello: (msg: HelloMessage) => void;
  'team:positions': (updates: TeamPositionUpdate[]) => void;
  /**
   * Teams whose current task changed (a start, an arrival, a resolve …), to the county room and each
   * team's owner's room, from the process that committed the case event.
   */
  'team:tasks': (updates: TeamTaskUpdate[]) => void;
  /**
   * Teams added, updated, retired, put back or removed (`npm run teams`, or another process), to
   * the county room and each team's owner's room, by every process once its re-read of the teams
   * sees it (within about a second: TEAM_VERSION_POLL_MS, server/teams/service.ts).
   */
  'teams:changed': (change: TeamsChange) => void;
  /**
   * Case events in seq order: those committed together (one intake batch, actions at the same
   * moment) arrive as one packet, at most 10 to a packet (server/realtime/event-batches.ts).
   */
  'case:events': (events: CaseEventMessage[]) => void;
  /** 交接班: a handover made or taken, to the county room (the command centre's screens, leaders). */
  handover: (handover: Handover) => void;
}

export interface ClientToServerEvents {
  ping: (ack: (serverTime: number) => void) => void;
  'case:act': (req: CaseActRequest, ack: (result: CaseActAck) => void) => void;
}

export interface SocketData {
  user: SessionUser;
  /** The account's session generation the token was issued under (server/auth/session-check.ts). */
  sessionGen: number;
}
