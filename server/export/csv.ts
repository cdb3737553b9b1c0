// The export as CSV (RFC 4180): a UTF-8 byte-order mark so Excel reads the Chinese, CRLF line ends,
// quoted where needed, and formula-looking text defused (a cell starting with = + - @ would run as
// a formula when the file is opened in a spreadsheet).
import type { Cell, ExportDocument } from './document';

const BOM = '\uFEFF';

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: Cell[]): string {
  return cells.map(csvCell).join(',');
}

/** The whole document: the filters block, then each table under its title, blank lines between. */
export function documentToCsv(doc: ExportDocument): string {
  const lines: string[] = [csvLine([doc.title])];
  for (const [k, v] of doc.filters) lines.push(csvLine([k, v]));
  for (const t of doc.tables) {
    lines.push('');
    lines.push(csvLine([t.title]));
    lines.push(csvLine(t.columns));
    for (const r of t.rows) lines.push(csvLine(r));
  }
  return BOM + lines.join('\r\n') + '\r\n';
}
