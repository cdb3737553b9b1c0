import { describe, expect, it } from 'vitest';
import { tabAfterKey } from '../../../client/src/lib/tablist';

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
