import { describe, expect, it } from 'vitest';
import { readHandoverDraft, writeHandoverDraft } from '../../../client/src/lib/handover-draft';
import { HANDOVER_NOTE_MAX } from '../../../shared/handovers';

function memory(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & { size(): number } {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    size: () => m.size,
  };
}

describe('the 交班留言 draft', () => {
  it('is kept per user until it is emptied', () => {
    const s = memory();
    expect(readHandoverDraft(s, 'commander')).toBe('');
    writeHandoverDraft(s, 'commander', '东城街道两件超时，早上电话催办');
    writeHandoverDraft(s, 'wang', '夜班无异常');
    expect(readHandoverDraft(s, 'commander')).toBe('东城街道两件超时，早上电话催办');
    expect(readHandoverDraft(s, 'wang')).toBe('夜班无异常');
    writeHandoverDraft(s, 'commander', '  \n ');
    expect(readHandoverDraft(s, 'commander')).toBe('');
    expect(s.size()).toBe(1);
  });

  it('never reads back more than a note may hold', () => {
    const s = memory();
    s.setItem('screen.handoverDraft:commander', '长'.repeat(HANDOVER_NOTE_MAX + 10));
    expect(readHandoverDraft(s, 'commander')).toHaveLength(HANDOVER_NOTE_MAX);
  });

  it('reads nothing and throws nothing when storage is blocked', () => {
    const fail = () => {
      throw new Error('SecurityError');
    };
    const blocked = { getItem: fail, setItem: fail, removeItem: fail };
    expect(readHandoverDraft(blocked, 'commander')).toBe('');
    expect(() => writeHandoverDraft(blocked, 'commander', '留言')).not.toThrow();
    expect(() => writeHandoverDraft(null, 'commander', '留言')).not.toThrow();
  });
});
