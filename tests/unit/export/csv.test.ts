import { describe, expect, it } from 'vitest';
import { csvCell, documentToCsv } from '../../../server/export/csv';

describe('CSV export', () => {
  it('quotes what needs quoting and keeps numbers as numbers', () => {
    expect(csvCell('东城街道')).toBe('东城街道');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(0.875)).toBe('0.875');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-3)).toBe('-3'); // a negative number is a number
    expect(csvCell('-4.0%')).toBe('-4.0%'); // and so is one written as the workbook shows it
    expect(csvCell('-1+2')).toBe("'-1+2");
  });

  it('writes numbers as the workbook shows them: rates in per cent, minutes to one decimal', () => {
    const csv = documentToCsv({
      title: '统计导出',
      filters: [],
      tables: [
        {
          title: '指标',
          columns: ['指标', '数值', '分子'],
          rows: [
            ['结案率', 1 / 3, 1],
            ['签收响应', 12.345, null],
            ['案件量', 12, null],
          ],
          formats: [null, null, '0'],
          rowFormats: { columns: [1], formats: ['0.0%', '0.0', '0'] },
        },
        { title: '排名', columns: ['乡镇', '结案率'], rows: [['东城街道', 0.875]], formats: [null, '0.0%'] },
      ],
    });
    expect(csv.slice(1).split('\r\n')).toEqual([
      '统计导出',
      '',
      '指标',
      '指标,数值,分子',
      '结案率,33.3%,1',
      '签收响应,12.3,',
      '案件量,12,',
      '',
      '排名',
      '乡镇,结案率',
      '东城街道,87.5%',
      '',
    ]);
  });

  it('writes the filters first, then each table under its title, for Excel (BOM, CRLF)', () => {
    const csv = documentToCsv({
      title: '统计导出',
      filters: [
        ['时间范围', '2026-11-16 – 2026-11-22'],
        ['乡镇', '东城街道'],
      ],
      tables: [{ title: '指标', columns: ['指标', '数值'], rows: [['案件量', 12]] }],
    });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      '统计导出',
      '时间范围,2026-11-16 – 2026-11-22',
      '乡镇,东城街道',
      '',
      '指标',
      '指标,数值',
      '案件量,12',
      '',
    ]);
  });
});
