import express, { type Router } from 'express';
import { z } from 'zod';
import { positionBatchSchema } from '../../shared/teams';
import { queryEpochMs, queryObject } from '../../shared/query';
import { HttpError, parseWith, unprocessable } from '../http/errors';
import { requireUser } from '../auth/guards';
import type { AppContext } from '../context';
import { decodeOsmAnd } from './osmand';

/** The most fields a form-encoded OsmAnd POST may carry. */
export const OSMAND_FORM_FIELDS_MAX = 1000;

/** Device endpoints: authenticated by device, not by a signed-in user (mounted before requireAuth). */
export function deviceRouter(ctx: AppContext): Router {
  const router = express.Router();
  const teams = ctx.teams;

  router.post('/positions', async (req, res) => {
    const batch = parseWith(positionBatchSchema, req.body, 'body');
    const token = req.get('x-device-token');
    await teams.authenticateDevice(batch.deviceId, token);
    const result = await teams.ingest(batch.deviceId, batch.fixes);
    // Each refused fix names its field, as a 400 does: every refusal is about the fix's time.
    const rejected = result.rejected.map((r) => ({ ...r, field: `body.fixes.${r.index}.at` }));
    // Only fixes refused, none stored now or before: a batch sent again is taken (200, duplicates).
    if (result.accepted === 0 && result.duplicates === 0)
      throw unprocessable(`no fix accepted: ${rejected.map((r) => r.error).join('; ')}`, rejected[0]!.field);
    res.json({ ...result, rejected });
  });

  // OsmAnd / Traccar Client. The app only knows "200 = sent"; errors are for people reading logs.
  // Refusals name the field as the request's form has it: `query.id`, `query.timestamp` (GET or a
  // form-encoded POST), `body.device_id`, `body.location.timestamp` (JSON).
  const osmand: express.RequestHandler = async (req, res) => {
    const json = req.method === 'POST' && !!req.is('application/json');
    const { deviceId, fix, fields } = decodeOsmAnd(
      req.query as Record<string, unknown>,
      req.body,
      ctx.clock.now(),
      json,
    );
    await teams.teamOfDevice(deviceId, fields.device);
    const result = await teams.ingest(deviceId, [fix]);
    if (result.rejected.length)
      throw unprocessable(
        result.rejected[0]!.error.replace('fixes[0].at', fields.timestamp),
        fields.timestamp,
      );
    res.type('text/plain').send('OK');
  };
  router.get('/osmand', osmand);
  // A fix is a dozen fields; the limits (body-parser's default count, written out) only keep a
  // runaway form from being read: past either, 413 naming `body` (server/http/errors.ts).
  router.post(
    '/osmand',
    express.urlencoded({ extended: false, limit: '16kb', parameterLimit: OSMAND_FORM_FIELDS_MAX }),
    osmand,
  );
  // The device endpoints are public: another method is a 405 saying which are taken, not the 401
  // the signed-in routes behind them would give.
  router.all('/osmand', methodNotAllowed('GET, HEAD, POST'));
  router.all('/positions', methodNotAllowed('POST'));
  return router;
}

/** 405 for a method the route does not take, with the ones it does in `Allow`. */
export const methodNotAllowed =
  (allow: string): express.RequestHandler =>
  (req, res) => {
    res.setHeader('Allow', allow);
    throw new HttpError(405, `${req.method} is not allowed here; use ${allow}`);
  };

const trackQuery = queryObject({ from: queryEpochMs.optional(), to: queryEpochMs.optional() });
/** GET /api/teams: the teams in service; `?retired=true`, the retired ones instead (their names). */
const teamsQuery = queryObject({
  retired: z
    .enum(['true', 'false'], { message: 'true or false' })
    .transform((v) => v === 'true')
    .optional(),
});
const MAX_TRACK_SPAN_MS = 7 * 86_400_000;

export function teamsRouter(ctx: AppContext): Router {
  const router = express.Router();
  router.get('/teams', (req, res) => {
    const user = requireUser(req);
    const q = parseWith(teamsQuery, req.query, 'query');
    res.json({ teams: q.retired ? ctx.teams.listRetired(user.scope) : ctx.teams.list(user.scope) });
  });
  router.get('/teams/:id', (req, res) => {
    const user = requireUser(req);
    res.json({ team: ctx.teams.get(req.params.id!, user.scope) });
  });
  router.get('/teams/:id/track', async (req, res) => {
    const user = requireUser(req);
    const q = parseWith(trackQuery, req.query, 'query');
    const to = q.to ?? ctx.clock.now();
    const from = q.from ?? to - 86_400_000;
    if (from > to) throw unprocessable('query.from: must not be after query.to', 'query.from');
    if (to - from > MAX_TRACK_SPAN_MS)
      throw unprocessable('query.to: a track spans at most 7 days', 'query.to');
    const { points, total, every } = await ctx.teams.track(req.params.id!, user.scope, from, to);
    res.json({ teamId: req.params.id, from, to, points, total, every });
  });
  return router;
}
