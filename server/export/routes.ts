// Statistics over HTTP: GET /api/stats (the measures for a period and filters, the previous period,
// 环比, and per township with groupBy=township) and GET /api/stats/export.xlsx | .csv, the same
// report as a file with the filters written first. One domain function (server/cases/stats.ts)
// answers all three, scoped alike: a township or department measures only the cases it is party to.
import express, { type Router } from 'express';
import { z } from 'zod';
import { MEASURE_KEYS, statsFilterShape, statsQuerySchema, type StatsReport } from '../../shared/kpi';
import { queryObject } from '../../shared/query';
import { COMPARE_WORDS } from '../../shared/compare-words';
import { requireUser } from '../auth/guards';
import { parseWith } from '../http/errors';
import type { AppContext } from '../context';
import { caseStats } from '../cases/stats';
import { buildExport } from './build';
import { documentToCsv } from './csv';
import { documentToXlsx } from './xlsx';

/** The report's period and filters (its rows are always per township and department), and the sort. */
const exportQuerySchema = queryObject({
  ...statsFilterShape,
  sort: z.enum(MEASURE_KEYS).optional(),
  dir: z.enum(['asc', 'desc']).default('desc'),
});

/**
 * What the file is of, in its name: 高平市执法统计-东城街道-2026-01-01至2026-12-06-同比 (the township
 * when one is chosen; one day alone when the period is one), so downloads of different views are
 * told apart; ASCII stats-140581002-2026-01-01_2026-12-06.
 */
export function fileName(
  r: Pick<StatsReport, 'from' | 'to' | 'compare' | 'filters'>,
  townshipName?: string,
): { zh: string; ascii: string } {
  const days = r.from === r.to ? r.from : `${r.from}至${r.to}`;
  const compare = r.compare === 'none' ? '' : `-${COMPARE_WORDS[r.compare].change}`;
  const code = r.filters.township;
  return {
    zh: `高平市执法统计-${code ? `${townshipName ?? code}-` : ''}${days}${compare}`,
    ascii: `stats-${code ? `${code}-` : ''}${r.from === r.to ? r.from : `${r.from}_${r.to}`}`,
  };
}

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
function disposition(name: string, ascii: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function exportRouter(ctx: AppContext): Router {
  const router = express.Router();
  /** The report's rows: the county's townships, and its departments for the county's own report. */
  const units = { townships: ctx.geo.townships, departments: ctx.departments };

  /**
   * A township filter naming none of the county's measures nothing: a 400 saying so, as a malformed
   * code is, in the case lists' words (the domain, one of a fixed list, is the schema's).
   */
  const knownFilters = <Q extends { township?: string }>(q: Q): Q => {
    if (q.township !== undefined) ctx.cases.knownUnit('query.township', `township:${q.township}`);
    return q;
  };

  router.get('/stats', async (req, res) => {
    const user = requireUser(req);
    const q = knownFilters(parseWith(statsQuerySchema, req.query, 'query'));
    res.json(await caseStats(ctx.store, user.scope, q, ctx.clock.now(), units));
  });

  async function document(req: express.Request) {
    const user = requireUser(req);
    const { sort, dir, ...q } = knownFilters(parseWith(exportQuerySchema, req.query, 'query'));
    const now = ctx.clock.now();
    const report = await caseStats(
      ctx.store,
      user.scope,
      { ...q, groupBy: ['township', 'department'] },
      now,
      units,
    );
    const townshipName = ctx.geo.townships.find((t) => t.code === q.township)?.name;
    const doc = buildExport({
      report,
      townshipName,
      matters: new Map(ctx.cases.catalogue.matters.map((m) => [m.code, { name: m.name, domain: m.domain }])),
      sort: sort ? { key: sort, dir } : undefined,
      generatedAt: now,
      generatedBy: user.displayName || user.username,
    });
    return { doc, name: fileName(report, townshipName) };
  }

  router.get('/stats/export.xlsx', async (req, res) => {
    const { doc, name } = await document(req);
    const buf = await documentToXlsx(doc, new Date(ctx.clock.now()));
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', disposition(`${name.zh}.xlsx`, `${name.ascii}.xlsx`));
    res.setHeader('Cache-Control', 'no-store');
    res.send(buf);
  });

  router.get('/stats/export.csv', async (req, res) => {
    const { doc, name } = await document(req);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', disposition(`${name.zh}.csv`, `${name.ascii}.csv`));
    res.setHeader('Cache-Control', 'no-store');
    res.send(documentToCsv(doc));
  });

  return router;
}
