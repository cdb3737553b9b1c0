// GET /api/stats/export.xlsx and /api/stats/export.csv: the leader's current view as a file, with
// the same filters as GET /api/stats and the same figures (the same domain function computes them),
// the filters written first. Scoped like /api/stats: a township exports only its own figures.
import express, { type Router } from 'express';
import { z } from 'zod';
import { statsQuerySchema } from '../../shared/cases';
import { MEASURE_KEYS } from '../../shared/measures';
import { requireUser } from '../auth/guards';
import { parseWith } from '../http/errors';
import type { AppContext } from '../context';
import { caseStats } from '../cases/stats';
import { buildExport, previousRange } from './build';
import { documentToCsv } from './csv';
import { documentToXlsx } from './xlsx';

const exportQuerySchema = statsQuerySchema.extend({
  sort: z.enum(MEASURE_KEYS).optional(),
  dir: z.enum(['asc', 'desc']).default('desc'),
});

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
function disposition(name: string, ascii: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function exportRouter(ctx: AppContext): Router {
  const router = express.Router();

  async function document(req: express.Request) {
    const user = requireUser(req);
    const q = parseWith(exportQuerySchema, req.query, 'query');
    const now = ctx.clock.now();
    const filters = { township: q.township, domain: q.domain, source: q.source };
    const current = await caseStats(ctx.store, user.scope, { ...filters, from: q.from, to: q.to }, now);
    const prev = previousRange(current.from, current.to);
    const previous = await caseStats(ctx.store, user.scope, { ...filters, ...prev }, now);
    const townships = ctx.geo.townships.filter((t) => !q.township || t.code === q.township);
    const perTownship = await Promise.all(
      townships.map(async (t) => ({
        code: t.code,
        name: t.name,
        kpis: await caseStats(
          ctx.store,
          user.scope,
          { ...filters, township: t.code, from: current.from, to: current.to },
          now,
        ),
      })),
    );
    const township = q.township ? ctx.geo.townships.find((t) => t.code === q.township) : undefined;
    return buildExport({
      from: current.from,
      to: current.to,
      current,
      previous,
      // A township or department user sees only the townships where its figures are not all empty.
      townships:
        user.scope.kind === 'county' ? perTownship : perTownship.filter((t) => t.kpis.volume.total > 0),
      filters: {
        township: q.township ? { code: q.township, name: township?.name ?? q.township } : undefined,
        domain: q.domain,
        source: q.source,
      },
      matters: new Map(ctx.cases.catalogue.matters.map((m) => [m.code, { name: m.name, domain: m.domain }])),
      sort: q.sort ? { key: q.sort, dir: q.dir } : undefined,
      generatedAt: now,
      generatedBy: user.displayName || user.username,
    });
  }

  const baseName = (now: number) =>
    `高平市执法统计-${new Date(now + 8 * 3600_000).toISOString().slice(0, 10)}`;

  router.get('/stats/export.xlsx', async (req, res) => {
    const doc = await document(req);
    const buf = await documentToXlsx(doc, new Date(ctx.clock.now()));
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', disposition(`${baseName(ctx.clock.now())}.xlsx`, 'stats.xlsx'));
    res.setHeader('Cache-Control', 'no-store');
    res.send(buf);
  });

  router.get('/stats/export.csv', async (req, res) => {
    const doc = await document(req);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', disposition(`${baseName(ctx.clock.now())}.csv`, 'stats.csv'));
    res.setHeader('Cache-Control', 'no-store');
    res.send(documentToCsv(doc));
  });

  return router;
}
