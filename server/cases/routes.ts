// Case endpoints: parse, check the caller, call the case engine, reply. Rules live in the service.
import express, { type Router } from 'express';
import { caseActionSchema, caseListQuerySchema, clueSchema } from '../../shared/cases';
import { requireRole, requireUser } from '../auth/guards';
import { parseWith } from '../http/errors';
import type { Clock } from '../clock';
import type { Store } from '../store/db';
import type { CaseService } from './service';

/** Who may report a clue: everyone but the read-only leader. */
const REPORTERS = ['admin', 'commander', 'township', 'department'] as const;

export function casesRouter(deps: { cases: CaseService; store: Store; clock: Clock }): Router {
  const { cases } = deps;
  const router = express.Router();

  router.post('/clues', async (req, res) => {
    const user = requireRole(requireUser(req), REPORTERS, 'report clues');
    const clue = parseWith(clueSchema, req.body, 'body');
    const { case: view, created } = await cases.intake(user, clue);
    res.status(created ? 201 : 200).json({ case: view });
  });

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

  // GET /api/stats is served with its exports by server/export/routes.ts (it names the townships).

  return router;
}
