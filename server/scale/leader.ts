// Once-only jobs across several server processes. On PostgreSQL the leader is whoever holds a
// session-level advisory lock on its own connection: when that process dies, PostgreSQL drops the
// connection and the lock with it, and another process takes over at its next attempt. On SQLite
// there is one process by construction, so it always leads.
import pg from 'pg';
import type { Logger } from '../logger';

export interface LeaderElector {
  isLeader(): boolean;
  /** Resolves once this process has tried at least once to become leader. */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

export const alwaysLeader: LeaderElector = {
  isLeader: () => true,
  ready: async () => undefined,
  stop: async () => undefined,
};

/** Stable 64-bit lock key for a job name (pg advisory locks take a bigint). */
export function lockKey(name: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const ch of Buffer.from(name)) {
    h ^= BigInt(ch);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return BigInt.asIntN(64, h);
}

export function postgresLeader(
  databaseUrl: string,
  name: string,
  logger: Logger,
  opts: { retryMs?: number } = {},
): LeaderElector {
  const retryMs = opts.retryMs ?? 2000;
  const key = lockKey(`gaoping:${name}`).toString();
  let client: pg.Client | null = null;
  let leader = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let firstTry: () => void;
  const firstTried = new Promise<void>((r) => (firstTry = r));

  const dropClient = () => {
    if (leader) logger.warn({ job: name }, 'lost the leader lock (database connection closed)');
    leader = false;
    const c = client;
    client = null;
    c?.end().catch(() => undefined);
  };

  const attempt = async () => {
    if (stopped) return;
    try {
      if (!client) {
        const c = new pg.Client({ connectionString: databaseUrl });
        c.on('error', dropClient);
        c.on('end', () => {
          if (client === c) dropClient();
        });
        await c.connect();
        // Stopped while connecting: stop() had no client to end.
        if (stopped) {
          await c.end().catch(() => undefined);
          return;
        }
        client = c;
      }
      if (!leader) {
        const r = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1::bigint) as ok', [key]);
        if (r.rows[0]?.ok) {
          leader = true;
          logger.info({ job: name, pid: process.pid }, 'this process now runs the once-only jobs');
        }
      } else {
        await client.query('select 1'); // notice a dead connection promptly
      }
    } catch (err) {
      // An attempt under way when stop() ended its connection fails: that is the stop, not a fault.
      if (!stopped) logger.warn({ err, job: name }, 'leader lock attempt failed; retrying');
      dropClient();
    } finally {
      firstTry();
      if (!stopped) timer = setTimeout(() => void attempt(), retryMs);
      timer?.unref();
    }
  };
  void attempt();

  return {
    isLeader: () => leader && !stopped,
    ready: () => firstTried,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      leader = false;
      const c = client;
      client = null;
      await c?.end().catch(() => undefined); // ending the session releases the lock
    },
  };
}
