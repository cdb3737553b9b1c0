// Two deployments on one Redis (two counties' servers, or a staging copy beside production, or two
// test runs) do not hear each other: each one's Socket.IO stream and pub/sub channels are named for
// its database (server/scale/deployment.ts). Before, one's case events reached the other's big
// screens (a case there a 404), and its team positions the other's map.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseEventMessage } from '../../../shared/realtime';
import type { CaseView } from '../../../shared/cases';
import { servicesConfigured } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { clueAt, pointIn, report } from '../../support/cases';
import { connectSocket, waitConnected, waitFor, type ClientSocket } from '../../support/socket';

const enabled = servicesConfigured('TEST_REDIS_URL');
const DONGCHENG = '140581002';

describe.runIf(enabled)('two deployments sharing one Redis', () => {
  let a: TestServer;
  let b: TestServer;
  let screen: ClientSocket;

  beforeAll(async () => {
    const env = { REDIS_URL: process.env.TEST_REDIS_URL! };
    // Each with its own database, as two deployments are.
    [a, b] = await Promise.all([startTestServer({ env }), startTestServer({ env })]);
  });
  afterAll(async () => {
    screen?.disconnect();
    await Promise.all([a?.close(), b?.close()]);
  });

  it("tells a big screen its own deployment's cases only", async () => {
    screen = connectSocket(a.url, await tokenFor(a, 'commander-a', 'commander'));
    await waitConnected(screen);
    const heard: string[] = [];
    screen.on('case:events', (events: CaseEventMessage[]) => heard.push(...events.map((e) => e.caseId)));

    const theirs = await report(
      b,
      await tokenFor(b, 'commander-b', 'commander'),
      clueAt(pointIn(b.handle.ctx.geo, DONGCHENG)),
    );
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    // Then one of A's own: A's sockets hear the stream in order, so B's would have come first.
    const ownToken = await tokenFor(a, 'commander-a2', 'commander');
    const ownHeard = waitFor(screen, 'case:events', (events) =>
      events.some((e) => e.caseId !== (theirs.body.case as CaseView).id),
    );
    const own = await report(a, ownToken, clueAt(pointIn(a.handle.ctx.geo, DONGCHENG, 1)));
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    await ownHeard;
    expect(heard).toContain((own.body.case as CaseView).id);
    expect(heard).not.toContain((theirs.body.case as CaseView).id);
  });

  it("counts its own deployment's connections only in GET /api/presence", async () => {
    // The adapter's fetchSockets goes over its own pub/sub channels, not the stream: with their
    // default names, B's processes answered A's question, and A counted B's commander.
    const theirs = connectSocket(b.url, await tokenFor(b, 'commander-b3', 'commander'));
    try {
      await waitFor(theirs, 'hello');
      const r = await call(a.url, await tokenFor(a, 'leader-a', 'leader'), 'GET', '/api/presence');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ units: [], partial: false });
      // A's own big screen (the test before) is counted; B's is not.
      expect((r.body as { commanders: number }).commanders).toBe(screen?.connected ? 1 : 0);
    } finally {
      theirs.disconnect();
    }
  });
});
