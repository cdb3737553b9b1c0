import { describe, expect, it } from 'vitest';
import { pageTitle } from '../../../client/src/lib/title-badge';

describe("the tab's title", () => {
  const base = '高平市基层综合执法指挥调度';
  it('is the page’s own while nothing is pending', () => {
    expect(pageTitle(base, null, false)).toBe(base);
    expect(pageTitle(base, { count: 0, label: '新任务' }, true)).toBe(base);
  });
  it('counts what is pending, and names the newest on the alternate beat', () => {
    expect(pageTitle(base, { count: 3, label: '督办' }, false)).toBe(`(3) ${base}`);
    expect(pageTitle(base, { count: 3, label: '督办' }, true)).toBe(`【督办】${base}`);
  });
});
