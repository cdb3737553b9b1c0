// GET /api/presence: which townships and departments have a person's desk open now, and how many
// people have the big screen open as command-centre operators. A person is a live Socket.IO
// connection of an account that is not one of the demo simulator's own (sim-command, sim-<code>:
// server/auth/demo-accounts.ts). The live simulator reads this to leave a unit's tasks to the person
// working that unit's desk (server/simulator/simulator.ts).
//
// County-wide with several processes: `fetchSockets()` asks every process through the Redis adapter.
// A process that does not answer in time leaves its connections out (`partial: true`); the others'
// are still counted. The answer is kept for PRESENCE_CACHE_MS, so callers polling it cost one
// round of the adapter at most that often.
import express, { type Router } from 'express';
import { COUNTY_ROLES, type SessionUser } from '../../shared/auth';
import type { PresenceSnapshot, PresenceUnit } from '../../shared/presence';
import type { SocketData } from '../../shared/realtime';
import { isSimulatorAccount } from '../auth/demo-accounts';
import { requireRole, requireUser } from '../auth/guards';
import type { AppContext } from '../context';
import { within } from '../clock';

const PRESENCE_CACHE_MS = 2000;
/**
 * The longest a county-wide read may take before this process's connections alone are counted. The
 * adapter's own request timeout (5 s) starts only once it has asked Redis how many processes there
 * are: with Redis unreachable that question waits in the Redis client's queue until Redis is back,
 * and every GET /api/presence with it.
 */
export const PRESENCE_TIMEOUT_MS = 5000;

/** Count the people among `users` (one entry per connection). */
function presenceOf(
  users: ReadonlyArray<SessionUser | undefined>,
  at: number,
  partial = false,
): PresenceSnapshot {
  const units = new Map<string, PresenceUnit>();
  let commanders = 0;
  for (const user of users) {
    if (!user || isSimulatorAccount(user.username)) continue;
    const scope = user.scope;
    if (scope.kind === 'county') {
      if (user.role === 'commander') commanders++;
      continue;
    }
    const key = `${scope.kind}:${scope.code}`;
    const unit = units.get(key) ?? { kind: scope.kind, code: scope.code, connections: 0 };
    unit.connections++;
    units.set(key, unit);
  }
  const list = [...units.values()].sort((a, b) =>
    a.kind === b.kind ? a.code.localeCompare(b.code) : a.kind === 'township' ? -1 : 1,
  );
  return { units: list, commanders, at, partial };
}

/** A connection's account, as its handshake put it in its data (SocketData). */
const userOf = (s: { data: Partial<SocketData> }): SessionUser | undefined => s.data.user;

export function presenceRouter(ctx: Pick<AppContext, 'io' | 'clock' | 'logger'>): Router {
  const router = express.Router();
  let cached: { at: number; value: Promise<PresenceSnapshot> } | null = null;
  const read = async (): Promise<PresenceSnapshot> => {
    const at = ctx.clock.now();
    try {
      const sockets = await within(ctx.io.fetchSockets(), PRESENCE_TIMEOUT_MS);
      return presenceOf(sockets.map(userOf), at);
    } catch (err) {
      // A process did not answer in time, or Redis is unreachable: count this one's.
      ctx.logger.warn({ err }, 'presence: not every server process answered; counting this one only');
      // This process's sockets as it holds them: `io.local.fetchSockets()` would ask Redis first too.
      return presenceOf([...ctx.io.of('/').sockets.values()].map(userOf), at, true);
    }
  };
  router.get('/presence', async (req, res) => {
    requireRole(requireUser(req), COUNTY_ROLES, 'see who is connected (GET /api/presence)');
    const now = ctx.clock.now();
    if (!cached || now - cached.at >= PRESENCE_CACHE_MS || now < cached.at) {
      const value = read();
      cached = { at: now, value };
      value.catch(() => (cached = null));
    }
    res.json(await cached.value);
  });
  return router;
}
