// 交接班 endpoints: parse, check the caller, call the handover service, reply.
import express, { type Router } from 'express';
import { z } from 'zod';
import { plainText } from '../../shared/text';
import { HANDOVER_NOTE_MAX, HANDOVER_READERS, HANDOVER_ROLES } from '../../shared/handovers';
import { queryEpochMs, queryInt, queryObject } from '../../shared/query';
import { requireRole, requireUser } from '../auth/guards';
import { badRequest, notFound, parseWith } from '../http/errors';
import type { HandoverService } from './service';

/** POST /api/handovers. */
export const handoverSchema = z
  .object({
    note: plainText(HANDOVER_NOTE_MAX).default(''),
  })
  .strict();

/** POST /api/handovers/:id/take: `{}` or no body; any field is refused (400 naming it), not ignored. */
export const takeSchema = z.strictObject({});

/**
 * GET /api/handovers?limit=&before=&from=&to=&who=: the latest handovers, newest first; `before`
 * pages back; `from`/`to` (epoch ms, `to` excluded) keep those handed over in that time, `who`
 * those handed over or taken over by someone whose name contains it.
 */
export const handoverListQuerySchema = queryObject({
  limit: queryInt(1, 100).default(10),
  before: z
    .string()
    .regex(/^[\w-]{1,64}$/, "a handover's id")
    .optional(),
  from: queryEpochMs.optional(),
  to: queryEpochMs.optional(),
  who: z
    .string()
    .trim()
    .min(1, 'a name, or leave it out')
    .max(32, 'at most 32 characters')
    .refine((s) => !/\p{Cc}/u.test(s), 'must not contain control characters')
    .optional(),
}).refine((q) => q.from === undefined || q.to === undefined || q.to > q.from, {
  message: 'must be after from',
  path: ['to'],
});

export function handoversRouter(handovers: HandoverService): Router {
  const router = express.Router();

  router.get('/handovers/current', async (req, res) => {
    requireRole(requireUser(req), HANDOVER_READERS, 'read the handovers');
    res.json(await handovers.current());
  });

  router.get('/handovers', async (req, res) => {
    requireRole(requireUser(req), HANDOVER_READERS, 'read the handovers');
    const q = parseWith(handoverListQuerySchema, req.query, 'query');
    const page = await handovers.list(q.limit, q.before, { from: q.from, to: q.to, who: q.who });
    if (!page)
      throw badRequest(`query.before: 交班记录 ${q.before} 不存在 (no such handover)`, 'query.before');
    res.json(page);
  });

  router.post('/handovers', async (req, res) => {
    const user = requireRole(requireUser(req), HANDOVER_ROLES, 'hand over a shift');
    const input = parseWith(handoverSchema, req.body, 'body'); // no JSON body: 400, not an empty note
    res.status(201).json({ handover: await handovers.handOver(user, input.note) });
  });

  router.post('/handovers/:id/take', async (req, res) => {
    const user = requireRole(requireUser(req), HANDOVER_ROLES, 'take over a shift');
    parseWith(takeSchema, req.body ?? {}, 'body');
    const id = req.params.id ?? '';
    if (!/^[\w-]{1,64}$/.test(id)) throw notFound(`交班记录不存在 (no handover ${id.slice(0, 64)})`);
    res.json({ handover: await handovers.take(user, id) });
  });

  return router;
}
