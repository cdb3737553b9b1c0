// Demo mode (DEMO=on): the accounts and teams to sign in with, and on first start a history of the
// county at work, so the dashboard has months of cases to show, and its teams' last days of tracks.
import { sql } from 'kysely';
import type { AppContext } from '../context';
import { seedDemo } from './seed';
import {
  DEFAULT_HISTORY,
  HISTORY_META_KEY,
  formatSummary,
  generateHistory,
  historyNeeded,
  type HistorySummary,
} from './history';
import { generateDemoTracks } from './tracks';

export interface DemoOptions {
  /** Days of history (default 90); 0 skips the history. */
  historyDays?: number;
  perDay?: number;
  seed?: number;
  /** The end of the history (default: now on the app's clock). */
  end?: number;
}

/**
 * Create the demo accounts and teams (idempotent), then the history if no case exists yet. The
 * live overdue scan is paused meanwhile: it runs on the real clock and would mark deadlines the
 * simulated clock has not reached.
 */
export async function prepareDemo(ctx: AppContext, opts: DemoOptions = {}): Promise<HistorySummary | null> {
  if (ctx.store.engine !== 'postgres') return prepareDemoNow(ctx, opts);
  // Several processes starting at once on one PostgreSQL: one prepares, the others wait for it, then
  // read the teams it made (each read them at its own start) and find the accounts and history there.
  // Unguarded, the second crashed on a duplicate team (teams_pkey) and could have generated the
  // history twice.
  // The lock is tried, not waited for on a connection held meanwhile: a process stopped while it
  // waits (SIGTERM) closes its pool, which waits for every connection to come back, so one blocked
  // in pg_advisory_lock held the stop until main.ts's 10 s force exit (exit 1). Between tries no
  // connection is held, and once the pool is closed the next try fails and the start ends.
  let told = false;
  for (;;) {
    const done = await ctx.store.db.connection().execute(async (conn) => {
      const { rows } = await sql<{
        ok: boolean;
      }>`select pg_try_advisory_lock(${DEMO_PREPARE_LOCK}::bigint) as ok`.execute(conn);
      if (!rows[0]?.ok) return null;
      try {
        await ctx.teams.refresh();
        return { summary: await prepareDemoNow(ctx, opts) };
      } finally {
        await sql`select pg_advisory_unlock(${DEMO_PREPARE_LOCK}::bigint)`.execute(conn);
      }
    });
    if (done) return done.summary;
    if (!told) ctx.logger.info('another process is preparing the demo: waiting for it');
    told = true;
    await new Promise((resolve) => setTimeout(resolve, DEMO_LOCK_RETRY_MS));
  }
}

/** Any constant: the advisory lock under which one starting process prepares the demo. */
export const DEMO_PREPARE_LOCK = 7_140_581_001;
/** How often a process waiting for another's demo preparation tries the lock again. */
const DEMO_LOCK_RETRY_MS = 250;

async function prepareDemoNow(ctx: AppContext, opts: DemoOptions): Promise<HistorySummary | null> {
  await seedDemo(ctx, ctx.geo.townships);
  const days = opts.historyDays ?? DEFAULT_HISTORY.days;
  if (days <= 0) return null;
  if (!(await historyNeeded(ctx.store))) {
    const meta = await ctx.store.db
      .selectFrom('meta')
      .select('value')
      .where('key', '=', HISTORY_META_KEY)
      .executeTakeFirst();
    if (meta && !(JSON.parse(meta.value) as { done?: boolean }).done)
      ctx.logger.warn(
        'demo history: an earlier generation was interrupted and the history is partial; start from an ' +
          (ctx.store.engine === 'sqlite'
            ? 'empty database (delete DATA_DIR) to generate it whole'
            : 'empty database (drop and create the database DATABASE_URL names) to generate it whole'),
      );
    else ctx.logger.info('demo history: cases already stored; not generating');
    return null;
  }
  await ctx.caseDeadlines.stop();
  try {
    const summary = await generateHistory(
      { store: ctx.store, geo: ctx.geo, departments: ctx.departments, users: ctx.users, logger: ctx.logger },
      {
        days,
        perDay: opts.perDay,
        seed: opts.seed,
        end: opts.end ?? ctx.clock.now(),
        autoDispatch: ctx.config.AUTO_DISPATCH,
      },
    );
    ctx.logger.info({ summary }, formatSummary(summary));
    // The teams' tracks of the last days, so 轨迹回放 of yesterday shows a day's work.
    await generateDemoTracks(
      { store: ctx.store, geo: ctx.geo, logger: ctx.logger },
      { end: summary.to, seed: opts.seed ?? DEFAULT_HISTORY.seed },
    );
    return summary;
  } finally {
    ctx.caseDeadlines.start();
  }
}
