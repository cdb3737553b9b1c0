// The screen's Chinese fonts, by name: the Windows and macOS faces, then those of Chinese Linux
// desktops (UOS, Kylin: Noto/Source Han, WenQuanYi). A family the machine has must be named: text
// in a face found only by fallback is matched character by character, and on a Linux screen that
// made laying out the page and measuring the charts' labels about twice as slow. The page takes its
// font from here (main.ts), the charts theirs (BaseChart), the map its labels'.
export const CJK_FONTS = [
  'PingFang SC',
  'Microsoft YaHei',
  'Noto Sans CJK SC',
  'Source Han Sans SC',
  'WenQuanYi Micro Hei',
  'WenQuanYi Zen Hei',
] as const;

/** A CSS font-family value: the faces above, then the system's. */
export const UI_FONT = [...CJK_FONTS.map((f) => `'${f}'`), 'system-ui', 'sans-serif'].join(', ');

/** The map labels' `text-font` (drawn by MapLibre itself: the styles have no glyph server). */
export const LABEL_FONT = [...CJK_FONTS, 'sans-serif'];
