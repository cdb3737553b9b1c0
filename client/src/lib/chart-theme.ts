// The charts' shared look (ECharts option parts): a dark panel, light axis labels, faint split
// lines, one palette. The big screen and the leader page differ only in type size.

export const PALETTE = [
  '#3ea6ff',
  '#21c07a',
  '#ffcc4d',
  '#ff9f1c',
  '#b388ff',
  '#38d9f5',
  '#ff5fa2',
  '#9be15d',
  '#f25f5c',
  '#6b7a90',
];

export const SPLIT_LINE = { lineStyle: { color: 'rgba(120,160,230,0.15)' } };
export const AXIS_LINE = { lineStyle: { color: '#3b5998' } };

export const axisLabel = (fontSize: number) => ({ color: '#a9bde0', fontSize });

export const tooltipStyle = (fontSize: number) => ({
  backgroundColor: 'rgba(5,20,50,0.92)',
  borderColor: '#3ea6ff',
  textStyle: { color: '#e6f0ff', fontSize },
});
