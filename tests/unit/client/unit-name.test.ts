import { describe, expect, it } from 'vitest';
import { shortUnitName } from '../../../client/src/lib/unit-name';

describe('shortUnitName (the assignee as the feed and the queue say it)', () => {
  it("drops the county's own name in front and a bracketed remark behind", () => {
    expect(shortUnitName('高平市城市管理局', '高平市')).toBe('城市管理局');
    expect(shortUnitName('高平市人力资源和社会保障局（劳动保障监察）', '高平市')).toBe(
      '人力资源和社会保障局',
    );
    expect(shortUnitName('高平市水务局', '高平市')).toBe('水务局');
  });

  it("keeps another city's name, a township's name, and a name that is only the county's", () => {
    expect(shortUnitName('晋城市生态环境局高平分局', '高平市')).toBe('晋城市生态环境局高平分局');
    expect(shortUnitName('东城街道', '高平市')).toBe('东城街道');
    expect(shortUnitName('高平市', '高平市')).toBe('高平市');
    expect(shortUnitName('（筹）', '高平市')).toBe('（筹）');
  });
});
