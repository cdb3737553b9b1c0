// What every server module is built from. createApp assembles it once; tests build their own.
import type { Server as IoServer } from 'socket.io';
import type { Config } from './config';
import type { Clock } from './clock';
import type { Logger } from './logger';
import type { Store } from './store/db';
import type { UserService } from './auth/users';
import type { TokenService } from './auth/tokens';
import type { Department } from './county/departments';
import type { TeamService } from './teams/service';
import type { LeaderElector } from './scale/leader';

export interface AppContext {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  io: IoServer;
  users: UserService;
  tokens: TokenService;
  departments: Department[];
  teams: TeamService;
  /** Whether this process runs the once-only jobs (overdue scan, pruning). */
  leader: LeaderElector;
}
