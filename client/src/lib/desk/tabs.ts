// The township desk's tabs (待签收 / 处置中 / 整改中 / 返工 / 已办理 / 协办): which tab a case belongs
// in, how many each holds, and the order within a tab (most urgent first). Pure, tested without Vue.
import { OPEN_STATES } from '@shared/workflow';

export const DESK_TABS = [
  'acknowledge',
  'in_progress',
  'rectifying',
  'rework',
  'done',
  'cooperating',
] as const;
export type DeskTab = (typeof DESK_TABS)[number];

/**
 * The states a case is a unit's work in while open: out of the command centre's hands (not 待派遣
 * reported, nor 已退回 returned) and not yet closed. The desk's open list, and the 协办 tab's.
 */
export const DESK_OPEN_STATES: readonly string[] = OPEN_STATES.filter(
  (s) => s !== 'reported' && s !== 'returned',
);

/**
 * Whether a unit may be a case's cooperating party (协办): a township. Routing names the township's
 * team as the one cooperating (联合执法), never a county department, whose desk has no 协办 tab.
 */
export const cooperates = (party: { kind: string } | null): boolean => party?.kind !== 'department';

/** The tabs a unit's desk shows. */
export function deskTabs(party: { kind: string } | null): readonly DeskTab[] {
  return cooperates(party) ? DESK_TABS : DESK_TABS.filter((t) => t !== 'cooperating');
}

/** What the tab logic reads of a case (the client's CaseItem satisfies it). */
export interface TabCase {
  id: string;
  status: string;
  /** Sent back by the command centre's verification (核查不通过 → 返工) and not resolved since. */
  rework?: boolean;
  /**
   * Another unit's task this unit cooperates on (协办, 联合执法: a department's case in the township):
   * the 协办 tab while open, read only; gone from the desk once closed.
   */
  cooperating?: boolean;
  overdue?: boolean;
  createdAt: number;
  updatedAt: number;
  /** When it left the desk's hands (结案, 办结, 退回): the done tab's order; else updatedAt is used. */
  doneAt?: number;
  deadlines: {
    acknowledge: number | null;
    arrive: number | null;
    finish: number | null;
    rectify: number | null;
  };
}

/**
 * The tab a case is in, or null when it is not the desk's work (still with the command centre).
 * `done` holds what has left the desk's hands: resolved (awaiting verification), closed, returned.
 */
export function tabOf(c: Pick<TabCase, 'status' | 'rework' | 'cooperating'>): DeskTab | null {
  if (c.cooperating) return DESK_OPEN_STATES.includes(c.status) ? 'cooperating' : null;
  switch (c.status) {
    case 'dispatched':
      return 'acknowledge';
    case 'accepted':
    case 'in_progress':
      return c.rework ? 'rework' : 'in_progress';
    case 'rectifying':
      return 'rectifying';
    case 'resolved':
    case 'closed':
    case 'returned':
      return 'done';
    default:
      return null;
  }
}

export function countTabs(
  cases: Iterable<Pick<TabCase, 'status' | 'rework' | 'cooperating'>>,
): Record<DeskTab, number> {
  const out: Record<DeskTab, number> = {
    acknowledge: 0,
    in_progress: 0,
    rectifying: 0,
    rework: 0,
    done: 0,
    cooperating: 0,
  };
  for (const c of cases) {
    const t = tabOf(c);
    if (t) out[t]++;
  }
  return out;
}

/** The deadline that matters in the case's tab (for sorting and the countdown). */
export function tabDeadline(c: TabCase, arrived: boolean): number | null {
  switch (tabOf(c)) {
    case 'acknowledge':
      return c.deadlines.acknowledge;
    case 'in_progress':
    case 'rework':
      return (!arrived ? c.deadlines.arrive : null) ?? c.deadlines.finish;
    case 'rectifying':
      return c.deadlines.rectify;
    case 'cooperating':
      // The lead unit's clock, as its own desk counts it: the cooperating township follows it too.
      return tabDeadline({ ...c, cooperating: false }, arrived);
    default:
      return null;
  }
}

/**
 * The cases of one tab in working order: open tabs by nearest deadline (overdue first, cases without
 * a deadline last, then oldest first); the done tab by when each left the desk's hands, newest first.
 */
export function casesInTab<T extends TabCase & { arrivedAt?: number | null }>(
  cases: Iterable<T>,
  tab: DeskTab,
): T[] {
  const rows = [...cases].filter((c) => tabOf(c) === tab);
  if (tab === 'done') {
    const at = (c: T) => c.doneAt ?? c.updatedAt;
    return rows.sort((a, b) => at(b) - at(a) || a.id.localeCompare(b.id));
  }
  const key = (c: T) => tabDeadline(c, !!c.arrivedAt) ?? Number.POSITIVE_INFINITY;
  return rows.sort((a, b) => key(a) - key(b) || a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/**
 * Whether `next` is a task newly arrived on the desk (for the sound and the flash): it is waiting to
 * be acknowledged and was not before (new, dispatched again after a return, or reassigned to us).
 */
export function isNewTask(prev: Pick<TabCase, 'status'> | undefined, next: Pick<TabCase, 'status'>): boolean {
  return next.status === 'dispatched' && prev?.status !== 'dispatched';
}
