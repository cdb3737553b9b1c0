// Where clues come from (线索来源), without zod: the big screen's 登记线索 form and the leader's
// filter list them, and the screen's first chunk must not carry the schemas (shared/cases.ts
// re-exports these beside them).
export const CLUE_SOURCES = [
  'grid_worker', // 网格员
  'patrol', // 巡查员
  'hotline_12345', // 12345 热线
  'public', // 群众
  'video', // 视频监控
  'department_transfer', // 部门移交
] as const;
export type ClueSource = (typeof CLUE_SOURCES)[number];

/** The sources' Chinese names: the pages (zh-CN) and the statistics export show these words. */
export const SOURCE_LABELS: Record<ClueSource, string> = {
  grid_worker: '网格员',
  patrol: '巡查员',
  hotline_12345: '12345热线',
  public: '群众',
  video: '视频监控',
  department_transfer: '部门移交',
};

/**
 * A reporter's phone as intake takes it: digits, +, - or spaces, 3–20 of them, at least three of them
 * digits (reporterSchema; `+-+` was taken as a phone).
 */
export const PHONE_PATTERN = /^(?=(?:[^0-9]*[0-9]){3})[0-9+\- ]{3,20}$/;
