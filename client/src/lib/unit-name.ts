// A unit's name as a crowded line on the wall says it: without the county's own name in front
// (高平市城市管理局 → 城市管理局) nor a bracketed remark behind (人力资源和社会保障局（劳动保障监察）
// → 人力资源和社会保障局). A township's name is short already and stays as it is. The full name
// goes in the line's tooltip.
import zhCN from '@/i18n/zh-CN';

/**
 * The county's name as the records write it in units' names (高平市), in Chinese whatever the page's
 * language: the English page's 'Gaoping' is in no record.
 */
const RECORDS_COUNTY = zhCN.app.county;

/**
 * `name` without a leading `county` (the records' 高平市 unless told) and a trailing （…） remark;
 * never empty.
 */
export function shortUnitName(name: string, county: string = RECORDS_COUNTY): string {
  let s = name.trim();
  if (county && s.startsWith(county) && s.length > county.length) s = s.slice(county.length);
  const bracket = s.search(/[（(][^（(]*[）)]$/);
  if (bracket > 0) s = s.slice(0, bracket);
  return s.trim() || name;
}
