// A team's track for one day, played back: the day's window in Asia/Shanghai, and where the team
// was at any moment (linear between fixes, heading from the segment when the fix has none).
import { DAY_MS, SHANGHAI_OFFSET_MS, isDay, shanghaiDay, shanghaiDayStart } from '../../../../shared/time';

export interface TrackPoint {
  lng: number;
  lat: number;
  at: number;
  speed?: number | null;
  bearing?: number | null;
}

/** [00:00, 24:00) of 'YYYY-MM-DD' in Asia/Shanghai, epoch ms; null for a malformed day. */
export function dayWindow(day: string): { from: number; to: number } | null {
  if (!isDay(day)) return null;
  const from = shanghaiDayStart(day);
  return { from, to: from + DAY_MS };
}

/** 'YYYY-MM-DD' in Asia/Shanghai of `t`. */
export const shanghaiDate = shanghaiDay;

/** 'HH:MM:SS' in Asia/Shanghai of `t`. */
export function shanghaiTime(t: number): string {
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(11, 19);
}

/** Bearing in degrees clockwise from north from a to b (flat approximation, fine over metres). */
export function bearingBetween(a: TrackPoint, b: TrackPoint): number {
  const dx = (b.lng - a.lng) * Math.cos(((a.lat + b.lat) / 2) * (Math.PI / 180));
  const dy = b.lat - a.lat;
  const deg = (Math.atan2(dx, dy) * 180) / Math.PI;
  return (deg + 360) % 360;
}

/**
 * Where the team was at `t`, given its points in time order: before the first fix the first fix,
 * after the last the last, between two fixes linearly interpolated. Null without points.
 */
export function positionAt(
  points: readonly TrackPoint[],
  t: number,
): (TrackPoint & { index: number }) | null {
  if (!points.length) return null;
  const first = points[0]!;
  if (t <= first.at) return { ...first, bearing: first.bearing ?? null, index: 0 };
  const lastIndex = points.length - 1;
  const last = points[lastIndex]!;
  if (t >= last.at) return { ...last, bearing: last.bearing ?? null, index: lastIndex };
  // Binary search for the segment [lo, lo + 1] containing t.
  let lo = 0;
  let hi = lastIndex;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.at <= t) lo = mid;
    else hi = mid;
  }
  const a = points[lo]!;
  const b = points[lo + 1]!;
  const f = b.at === a.at ? 0 : (t - a.at) / (b.at - a.at);
  return {
    lng: a.lng + (b.lng - a.lng) * f,
    lat: a.lat + (b.lat - a.lat) * f,
    at: t,
    speed: a.speed ?? null,
    bearing: a.bearing ?? (a.lng === b.lng && a.lat === b.lat ? null : bearingBetween(a, b)),
    index: lo,
  };
}

/** Points sorted by time with exact duplicates (same instant) removed. */
export function cleanTrack<T extends TrackPoint>(points: readonly T[]): T[] {
  const sorted = [...points].sort((a, b) => a.at - b.at);
  return sorted.filter((p, i) => i === 0 || p.at !== sorted[i - 1]!.at);
}
