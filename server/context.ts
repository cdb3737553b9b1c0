// What every server module is built from. createApp assembles it once; tests build their own.
import type { Server as IoServer } from 'socket.io';
import type { Config } from './config';
import type { Clock } from './clock';
import type { Logger } from './logger';
import type { Store } from './store/db';
import type { UserService } from './auth/users';
import type { TokenService } from './auth/tokens';
import type { SessionCheck } from './auth/session-check';
import type { Department } from './county/departments';
import type { TeamService } from './teams/service';
import type { LeaderElector } from './scale/leader';
import type { GeoIndex } from './geo/types';
import type { DomainBus } from './events/bus';
import type { CaseService } from './cases/service';
import type { DeadlineScheduler } from './cases/deadlines';

export interface AppContext {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  io: IoServer;
  users: UserService;
  tokens: TokenService;
  /** Whether a token's session still holds (account enabled, password unchanged since). */
  sessions: SessionCheck;
  departments: Department[];
  teams: TeamService;
  /** Whether this process runs the once-only jobs (overdue scan, pruning). */
  leader: LeaderElector;
  /** Which township and grids contain a point (built from the county pack at start). */
  geo: GeoIndex;
  /** Domain events after commit (case events with the case as it now is), for realtime fan-out. */
  bus: DomainBus;
  /** The case engine: intake, workflow actions, reads. */
  cases: CaseService;
  /** Marks missed deadlines overdue; tests call scan() after moving a ManualClock. */
  caseDeadlines: DeadlineScheduler;
}
