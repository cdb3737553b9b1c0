// A task the unit had returned (退回), sent back to it by the command centre all the same
// (退回未同意，重新派遣): every read of the case says so, with the centre's note, while that unit has it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../../shared/cases';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { act, clueAt, getCase, pointIn, report } from '../../support/cases';
import { connectSocket, waitFor, waitForCaseEvent } from '../../support/socket';

const DONGCHENG = '140581002';

describe.each(ENGINES)('re-dispatch after a return on %s', (engine) => {
  let server: TestServer;
  let commander: string;
  let dongcheng: string;

  beforeAll(async () => {
    server = await startTestServer({ engine });
    commander = await tokenFor(server, 'commander1', 'commander');
    dongcheng = await tokenFor(server, 'dongcheng', 'township', { kind: 'township', code: DONGCHENG });
  });
  afterAll(() => server?.close());

  async function step(token: string, c: CaseView, body: Record<string, unknown>): Promise<CaseView> {
    const r = await act(server, token, c.id, { version: c.version, ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.case as CaseView;
  }
  const listed = async (token: string, id: string) => {
    const r = await call(server.url, token, 'GET', `/api/cases?assignee=township:${DONGCHENG}&limit=500`);
    return (r.body.items as CaseView[]).find((c) => c.id === id);
  };

  it("carries the centre's note on the list, the case and the action's reply while the unit that returned it has it", async () => {
    let c = (await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 0)))).body
      .case as CaseView;
    expect(c.redispatch).toBeUndefined();
    c = await step(dongcheng, c, { action: 'return', reason: '非本辖区' });
    const dongchengParty = { kind: 'township', code: DONGCHENG };
    c = await step(commander, c, { action: 'dispatch', assignee: dongchengParty, note: '经协调，重新派遣' });
    expect(c.redispatch).toEqual({ at: expect.any(Number), note: '经协调，重新派遣' });
    expect((await listed(dongcheng, c.id))?.redispatch?.note).toBe('经协调，重新派遣');
    expect((await getCase(server, dongcheng, c.id)).body.case.redispatch?.note).toBe('经协调，重新派遣');

    // Acknowledged, it stays said; sent to another unit, it is not that unit's re-dispatch.
    c = await step(dongcheng, c, { action: 'acknowledge' });
    expect(c.redispatch?.note).toBe('经协调，重新派遣');
    c = await step(commander, c, {
      action: 'reassign',
      assignee: { kind: 'department', code: 'zrzyj' },
      reason: '属自然资源职权',
    });
    expect(c.redispatch).toBeUndefined();
    expect((await getCase(server, commander, c.id)).body.case.redispatch).toBeUndefined();
  });

  it('is still said on the case a merged_in event brings live, which the desk puts in place of its copy', async () => {
    const spot = pointIn(server.handle.ctx.geo, DONGCHENG, 2);
    let c = (await report(server, commander, clueAt(spot))).body.case as CaseView;
    c = await step(dongcheng, c, { action: 'return', reason: '非本辖区' });
    c = await step(commander, c, {
      action: 'dispatch',
      assignee: { kind: 'township', code: DONGCHENG },
      note: '经协调，重新派遣',
    });
    // A second report of it, held for review as a likely duplicate, is merged into it.
    const duplicate = (await report(server, commander, clueAt(spot))).body.case as CaseView;
    expect(duplicate.duplicateOf).toBe(c.id);
    const socket = connectSocket(server.url, dongcheng);
    try {
      await waitFor(socket, 'hello');
      const heard = waitForCaseEvent(socket, (e) => e.type === 'merged_in' && e.caseId === c.id);
      await step(commander, duplicate, { action: 'merge', into: c.id, reason: '重复上报' });
      expect((await heard).case.redispatch?.note).toBe('经协调，重新派遣');
    } finally {
      socket.close();
    }
  });

  // The big screen's 被退回 row says who sent it back and why, and its feed names who had the task.
  it('says on every read of a returned case who returned it, when and why, until it is sent on; each event names who had the task', async () => {
    const socket = connectSocket(server.url, commander);
    try {
      await waitFor(socket, 'hello');
      let c = (await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 3)))).body
        .case as CaseView;
      const east = { kind: 'township', code: DONGCHENG, name: '东城街道' };
      const heardReturn = waitForCaseEvent(socket, (e) => e.type === 'return' && e.caseId === c.id);
      c = await step(dongcheng, c, { action: 'return', reason: '上报位置有误，不在本街道' });
      const back = { at: (await heardReturn).at, by: east, reason: '上报位置有误，不在本街道' };
      expect(c.lastReturn).toEqual(back);
      expect((await heardReturn).case.lastReturn).toEqual(back);
      expect((await heardReturn).payload.holder).toEqual(east);
      expect((await getCase(server, commander, c.id)).body.case.lastReturn).toEqual(back);
      const list = await call(server.url, commander, 'GET', '/api/cases?status=returned&limit=500');
      expect((list.body.items as CaseView[]).find((x) => x.id === c.id)?.lastReturn).toEqual(back);

      // Sent to a department: the return is history; the department's own actions and the centre's
      // chase name the department as the one that had it, whatever the case says later.
      c = await step(commander, c, { action: 'dispatch', assignee: { kind: 'department', code: 'zrzyj' } });
      expect(c.lastReturn).toBeUndefined();
      expect((await getCase(server, commander, c.id)).body.case.lastReturn).toBeUndefined();
      const zrzyj = await tokenFor(server, 'zrzyj-holder', 'department', {
        kind: 'department',
        code: 'zrzyj',
      });
      const heardAck = waitForCaseEvent(socket, (e) => e.type === 'acknowledge' && e.caseId === c.id);
      c = await step(zrzyj, c, { action: 'acknowledge' });
      const dept = { kind: 'department', code: 'zrzyj', name: c.assignee!.name };
      expect((await heardAck).payload.holder).toEqual(dept);
      const heardChase = waitForCaseEvent(socket, (e) => e.type === 'escalate' && e.caseId === c.id);
      c = await step(commander, c, { action: 'escalate', reason: '请尽快到场' });
      expect((await heardChase).payload.holder).toEqual(dept);
    } finally {
      socket.close();
    }
  });

  it('is not a re-dispatch when the unit never returned the case', async () => {
    let c = (await report(server, commander, clueAt(pointIn(server.handle.ctx.geo, DONGCHENG, 1)))).body
      .case as CaseView;
    c = await step(commander, c, { action: 'reassign', assignee: { kind: 'department', code: 'zrzyj' } });
    const zrzyj = await tokenFor(server, 'zrzyj', 'department', { kind: 'department', code: 'zrzyj' });
    c = await step(zrzyj, c, { action: 'return', reason: '不属本部门' });
    c = await step(commander, c, {
      action: 'dispatch',
      assignee: { kind: 'township', code: DONGCHENG },
      note: '请处置',
    });
    expect(c.redispatch).toBeUndefined();
    expect((await listed(dongcheng, c.id))?.redispatch).toBeUndefined();
  });
});
