// What the queue and the dispatch panel say of a case the command centre has chased (督办).
import { describe, expect, it } from 'vitest';
import { escalationNote } from '../../../client/src/lib/escalation';
import { translator } from './fixtures';

describe('escalationNote', () => {
  const zh = translator('zh-CN');
  const en = translator('en');
  // 10:00 on 4 December 2026 in Shanghai.
  const now = Date.UTC(2026, 11, 4, 2, 0);
  const today = Date.UTC(2026, 11, 4, 0, 20); // 08:20 in Shanghai
  const earlier = Date.UTC(2026, 10, 25, 9, 51); // 17:51 on 25 November

  it('says nothing of a case never chased', () => {
    expect(escalationNote({ escalations: 0, escalatedAt: null }, now, zh, 'short')).toBeNull();
    expect(escalationNote({ escalations: 0, escalatedAt: null }, now, zh, 'long')).toBeNull();
  });

  it('says how often and when last, with the date when it was another day', () => {
    expect(escalationNote({ escalations: 1, escalatedAt: today }, now, zh, 'short')).toBe('督办 08:20');
    expect(escalationNote({ escalations: 3, escalatedAt: today }, now, zh, 'short')).toBe('督办3次 08:20');
    expect(escalationNote({ escalations: 2, escalatedAt: earlier }, now, zh, 'long')).toBe(
      '已督办 2 次，最近 11-25 17:51',
    );
    expect(escalationNote({ escalations: 1, escalatedAt: today }, now, zh, 'long')).toBe('已督办（08:20）');
    expect(escalationNote({ escalations: 2, escalatedAt: today }, now, en, 'long')).toBe(
      'Escalated 2 times, last at 08:20',
    );
  });

  it('gives the count alone when the time is not known', () => {
    // A case view from a server before escalatedAt has no such field at all.
    const older = { escalations: 3 } as { escalations: number; escalatedAt: null };
    expect(escalationNote(older, now, zh, 'long')).toBe('已督办 3 次');
    expect(escalationNote({ escalations: 2, escalatedAt: null }, now, zh, 'short')).toBe('督办2次');
    expect(escalationNote({ escalations: 2, escalatedAt: null }, now, en, 'long')).toBe('Escalated 2 times');
  });
});
