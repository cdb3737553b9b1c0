// The demo history writes nothing after its end. A 督办 check queued again after the first had been
// written ahead of the clock (up to three hours: the 督办's own delay), so the live feed and the
// 超时督办 queue opened on entries from the future.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { prepareDemo } from '../../../server/demo/index';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
// Two busy days and a seed whose last cases are chased near the end (4 such events before the fix).
const end = Date.UTC(2026, 10, 30, 4, 0, 0);

beforeAll(async () => {
  server = await startTestServer({ env: { DEMO: 'on', DEMO_PASSWORD: 'demo' } });
  await prepareDemo(server.handle.ctx, { historyDays: 2, perDay: 150, seed: 6, end });
}, 120_000);
afterAll(() => server?.close());

it('writes no event after the end of the history', async () => {
  const after = await server.store.db
    .selectFrom('case_events')
    .select(['type', 'at'])
    .where('at', '>', end)
    .execute();
  expect(after).toEqual([]);
  const escalations = await server.store.db
    .selectFrom('case_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('type', '=', 'escalate')
    .executeTakeFirstOrThrow();
  expect(Number(escalations.n)).toBeGreaterThan(0); // the history does chase cases
});
