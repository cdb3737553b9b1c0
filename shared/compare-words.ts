// What a statistics report is compared with, in Chinese: 环比 against the period just before (上期),
// 同比 against the same days a year earlier (去年同期). The leader page (zh-CN) and the export say
// the same words from here. Zod-free: the pages' first chunk carries it.
export const COMPARE_WORDS = {
  previous: { change: '环比', prev: '上期' },
  year: { change: '同比', prev: '去年同期' },
} as const;
