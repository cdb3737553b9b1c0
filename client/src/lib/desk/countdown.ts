// The countdown a desk row shows against its deadline: time left, and how urgent (soon = within
// 20 % of the limit or the last 30 minutes; over = past, shown with a minus sign, not colour alone).

// The text is the screen's ("12:34", "3:05:09", "2天4时", "-0:42"): lib/sla.ts formatCountdown.
import { AMBER_FRACTION, formatCountdown } from '../sla';
import type { Translate } from '../translate';

export type Urgency = 'ok' | 'soon' | 'over';
export const SOON_MS = 30 * 60_000;

export interface Countdown {
  remainingMs: number;
  urgency: Urgency;
  text: string;
}

export function countdown(deadline: number, now: number, start?: number | null, t?: Translate): Countdown {
  const remainingMs = deadline - now;
  let urgency: Urgency = 'ok';
  if (remainingMs < 0) urgency = 'over';
  else {
    const limit = start !== undefined && start !== null ? Math.max(deadline - start, 0) : null;
    if (remainingMs <= SOON_MS || (limit !== null && remainingMs <= limit * AMBER_FRACTION)) urgency = 'soon';
  }
  return { remainingMs, urgency, text: formatCountdown(remainingMs, t) };
}
