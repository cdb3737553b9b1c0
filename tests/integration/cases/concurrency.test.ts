// Optimistic concurrency: many callers act on one case at once with the version they saw.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../../shared/cases';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { tokenFor } from '../../support/auth';
import { act, clueAt, getCase, pointIn, report } from '../../support/cases';

const DONGCHENG = '140581002';

describe.each(ENGINES)('concurrent actions on %s', (engine) => {
  let server: TestServer;
  let commander: string;
  let dongcheng: string;

  beforeAll(async () => {
    server = await startTestServer({ engine });
    commander = await tokenFor(server, 'commander1', 'commander');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
  });
  afterAll(() => server?.close());

  it('lets exactly one of 20 conflicting actions win; the rest get 409 and the timeline stays consistent', async () => {
    const created = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG)));
    const c = created.body.case as CaseView;
    const bodies = Array.from({ length: 20 }, (_, i) => {
      if (i % 3 === 0) return { token: dongcheng, body: { action: 'acknowledge', version: c.version } };
      if (i % 3 === 1)
        return { token: dongcheng, body: { action: 'return', version: c.version, reason: `退回 ${i}` } };
      return {
        token: commander,
        body: { action: 'reassign', version: c.version, assignee: { kind: 'department', code: 'cgj' } },
      };
    });
    const answers = await Promise.all(bodies.map(({ token, body }) => act(server, token, c.id, body)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const winner = answers.find((a) => a.status === 200)!.body.case as CaseView;
    expect(winner.version).toBe(c.version + 1);
    // Every loser is told the version it lost to, on both engines (PostgreSQL reads the row locked).
    for (const a of answers.filter((x) => x.status === 409))
      expect(a.body).toMatchObject({ currentVersion: c.version + 1 });

    const full = (await getCase(server, commander, c.id)).body.case as CaseView;
    expect(full.version).toBe(c.version + 1);
    expect(full.status).toBe(winner.status);
    expect(full.timeline!.map((e) => e.type)).toEqual(['created', 'dispatch', full.timeline![2]!.type]);
    expect(['acknowledge', 'return', 'reassign']).toContain(full.timeline![2]!.type);
    // No gaps anywhere in the log: every refused action left nothing behind.
    const seqs = (await server.store.db.selectFrom('case_events').select('seq').orderBy('seq').execute()).map(
      (r) => Number(r.seq),
    );
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('serialises concurrent intake: sequence numbers stay unique and gap-free', async () => {
    const pts = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => pointIn(server.handle.ctx.geo, DONGCHENG, 10 + i));
    const answers = await Promise.all(
      pts.map((p) => report(server, commander, clueAt(p, { matterCode: 'SR12' }))),
    );
    expect(answers.every((a) => a.status === 201)).toBe(true);
    const seqs = (await server.store.db.selectFrom('case_events').select('seq').orderBy('seq').execute()).map(
      (r) => Number(r.seq),
    );
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('takes intake and actions at the same moment (on SQLite, two writers): all answered, the log gap-free', async () => {
    // Cases to act on, then 30 clues and 10 acknowledgements sent together.
    const open = await Promise.all(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) =>
        report(
          server,
          commander,
          clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 40 + i), { matterCode: 'SR12' }),
        ),
      ),
    );
    const [clues, acks] = await Promise.all([
      Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          report(
            server,
            commander,
            clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 60 + i), { matterCode: 'SR12' }),
          ),
        ),
      ),
      Promise.all(
        open.map((o) => {
          const c = o.body.case as CaseView;
          return act(server, dongcheng, c.id, { action: 'acknowledge', version: c.version });
        }),
      ),
    ]);
    expect(clues.map((a) => a.status)).toEqual(clues.map(() => 201));
    expect(acks.map((a) => a.status)).toEqual(acks.map(() => 200));
    const rows = await server.store.db
      .selectFrom('case_events')
      .select(['seq', 'case_id', 'type'])
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    for (const o of open) {
      const id = (o.body.case as CaseView).id;
      expect(rows.filter((r) => r.case_id === id).map((r) => r.type)).toEqual([
        'created',
        'dispatch',
        'acknowledge',
      ]);
    }
    for (const a of clues) {
      const c = a.body.case as CaseView;
      const full = (await getCase(server, commander, c.id)).body.case as CaseView;
      expect(full.timeline!.map((e) => e.type)).toEqual(['created', 'dispatch']);
    }
    // On SQLite the clues were committed by the writer thread, the acknowledgements on the main thread.
    if (engine === 'sqlite') expect(server.store.writer!.committed).toBeGreaterThan(0);
  });

  it('links the second of two simultaneous clues at one spot as a possible duplicate', async () => {
    const p = pointIn(server.handle.ctx.geo, DONGCHENG, 30);
    const [a, b] = await Promise.all([
      report(server, commander, clueAt(p, { matterCode: 'SR07' })),
      report(server, commander, clueAt([p[0] + 0.0001, p[1]], { matterCode: 'SR07' })),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const cases = [a.body.case, b.body.case] as CaseView[];
    const linked = cases.filter((c) => c.duplicateOf !== null);
    expect(linked).toHaveLength(1);
    expect(linked[0]!.status).toBe('reported');
    expect(cases.map((c) => c.id)).toContain(linked[0]!.duplicateOf);
  });

  it('answers each of four simultaneous 督办 on one version alike: one taken, three told the current version', async () => {
    const created = await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 100)));
    const c = created.body.case as CaseView;
    const answers = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        act(server, commander, c.id, { action: 'escalate', version: c.version, reason: `督办 ${i}` }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409]);
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.body).toMatchObject({ currentVersion: c.version + 1 });
      expect(a.body.error).toContain(`当前版本 ${c.version + 1}，提交版本 ${c.version}`);
    }
  });
});
