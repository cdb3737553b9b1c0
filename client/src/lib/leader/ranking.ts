// The township ranking table (比学赶超) in the page: the order, ranks and moves as the export has
// them (shared/ranking.ts), and a cell in the page's words.
import { formatMeasure, type MeasureDef } from '../../../../shared/kpi';

export {
  bestFirst,
  rankBestFirst,
  rankedCount,
  rankMove,
  rankMoves,
  ranks,
  sortRows,
  type RankMove,
  type SortDir,
} from '../../../../shared/ranking';

/**
 * A cell of the ranking. A column reads in one unit: a time is in minutes to one decimal (0.5 分钟,
 * never 30 秒 above 3.0 分钟, as the measure cards' single figure may say), and one under three
 * seconds is <0.1 分钟, not 0.0 分钟 (no time at all). Rates and counts as everywhere.
 */
export function formatCell(m: Pick<MeasureDef, 'unit'>, v: number | null, minutesUnit = '分钟'): string {
  if (m.unit !== 'minutes' || v === null || !Number.isFinite(v)) return formatMeasure(m, v);
  return `${v > 0 && v < 0.05 ? '<0.1' : v.toFixed(1)} ${minutesUnit}`;
}
