// npm run bench:deadlines — the overdue scan meeting a backlog: DEADLINES_BENCH_CASES (default
// 600) cases whose 签收 deadlines all pass at once (the server was down over them, or a wave of
// clues came in together), marked in one scan (each mark its own transaction, its case event
// published to the screens). Each mark awaits the embedded database, whose connection is
// synchronous, and awaiting a settled promise lets no other request in: the whole scan was one turn
// of the event loop. Two ways on two databases written the same way (clues through the real HTTP
// intake): the scan letting the event loop through every 25 marks (the server) against one that
// never does (the obvious way, the server before). For each: how long the scan takes, and the
// longest the event loop was held (a 1 ms timer's worst lateness). Last line: one JSON object.
import { ManualClock } from '../../server/clock';
import { DeadlineScheduler } from '../../server/cases/deadlines';
import { createTestDatabase } from '../support/db';
import { startTestServer, type TestServer } from '../support/server';
import { call, tokenFor } from '../support/auth';
import { clueAt, pointIn } from '../support/cases';
import { held } from './support/timing';

const CASES = Number(process.env.DEADLINES_BENCH_CASES ?? 600);

async function world(clock: ManualClock): Promise<{ server: TestServer; destroy: () => Promise<void> }> {
  const database = await createTestDatabase('sqlite');
  const server = await startTestServer({ database, clock, env: { AUTO_DISPATCH: 'on' } });
  await server.handle.ctx.caseDeadlines.stop(); // scanned by hand below
  const token = await tokenFor(server, 'bench-commander', 'commander');
  const towns = server.handle.ctx.geo.townships.map((t) => t.code);
  for (let i = 0; i < CASES; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, CASES - i) }, async (_, k) => {
        const n = i + k;
        // A micro-grid's centre each, away from boundaries: dispatched at once, not held for review.
        const at = pointIn(server.handle.ctx.geo, towns[n % towns.length]!, Math.floor(n / towns.length));
        const r = await call(server.url, token, 'POST', '/api/clues', {
          ...clueAt(at, { matterCode: 'SR09' }),
          clientId: `deadline-bench-${n}`,
        });
        if (r.status !== 201) throw new Error(`clue ${n}: ${r.status} ${JSON.stringify(r.body)}`);
      }),
    );
    process.stderr.write(`\r  clues reported: ${Math.min(i + 50, CASES)} of ${CASES}`);
  }
  process.stderr.write('\n');
  return {
    server,
    destroy: async () => {
      await server.close();
      await database.destroy();
    },
  };
}

async function main(): Promise<void> {
  console.log(`overdue scan: ${CASES} 签收 deadlines passing at once, on SQLite`);
  const results: Record<'oneTurn' | 'turns', { ms: number; heldMs: number; marked: number }> = {} as never;
  for (const way of ['oneTurn', 'turns'] as const) {
    const clock = new ManualClock(Date.UTC(2026, 11, 5, 1, 0, 0));
    const { server, destroy } = await world(clock);
    try {
      const ctx = server.handle.ctx;
      const scheduler = new DeadlineScheduler({
        store: server.store,
        clock,
        cases: ctx.cases,
        logger: ctx.logger,
        batch: CASES * 2,
        marksPerTurn: way === 'turns' ? undefined : Number.POSITIVE_INFINITY,
      });
      clock.advance(45 * 60_000); // past every 签收 deadline (30 minutes), before any 到场 one
      const m = await held(() => scheduler.scan());
      results[way] = { ms: m.ms, heldMs: m.heldMs, marked: m.out };
      if (results[way].marked !== CASES) throw new Error(`${way}: marked ${results[way].marked} of ${CASES}`);
      console.log(
        `  ${way === 'turns' ? 'the server: the event loop let through every 25 marks' : 'one turn of the event loop (the obvious way)       '}  ${results[way].ms.toFixed(0)} ms, event loop held at most ${results[way].heldMs.toFixed(0)} ms`,
      );
    } finally {
      await destroy();
    }
  }
  const ratio = results.oneTurn.heldMs / results.turns.heldMs;
  console.log(`  the longest wait for anything else ${ratio.toFixed(0)}× shorter`);
  console.log(
    JSON.stringify({
      bench: 'deadlines',
      engine: 'sqlite',
      marked: CASES,
      oneTurnMs: Math.round(results.oneTurn.ms),
      oneTurnHeldMs: Math.round(results.oneTurn.heldMs),
      turnsMs: Math.round(results.turns.ms),
      turnsHeldMs: Math.round(results.turns.heldMs),
      heldRatio: Number(ratio.toFixed(1)),
    }),
  );
}

await main();
