// Case endpoints: parse, check the caller, call the case engine, reply. Rules live in the service.
import express, { type Router } from 'express';
import {
  caseActionSchema,
  caseListQuerySchema,
  clientIdSchema,
  clueSchema,
  returnsQuerySchema,
  type CaseView,
} from '../../shared/cases';
import type { SessionUser } from '../../shared/auth';
import { requireRole, requireUser } from '../auth/guards';
import { fromZodError, parseWith, sendJson } from '../http/errors';
import type { ServerResponse } from 'node:http';
import type { LeanRequest, LeanRoute } from '../http/lean';
import type { Clock } from '../clock';
import type { Store } from '../store/db';
import type { CaseService } from './service';

/** Who may report a clue: everyone but the read-only leader. */
const REPORTERS = ['admin', 'commander', 'township', 'department'] as const;

export function casesRouter(deps: { cases: CaseService; store: Store; clock: Clock }): Router {
  const { cases } = deps;
  const router = express.Router();

  // POST /api/clues is served before Express (clueIntake below, mounted in app.ts); this route
  // takes the forms of it the lean route leaves to Express (an absolute-form request target).
  router.post('/clues', postClue(cases));

  router.get('/matters', (req, res) => {
    requireUser(req);
    res.json({ matters: cases.catalogue.matters });
  });

  router.get('/cases', async (req, res) => {
    const user = requireUser(req);
    const q = parseWith(caseListQuerySchema, req.query, 'query');
    res.json(await cases.list(user, q));
  });

  router.get('/cases/:id', async (req, res) => {
    const user = requireUser(req);
    res.json({ case: await cases.get(user, req.params.id!) });
  });

  router.post('/cases/:id/actions', async (req, res) => {
    const user = requireUser(req);
    const input = parseWith(caseActionSchema, req.body, 'body');
    res.json({ case: await cases.act(user, req.params.id!, input) });
  });

  router.get('/returns', async (req, res) => {
    const user = requireUser(req);
    const q = parseWith(returnsQuerySchema, req.query, 'query');
    res.json(await cases.returns(user, q));
  });

  // GET /api/stats is served with its exports by server/export/routes.ts (it names the townships).

  return router;
}

/**
 * POST /api/clues: report a clue. The same clientId again gets its case (200) whatever the retry's
 * body, even one the schema refuses (a field not listed, a description too long, the clientId
 * alone): a body that fails the schema is looked up by its clientId, when that is well formed,
 * before it is refused. Looked up only on the way to a refusal, as intake does (a good body meets
 * the unique index): retries are rare and intake is the hot path.
 */
function postClue(cases: CaseService): (req: LeanRequest, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const user = requireRole(requireUser(req), REPORTERS, 'report clues');
    const parsed = clueSchema.safeParse(req.body);
    if (!parsed.success) {
      const existing = await retriedCase(cases, user, req.body);
      if (existing) return sendJson(res, 200, { case: existing });
      throw fromZodError(parsed.error, 'body');
    }
    const { case: view, created } = await cases.intake(user, parsed.data);
    sendJson(res, created ? 201 : 200, { case: view });
  };
}

/** The caller's case under the body's clientId, when the body is an object with a well-formed one. */
async function retriedCase(
  cases: CaseService,
  user: SessionUser,
  body: unknown,
): Promise<CaseView | undefined> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const clientId = clientIdSchema.safeParse((body as { clientId?: unknown }).clientId);
  return clientId.success ? cases.retried(user, clientId.data) : undefined;
}

/**
 * POST /api/clues, the busiest route, as a lean one (http/lean.ts). `use` are the middlewares the
 * API router runs before its routes (security headers, JSON body, the control-character guard, bearer
 * token), the same instances.
 */
export function clueIntake(cases: CaseService, use: LeanRoute['use']): LeanRoute {
  return { method: 'POST', path: '/api/clues', use, handle: postClue(cases) };
}
