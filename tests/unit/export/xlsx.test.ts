import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { documentToXlsx, sheetName } from '../../../server/export/xlsx';

describe('xlsx export', () => {
  it('puts the filters on the first sheet and each table on its own, numbers as numbers', async () => {
    const buf = await documentToXlsx(
      {
        title: '高平市执法统计',
        filters: [
          ['时间范围', '2026-11-22'],
          ['乡镇', '全部'],
        ],
        tables: [
          {
            title: '指标',
            columns: ['指标', '数值'],
            rows: [
              ['整改率', 0.75],
              ['案件量', 12],
            ],
            formats: [null, '0.0%'],
          },
          { title: '乡镇排名', columns: ['乡镇', '案件量'], rows: [['东城街道', null]] },
        ],
      },
      new Date('2026-11-22T02:00:00Z'),
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['筛选条件', '指标', '乡镇排名']);
    const first = wb.worksheets[0]!;
    expect(first.getCell('A1').value).toBe('高平市执法统计');
    expect(first.getCell('A3').value).toBe('时间范围');
    expect(first.getCell('B3').value).toBe('2026-11-22');
    expect(first.getCell('B4').value).toBe('全部');
    const measures = wb.worksheets[1]!;
    expect(measures.getRow(1).values).toEqual([undefined, '指标', '数值']);
    expect(measures.getCell('B2').value).toBe(0.75);
    expect(measures.getCell('B2').numFmt).toBe('0.0%');
    expect(wb.worksheets[2]!.getCell('B2').value).toBeNull();
  });

  it('makes sheet names Excel accepts, unique', () => {
    const used = new Set<string>();
    expect(sheetName('a/b:c', used)).toBe('a b c');
    expect(sheetName('x'.repeat(40), used)).toHaveLength(31);
    expect(sheetName('x'.repeat(40), used)).toBe(`${'x'.repeat(28)} 2`);
  });
});
