// The unit a line of the big screen's live feed names (QA: "督办 南城街道 占道经营" read as if
// 南城街道 were chased, when 东城街道 had the case).
import { describe, expect, it } from 'vitest';
import { feedUnit } from '../../../client/src/lib/screen/feed-unit';
import { translator } from './fixtures';

describe('feedUnit', () => {
  const zh = translator('zh-CN');
  const en = translator('en');

  it('names the unit the centre sent the case to or chased with →, the one that acted as 承办', () => {
    expect(feedUnit({ to: '东城街道' }, '南城街道', zh)).toEqual({ short: '→ 东城街道', full: '→ 东城街道' });
    expect(feedUnit({ by: '东城街道' }, '南城街道', zh)).toEqual({
      short: '承办 东城街道',
      full: '承办 东城街道',
    });
    expect(feedUnit({ by: '东城街道' }, '南城街道', en)).toEqual({
      short: 'held by 东城街道',
      full: 'held by 东城街道',
    });
  });

  it('drops the county from the line, not from the tooltip', () => {
    expect(feedUnit({ to: '高平市城市管理局' }, '南城街道', zh)).toEqual({
      short: '→ 城市管理局',
      full: '→ 高平市城市管理局',
    });
  });

  it('says nothing where the unit is the place’s own township (the line names it), or there is none', () => {
    expect(feedUnit({ by: '南城街道' }, '南城街道', zh)).toBeNull();
    expect(feedUnit({ to: '南城街道' }, '南城街道', zh)).toBeNull();
    expect(feedUnit({}, '南城街道', zh)).toBeNull();
  });
});
