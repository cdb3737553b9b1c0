// The role × endpoint matrix: what each kind of caller gets from each case endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role, Scope } from '../../../shared/auth';
import type { CaseView } from '../../../shared/cases';
import { ENGINES } from '../../support/db';
import { startTestServer, type TestServer } from '../../support/server';
import { call, tokenFor } from '../../support/auth';
import { act, clueAt, pointIn, pointNearBoundary, report } from '../../support/cases';

const DONGCHENG = '140581002';

type Caller = 'anonymous' | 'admin' | 'commander' | 'leader' | 'township' | 'otherTownship' | 'department';
const CALLERS: Array<[Caller, Role | null, Scope | undefined]> = [
  ['anonymous', null, undefined],
  ['admin', 'admin', undefined],
  ['commander', 'commander', undefined],
  ['leader', 'leader', undefined],
  ['township', 'township', { kind: 'township', code: DONGCHENG }],
  ['otherTownship', 'township', { kind: 'township', code: '140581101' }],
  ['department', 'department', { kind: 'department', code: 'sthjj' }],
];

// Expected statuses. Columns follow CALLERS. The case is a 东城街道 matter delegated to 东城街道.
const MATRIX: Record<string, Record<Caller, number>> = {
  'POST /api/clues': {
    anonymous: 401,
    admin: 201,
    commander: 201,
    leader: 403,
    township: 201,
    otherTownship: 403,
    department: 201,
  },
  'GET /api/matters': {
    anonymous: 401,
    admin: 200,
    commander: 200,
    leader: 200,
    township: 200,
    otherTownship: 200,
    department: 200,
  },
  'GET /api/cases': {
    anonymous: 401,
    admin: 200,
    commander: 200,
    leader: 200,
    township: 200,
    otherTownship: 200,
    department: 200,
  },
  'GET /api/cases/:id': {
    anonymous: 401,
    admin: 200,
    commander: 200,
    leader: 200,
    township: 200,
    otherTownship: 404,
    department: 404,
  },
  'GET /api/stats': {
    anonymous: 401,
    admin: 200,
    commander: 200,
    leader: 200,
    township: 200,
    otherTownship: 200,
    department: 200,
  },
  'dispatch (reported)': {
    anonymous: 401,
    admin: 200,
    commander: 200,
    leader: 403,
    township: 403,
    otherTownship: 404,
    department: 404,
  },
  'reject (reported)': {
    anonymous: 401,
    admin: 200,
    commander: 200,
    leader: 403,
    township: 403,
    otherTownship: 404,
    department: 404,
  },
  'acknowledge (dispatched)': {
    anonymous: 401,
    admin: 200,
    commander: 403,
    leader: 403,
    township: 200,
    otherTownship: 404,
    department: 404,
  },
  'return (dispatched)': {
    anonymous: 401,
    admin: 200,
    commander: 403,
    leader: 403,
    township: 200,
    otherTownship: 404,
    department: 404,
  },
  'reassign (dispatched)': {
    anonymous: 401,
    admin: 200,
    commander: 200,
    leader: 403,
    township: 403,
    otherTownship: 404,
    department: 404,
  },
  'escalate (dispatched)': {
    anonymous: 401,
    admin: 200,
    commander: 200,
    leader: 403,
    township: 403,
    otherTownship: 404,
    department: 404,
  },
};

describe.each(ENGINES)('role × endpoint matrix on %s', (engine) => {
  let server: TestServer;
  const tokens = {} as Record<Caller, string | null>;
  let commander: string;
  let n = 0;

  beforeAll(async () => {
    server = await startTestServer({ engine });
    for (const [caller, role, scope] of CALLERS)
      tokens[caller] = role ? await tokenFor(server, `u-${caller}`, role, scope) : null;
    commander = tokens.commander!;
  });
  afterAll(() => server?.close());

  /** A fresh 东城街道 case, dispatched, or reported (placed near the boundary). */
  async function freshCase(state: 'dispatched' | 'reported'): Promise<CaseView> {
    const geo = server.handle.ctx.geo;
    const p = state === 'reported' ? pointNearBoundary(geo, DONGCHENG) : pointIn(geo, DONGCHENG, n++ % 40);
    // Different matters keep the fresh case from being linked as a duplicate of an earlier one.
    const matters = ['SR01', 'SR02', 'SR03', 'SR04', 'SR05', 'SR06', 'SR07', 'SR08', 'SR09', 'SR10', 'SR12'];
    const r = await report(server, commander, clueAt(p, { matterCode: matters[n++ % matters.length]! }));
    expect(r.status).toBe(201);
    if (state === 'reported' && r.body.case.status !== 'reported')
      throw new Error('expected a reported case');
    return r.body.case as CaseView;
  }

  const ACTION_BODIES: Record<string, [state: 'dispatched' | 'reported', body: Record<string, unknown>]> = {
    'dispatch (reported)': ['reported', { action: 'dispatch' }],
    'reject (reported)': ['reported', { action: 'reject', reason: '不属实' }],
    'acknowledge (dispatched)': ['dispatched', { action: 'acknowledge' }],
    'return (dispatched)': ['dispatched', { action: 'return', reason: '非本辖区' }],
    'reassign (dispatched)': [
      'dispatched',
      { action: 'reassign', assignee: { kind: 'department', code: 'cgj' } },
    ],
    'escalate (dispatched)': ['dispatched', { action: 'escalate', reason: '请尽快签收' }],
  };

  for (const [endpoint, expected] of Object.entries(MATRIX)) {
    it(`${endpoint}`, async () => {
      const got = {} as Record<Caller, number>;
      for (const [caller] of CALLERS) {
        const token = tokens[caller];
        if (endpoint in ACTION_BODIES) {
          const [state, body] = ACTION_BODIES[endpoint]!;
          const c = await freshCase(state);
          got[caller] = (await act(server, token, c.id, { ...body, version: c.version })).status;
        } else if (endpoint === 'POST /api/clues') {
          const p = pointIn(server.handle.ctx.geo, DONGCHENG, 50 + (n++ % 40));
          got[caller] = (await report(server, token, clueAt(p, { matterCode: 'SR16' }))).status;
        } else if (endpoint === 'GET /api/cases/:id') {
          const c = await freshCase('dispatched');
          got[caller] = (await call(server.url, token, 'GET', `/api/cases/${c.id}`)).status;
        } else {
          got[caller] = (await call(server.url, token, 'GET', endpoint.slice(4))).status;
        }
      }
      expect(got).toEqual(expected);
    });
  }

  it('filters every list by scope: another township sees none of 东城街道’s cases', async () => {
    const mine = await call(server.url, tokens.township, 'GET', '/api/cases?limit=500');
    const theirs = await call(server.url, tokens.otherTownship, 'GET', '/api/cases?limit=500');
    expect(mine.body.total).toBeGreaterThan(0);
    expect(mine.body.items.every((c: CaseView) => c.parties.some((p) => p.code === DONGCHENG))).toBe(true);
    expect(theirs.body.items.filter((c: CaseView) => c.location.township.code === DONGCHENG)).toEqual([]);
    const stats = await call(server.url, tokens.otherTownship, 'GET', '/api/stats');
    expect(stats.body.volume.byTownship[DONGCHENG]).toBeUndefined();
  });
});
