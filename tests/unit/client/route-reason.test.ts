// Why a case was routed where it was, as the dispatch panel says it: the stored Chinese sentence on
// the Chinese screen (it is the case's record), the same facts in the screen's words otherwise.
import { describe, expect, it } from 'vitest';
import { routeReason } from '../../../client/src/lib/route-reason';
import { makeCase, translator } from './fixtures';

describe('routeReason', () => {
  const zh = translator('zh-CN');
  const en = translator('en');
  const delegated = makeCase({
    route: {
      assignee: { kind: 'township', code: '140581002', name: '东城街道' },
      cooperating: [],
      reason: '事项已赋权东城街道，由东城街道主办',
    },
  });
  const base = makeCase();
  const department = makeCase({
    location: {
      ...base.location!,
      dedicated: [
        { code: 'D1', name: '高平一中' },
        { code: 'D2', name: '东关菜市场' },
      ],
      nearBoundary: true,
    },
    duplicateOf: 'C0',
    route: {
      assignee: { kind: 'department', code: 'zrzyj', name: '县自然资源局' },
      cooperating: [{ kind: 'township', code: '140581002', name: '东城街道' }],
      reason: '未赋权乡镇，由县自然资源局主办，东城街道配合；位于专属网格「高平一中」「东关菜市场」',
    },
  });

  it('shows the stored sentence on the Chinese screen, as the record has it', () => {
    expect(routeReason(delegated, 'zh-CN', zh)).toBe('事项已赋权东城街道，由东城街道主办');
    expect(routeReason(department, 'zh-CN', zh)).toBe(department.route!.reason);
    // A possible duplicate is named by its number where the screen knows it (the record names its id).
    const dup = {
      ...delegated,
      duplicateOf: '01a242a5-8bb1-7000-8000-000000000001',
      route: {
        ...delegated.route!,
        reason:
          '事项已赋权东城街道，由东城街道主办；50 米内有同类未结案件 01a242a5-8bb1-7000-8000-000000000001，疑似重复',
      },
    };
    expect(routeReason(dup, 'zh-CN', zh, () => '20261205-0036')).toBe(
      '事项已赋权东城街道，由东城街道主办；50 米内有同类未结案件 20261205-0036，疑似重复',
    );
  });

  it('says the same facts in English: who leads and who assists', () => {
    expect(routeReason(delegated, 'en', en)).toBe('Delegated to townships: 东城街道 leads');
    expect(routeReason(department, 'en', en)).toBe(
      'Not delegated to townships: 县自然资源局 leads, 东城街道 assists; in the dedicated grid “高平一中”, “东关菜市场”; near a township boundary: confirm the owner; an open case of the same matter within 50 m: possibly a duplicate',
    );
    expect(routeReason(department, 'en', en)).not.toMatch(/[，；]/);
  });

  it('names the township across a near boundary and how far, where the case records them', () => {
    const named = makeCase({
      location: {
        ...base.location!,
        nearBoundary: true,
        neighbour: { township: { code: '140581202', name: '石末乡' }, meters: 24 },
      },
      route: {
        ...delegated.route!,
        reason: '事项已赋权东城街道，由东城街道主办；距石末乡边界约 24 米，请坐席确认归属',
      },
    });
    expect(routeReason(named, 'en', en)).toBe(
      'Delegated to townships: 东城街道 leads; about 24 m from the 石末乡 boundary: confirm the owner',
    );
    expect(routeReason(named, 'zh-CN', zh)).toBe(named.route!.reason);
  });

  it('has nothing to say of a case without a route', () => {
    expect(routeReason(makeCase({ route: null }), 'en', en)).toBeNull();
    expect(routeReason(makeCase({ route: null }), 'zh-CN', zh)).toBeNull();
  });
});
