// The export as CSV (RFC 4180): a UTF-8 byte-order mark so Excel reads the Chinese, CRLF line ends,
// quoted where needed, and formula-looking text defused (a cell starting with = + - @ would run as
// a formula when the file is opened in a spreadsheet). Numbers are written as the workbook shows
// them (a rate 33.3%, minutes 12.5, a count 3), the page's figures; Excel reads each back as a number.
import type { Cell, ExportDocument, ExportTable } from './document';

const BOM = '\uFEFF';

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  // A plain number as text (-3, 12.5, -4.0%) is a value, not a formula: left as it is.
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?%?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: Cell[]): string {
  return cells.map(csvCell).join(',');
}

/** A number as the workbook's format shows it: '0.0%' → '33.3%', '0.0' → '12.5', '0' → '3'. */
export function formatNumber(v: number, format: string | null | undefined): Cell {
  if (!Number.isFinite(v)) return null;
  if (format === '0.0%') return `${(v * 100).toFixed(1)}%`;
  if (format === '0.0') return v.toFixed(1);
  if (format === '0') return String(Math.round(v));
  return v;
}

/** A table's rows with each number formatted by its column's, or its row's, format. */
function formattedRows(t: ExportTable): Cell[][] {
  return t.rows.map((row, i) =>
    row.map((v, col) => {
      if (typeof v !== 'number') return v;
      const own = t.rowFormats?.columns.includes(col) ? t.rowFormats.formats[i] : undefined;
      return formatNumber(v, own ?? t.formats?.[col]);
    }),
  );
}

/** The whole document: the filters block, then each table under its title, blank lines between. */
export function documentToCsv(doc: ExportDocument): string {
  const lines: string[] = [csvLine([doc.title])];
  for (const [k, v] of doc.filters) lines.push(csvLine([k, v]));
  for (const t of doc.tables) {
    lines.push('');
    lines.push(csvLine([t.title]));
    lines.push(csvLine(t.columns));
    for (const r of formattedRows(t)) lines.push(csvLine(r));
  }
  return BOM + lines.join('\r\n') + '\r\n';
}
