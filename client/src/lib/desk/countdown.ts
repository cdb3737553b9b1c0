// The countdown a desk row shows against its deadline: time left, and how urgent (soon = within
// 20 % of the limit or the last 30 minutes; over = past, shown with a minus sign, not colour alone).

export type Urgency = 'ok' | 'soon' | 'over';
export const SOON_FRACTION = 0.2;
export const SOON_MS = 30 * 60_000;

export interface Countdown {
  remainingMs: number;
  urgency: Urgency;
  text: string;
}

export function countdown(deadline: number, now: number, start?: number | null): Countdown {
  const remainingMs = deadline - now;
  let urgency: Urgency = 'ok';
  if (remainingMs < 0) urgency = 'over';
  else {
    const limit = start !== undefined && start !== null ? Math.max(deadline - start, 0) : null;
    if (remainingMs <= SOON_MS || (limit !== null && remainingMs <= limit * SOON_FRACTION)) urgency = 'soon';
  }
  return { remainingMs, urgency, text: formatRemaining(remainingMs) };
}

/** "12:34", "3:05:09", "2天4时" (48 h and more), with a leading "-" once past. */
export function formatRemaining(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h >= 48) return `${sign}${Math.floor(h / 24)}天${h % 24}时`;
  return h ? `${sign}${h}:${pad(m)}:${pad(s)}` : `${sign}${m}:${pad(s)}`;
}
