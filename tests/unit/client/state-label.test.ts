// A case's chip: a duplicate merged into its original reads 已合并 (Merged), not 不予立案, though both
// are stored `rejected`; the translations exist in both languages.
import { describe, expect, it } from 'vitest';
import { stateKey } from '../../../client/src/lib/state-label';
import { makeCase, translator } from './fixtures';

describe('stateKey', () => {
  it('names a merged duplicate 已合并 and a 不予立案 as such', () => {
    const zh = translator('zh-CN');
    const en = translator('en');
    const merged = makeCase({ status: 'rejected', mergedInto: 'C0' });
    expect(zh(stateKey(merged))).toBe('已合并');
    expect(en(stateKey(merged))).toBe('Merged');
    expect(zh(stateKey(makeCase({ status: 'rejected' })))).toBe('不予立案');
    expect(zh(stateKey(makeCase({ status: 'returned' })))).toBe('已退回');
  });
});
