// Unit codes (行政区划 and grid codes) in order: plain string order, since the codes are ASCII
// digits. The same on the server and in the browser, and no locale collator (whose first use in
// the browser loads ICU's collation data on the main thread while the big screen starts).
export const compareCodes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
