// The SLA clock a case is on now and how urgent it is: amber within 20 % of its limit, red past it.
import type { CaseItem } from './case-model';
import type { Translate } from './translate';

/** The command centre's own limit for dispatching a reported or returned clue (no matter sets one). */
export const DISPATCH_LIMIT_MS = 30 * 60_000;
/** Its own limit for verifying a case reported done (核查结案): within a day of the report. */
export const VERIFY_LIMIT_MS = 24 * 3600_000;
export const AMBER_FRACTION = 0.2;

export type SlaLevel = 'ok' | 'amber' | 'red';
export type SlaKind = 'dispatch' | 'acknowledge' | 'arrive' | 'finish' | 'rectify' | 'verify';

export interface SlaClock {
  kind: SlaKind;
  start: number;
  deadline: number;
}

/** Which deadline the case is running against in its state, or null when none (final). */
export function currentSla(c: CaseItem): SlaClock | null {
  const since = c.dispatchedAt ?? c.createdAt;
  switch (c.status) {
    case 'reported':
      return { kind: 'dispatch', start: c.createdAt, deadline: c.createdAt + DISPATCH_LIMIT_MS };
    case 'returned': {
      // From the 退回, not the last change: a 督办 after it must not give the 30 minutes again.
      const start = c.statusSince ?? (c.updatedAt || c.createdAt);
      return { kind: 'dispatch', start, deadline: start + DISPATCH_LIMIT_MS };
    }
    case 'dispatched':
      return c.deadlines.acknowledge
        ? { kind: 'acknowledge', start: since, deadline: c.deadlines.acknowledge }
        : null;
    case 'accepted':
    case 'in_progress':
      if (!c.arrivedAt && c.deadlines.arrive)
        return { kind: 'arrive', start: since, deadline: c.deadlines.arrive };
      return c.deadlines.finish ? { kind: 'finish', start: since, deadline: c.deadlines.finish } : null;
    case 'rectifying':
      return c.deadlines.rectify
        ? { kind: 'rectify', start: c.statusSince ?? (c.updatedAt || since), deadline: c.deadlines.rectify }
        : null;
    case 'resolved': {
      const start = c.resolvedAt ?? c.updatedAt ?? c.createdAt;
      return { kind: 'verify', start, deadline: start + VERIFY_LIMIT_MS };
    }
    default:
      return null;
  }
}

export function slaLevel(start: number, deadline: number, now: number): SlaLevel {
  const remaining = deadline - now;
  if (remaining < 0) return 'red';
  const limit = Math.max(deadline - start, 0);
  return remaining <= limit * AMBER_FRACTION ? 'amber' : 'ok';
}

/**
 * "12:34" / "3:05:09" remaining, "-0:42" when past (the sign is the point, not the colour alone);
 * from a day on, days and hours in the page's language (`t`, sla.days: "1天18时", "1d 18h"; in
 * Chinese without it): "42:28:55" beside "3天10时" in one list read as a time of day.
 */
export function formatCountdown(ms: number, t?: Translate): string {
  const sign = ms < 0 ? '-' : '';
  let s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h >= 24) {
    const [d, hours] = [Math.floor(h / 24), h % 24];
    return sign + (t ? t('sla.days', { d, h: hours }) : `${d}天${hours}时`);
  }
  return h ? `${sign}${h}:${pad(m)}:${pad(s)}` : `${sign}${m}:${pad(s)}`;
}
