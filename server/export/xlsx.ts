// The export as an Excel workbook: the first sheet lists the filters, then one sheet per table,
// numbers kept as numbers (with a display format) so the figures can be summed and charted.
import ExcelJS from 'exceljs';
import type { ExportDocument } from './document';

/** Excel refuses sheet names over 31 characters or with : \ / ? * [ ]. */
export function sheetName(title: string, used: Set<string>): string {
  const base = title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Sheet';
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base.slice(0, 28)} ${i}`;
  used.add(name);
  return name;
}

export async function documentToXlsx(doc: ExportDocument, createdAt: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '高平市基层综合执法指挥调度平台';
  wb.created = createdAt;
  const used = new Set<string>();

  const filters = wb.addWorksheet(sheetName('筛选条件', used));
  filters.columns = [
    { header: '', key: 'k', width: 18 },
    { header: '', key: 'v', width: 48 },
  ];
  filters.getCell('A1').value = doc.title;
  filters.getCell('A1').font = { bold: true, size: 14 };
  doc.filters.forEach(([k, v], i) => {
    const row = filters.getRow(i + 3);
    row.getCell(1).value = k;
    row.getCell(1).font = { bold: true };
    row.getCell(2).value = v;
  });

  for (const t of doc.tables) {
    const ws = wb.addWorksheet(sheetName(t.title, used), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(t.columns).font = { bold: true };
    t.rows.forEach((r, i) => {
      const row = ws.addRow(r.map((c) => (c === null ? null : c)));
      const fmt = t.rowFormats?.formats[i];
      if (fmt) for (const col of t.rowFormats!.columns) row.getCell(col + 1).numFmt = fmt;
    });
    t.columns.forEach((title, i) => {
      const col = ws.getColumn(i + 1);
      const longest = Math.max(
        title.length * 2,
        ...t.rows.map((r) => String(r[i] ?? '').length * (typeof r[i] === 'string' ? 2 : 1)),
      );
      col.width = Math.min(60, Math.max(10, longest + 2));
      const fmt = t.formats?.[i];
      if (fmt) col.numFmt = fmt;
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
