// The big screen's KPI counters, counted from the cases it holds so they move the instant an
// event lands (the leader statistics use shared/kpi.ts over the whole database).
import { isOpen, type CaseItem } from './case-model';
import { startOfShanghaiDay } from '../../../shared/time';

/**
 * A count with thousands separators, as zh-CN writes it (12,345). By hand rather than
 * `toLocaleString('zh-CN')`, whose first call loads ICU's number data on the main thread (35–70 ms
 * in Chromium here, far more while the screen starts).
 */
export function formatCount(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+$)/g, ',');
}

export interface ScreenCounters {
  /** 今日线索: clues reported today */
  cluesToday: number;
  /** 今日派遣: cases dispatched today */
  dispatchedToday: number;
  /** 今日结案: cases closed today */
  closedToday: number;
  /** 超时: open cases past a deadline */
  overdue: number;
  /** 待派遣: reported or returned, waiting for the command centre */
  awaitingDispatch: number;
}

export function countScreenKpis(cases: Iterable<CaseItem>, now: number): ScreenCounters {
  const today = startOfShanghaiDay(now);
  const out: ScreenCounters = {
    cluesToday: 0,
    dispatchedToday: 0,
    closedToday: 0,
    overdue: 0,
    awaitingDispatch: 0,
  };
  for (const c of cases) {
    if (c.createdAt >= today) out.cluesToday++;
    if (c.dispatchedAt !== null && c.dispatchedAt >= today) out.dispatchedToday++;
    if (c.status === 'closed' && c.closedAt !== null && c.closedAt >= today) out.closedToday++;
    if (c.overdue && isOpen(c.status)) out.overdue++;
    if (c.status === 'reported' || c.status === 'returned') out.awaitingDispatch++;
  }
  return out;
}
