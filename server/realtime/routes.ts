// GET /api/events: the resync a client runs on every (re)connect before it applies live events.
import express, { type Router } from 'express';
import { eventsQuerySchema } from '../../shared/realtime';
import { requireUser } from '../auth/guards';
import type { AppContext } from '../context';
import { parseWith } from '../http/errors';

export function eventsRouter(ctx: Pick<AppContext, 'cases'>): Router {
  const router = express.Router();
  router.get('/events', async (req, res) => {
    const user = requireUser(req);
    const q = parseWith(eventsQuerySchema, req.query, 'query');
    res.json(await ctx.cases.events(user, q.after, q.limit));
  });
  return router;
}
