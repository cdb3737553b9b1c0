// What an export holds, independent of its file format: the filters it was made with, then tables
// (measures, trend by day, township ranking, matters, sources). The xlsx and CSV writers render
// the same document, so the two files always agree with each other.

export type Cell = string | number | null;

export interface ExportTable {
  /** Sheet name in the workbook, section heading in the CSV (≤ 31 characters, Excel's limit). */
  title: string;
  columns: string[];
  rows: Cell[][];
  /** Per column: how numbers are shown ('0', '0.0%', '0.0') in the workbook. */
  formats?: Array<string | null>;
  /** Per row, for the listed columns: when each row has its own unit (a rate row, a minutes row). */
  rowFormats?: { columns: number[]; formats: Array<string | null> };
}

export interface ExportDocument {
  /** Heading of the first sheet. */
  title: string;
  /** The filters the figures were computed with, as label → value, in display order. */
  filters: Array<[string, string]>;
  tables: ExportTable[];
}
