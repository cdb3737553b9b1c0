// GET /api/health for load balancers and monitoring: 200 when every dependency this process needs
// answers (the database always; Redis when REDIS_URL is set), 503 naming the one(s) that failed
// (`failed`, and `checks` with each one's answer).
// Each check has a time limit, so a hung dependency gives a 503, not a hung health check.
import express, { type Router } from 'express';
import { sql } from 'kysely';
import type { AppContext } from '../context';
import { within } from '../clock';

/** A dependency check: resolves when the dependency answers; its error says why not. */
export type HealthCheck = () => Promise<void>;

export const HEALTH_TIMEOUT_MS = 2000;

export function healthRouter(
  ctx: Pick<AppContext, 'store' | 'config'>,
  extra: Record<string, HealthCheck> = {},
  timeoutMs = HEALTH_TIMEOUT_MS,
): Router {
  const checks: Record<string, HealthCheck> = {
    db: async () => {
      await sql`select 1`.execute(ctx.store.db);
    },
    ...extra,
  };
  const router = express.Router();
  router.get('/health', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => [name, await run(check, timeoutMs)] as const),
    );
    const failed = results.filter(([, error]) => error !== null).map(([name]) => name);
    const ok = failed.length === 0;
    res
      .status(ok ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({
        status: ok ? 'ok' : 'degraded',
        db: ctx.store.engine,
        version: ctx.config.version,
        ...(ok
          ? {}
          : {
              error: `unavailable: ${failed.join(', ')}`,
              failed,
              checks: Object.fromEntries(results.map(([name, error]) => [name, error ?? 'ok'])),
            }),
      });
  });
  return router;
}

/** null when the check passed in time, else why it did not. */
async function run(check: HealthCheck, timeoutMs: number): Promise<string | null> {
  try {
    await within(check(), timeoutMs);
    return null;
  } catch (err) {
    return `failed: ${(err as Error).message}`;
  }
}
