// Whether a session still holds: its account exists, is enabled, and is of the session generation
// the token was issued under (a password change, a new role or scope, disabling or enabling moves
// the generation on: users.session_gen). Access tokens live 12 h and are verified without the database (tokens.ts), so
// without this a changed password or a disabled account would leave its sessions working until
// their tokens expire. Reading the account on every request would put a query in front of every
// call, clue intake included (1,000 clues/s in bench:intake), so each account's state is kept in
// memory for SESSION_CHECK_MS and read again after: a session ends at most that long after the
// change, in every process (the `users` command writes from its own process, and several servers
// may share the database), with one primary-key read per active account per interval. Open
// sockets are checked on the same interval (server/realtime/socket.ts).
import type { AccountState, UserService } from './users';

interface Known {
  state: AccountState | null;
  at: number;
}

/** Whether a token of generation `sessionGen` holds for an account now in `state` (null: gone). */
export function sessionHolds(state: AccountState | null, sessionGen: number): boolean {
  return !!state && !state.disabled && state.sessionGen === sessionGen;
}

export class SessionCheck {
  private readonly known = new Map<string, Known>();
  private readonly reading = new Map<string, Promise<Known>>();

  constructor(
    private readonly users: Pick<UserService, 'sessionStates'>,
    /** How long an account's state read from the database is trusted, in ms. */
    readonly maxAgeMs: number,
    /** Monotonic ms (not the app's clock, which tests move by hours). */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Whether the session of `userId` issued under `sessionGen` still holds: at once from what is
   * known when it is fresh, else after reading the account.
   */
  holds(userId: string, sessionGen: number): boolean | Promise<boolean> {
    const hit = this.known.get(userId);
    // A token newer than what is known (signed in after the change was last read) reads again.
    if (hit && this.now() - hit.at < this.maxAgeMs && (!hit.state || sessionGen <= hit.state.sessionGen))
      return sessionHolds(hit.state, sessionGen);
    return this.readOne(userId, hit).then((k) => sessionHolds(k.state, sessionGen));
  }

  /** Reads the accounts' states now, in one query, and keeps them; null for an account that is gone. */
  async read(userIds: readonly string[]): Promise<Map<string, AccountState | null>> {
    const states = await this.users.sessionStates(userIds);
    const at = this.now();
    const out = new Map<string, AccountState | null>();
    for (const id of userIds) {
      const state = states.get(id) ?? null;
      this.known.set(id, { state, at });
      out.set(id, state);
    }
    return out;
  }

  private readOne(userId: string, stale: Known | undefined): Promise<Known> {
    let pending = this.reading.get(userId);
    if (!pending) {
      pending = this.read([userId])
        .then(() => this.known.get(userId)!)
        .catch((err: unknown) => {
          // The database did not answer: what was known before stands, if anything was.
          if (stale) return stale;
          throw err;
        })
        .finally(() => this.reading.delete(userId));
      this.reading.set(userId, pending);
    }
    return pending;
  }
}
