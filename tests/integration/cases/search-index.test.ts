// Intake comes before the search index: if moving new cases into the index fails (here its table is
// gone), the clues are stored all the same, the failure is logged, and the cases are still found.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { sql } from 'kysely';
import type { CaseView } from '../../../shared/cases';
import { SEARCH_INDEX_EVERY } from '../../../server/store/search-index';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { clueAt, pointIn, report } from '../../support/cases';

describe('search indexing that fails at intake (SQLite)', () => {
  let server: TestServer;
  const warnings: Array<{ msg: string }> = [];
  beforeAll(async () => {
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) });
    server = await startTestServer({ extra: { logger } });
  });
  afterAll(() => server?.close());

  it('stores every clue, says so, and still finds them', async () => {
    const commander = await tokenFor(server, 'commander1', 'commander');
    await sql`drop table case_search_map`.execute(server.handle.ctx.store.db);
    const geo = server.handle.ctx.geo;
    const phones = Array.from(
      { length: SEARCH_INDEX_EVERY + 6 },
      (_, i) => `1360000${String(i).padStart(4, '0')}`,
    );
    const sent = await Promise.all(
      phones.map((phone, i) =>
        report(
          server,
          commander,
          clueAt(pointIn(geo, '140581002', i), { reporter: { name: '赵六', phone } }),
        ),
      ),
    );
    expect(sent.map((r) => r.status)).toEqual(phones.map(() => 201));
    expect(warnings.map((w) => w.msg)).toContainEqual(
      expect.stringMatching(/^a commit that also indexed new cases for search failed/),
    );
    for (const phone of [phones[0]!, phones.at(-1)!]) {
      const r = await call(server.url, commander, 'GET', `/api/cases?q=${phone}`);
      expect((r.body.items as CaseView[]).map((c) => c.reporter?.phone)).toEqual([phone]);
    }
  });
});
