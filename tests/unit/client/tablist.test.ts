import { describe, expect, it } from 'vitest';
import { radioAfterKey, tabAfterKey } from '../../../client/src/lib/tablist';

const TABS = ['awaiting', 'returned', 'overdue'] as const;

describe('the keys of a tab strip', () => {
  it('→ and ← step to the neighbour and wrap round the ends', () => {
    expect(tabAfterKey('ArrowRight', TABS, 'awaiting')).toBe('returned');
    expect(tabAfterKey('ArrowRight', TABS, 'overdue')).toBe('awaiting');
    expect(tabAfterKey('ArrowLeft', TABS, 'returned')).toBe('awaiting');
    expect(tabAfterKey('ArrowLeft', TABS, 'awaiting')).toBe('overdue');
  });

  it('Home and End go to the first and the last', () => {
    expect(tabAfterKey('Home', TABS, 'overdue')).toBe('awaiting');
    expect(tabAfterKey('End', TABS, 'awaiting')).toBe('overdue');
  });

  it('leaves every other key to the page (Tab, Enter, ↑/↓ scroll the list)', () => {
    for (const key of ['Tab', 'Enter', ' ', 'ArrowDown', 'ArrowUp', 'a']) {
      expect(tabAfterKey(key, TABS, 'returned')).toBeNull();
    }
  });
});

describe('the keys of a radio group', () => {
  const UNITS = ['dongcheng', 'beicheng', 'cgj'] as const;

  it('↓/→ and ↑/← step to the neighbour and wrap round; Home and End go to the ends', () => {
    expect(radioAfterKey('ArrowDown', UNITS, 'dongcheng')).toBe('beicheng');
    expect(radioAfterKey('ArrowRight', UNITS, 'beicheng')).toBe('cgj');
    expect(radioAfterKey('ArrowDown', UNITS, 'cgj')).toBe('dongcheng');
    expect(radioAfterKey('ArrowUp', UNITS, 'dongcheng')).toBe('cgj');
    expect(radioAfterKey('ArrowLeft', UNITS, 'cgj')).toBe('beicheng');
    expect(radioAfterKey('Home', UNITS, 'cgj')).toBe('dongcheng');
    expect(radioAfterKey('End', UNITS, 'dongcheng')).toBe('cgj');
  });

  it('leaves Tab, Enter and Space to the page', () => {
    for (const key of ['Tab', 'Enter', ' ', 'a']) expect(radioAfterKey(key, UNITS, 'beicheng')).toBeNull();
  });
});
