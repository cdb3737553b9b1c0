import { describe, expect, it } from 'vitest';
import { readSoundOn, writeSoundOn } from '../../../client/src/lib/desk/preferences';

function memory(): Pick<Storage, 'getItem' | 'setItem'> {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
}

describe('desk sound preference', () => {
  it('is on by default and remembers being switched off and on again', () => {
    const s = memory();
    expect(readSoundOn(s)).toBe(true);
    writeSoundOn(s, false);
    expect(readSoundOn(s)).toBe(false);
    writeSoundOn(s, true);
    expect(readSoundOn(s)).toBe(true);
  });

  it('stays on when storage is blocked', () => {
    const blocked = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(readSoundOn(blocked)).toBe(true);
    expect(() => writeSoundOn(blocked, false)).not.toThrow();
  });
});
