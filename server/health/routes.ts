import express, { type Router } from 'express';
import { sql } from 'kysely';
import type { AppContext } from '../context';

export function healthRouter(ctx: AppContext): Router {
  const router = express.Router();
  router.get('/health', async (_req, res) => {
    let dbOk = true;
    try {
      await sql`select 1`.execute(ctx.store.db);
    } catch {
      dbOk = false;
    }
    res
      .status(dbOk ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: dbOk ? 'ok' : 'degraded', db: ctx.store.engine, version: ctx.config.version });
  });
  return router;
}
