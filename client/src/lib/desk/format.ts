// Times as the county reads them (Asia/Shanghai, whatever the browser's zone), and a case's place.
const OFFSET_MS = 8 * 3600_000;

/** '11-22 09:05', or '2026-11-22 09:05' with the year. */
export function formatShanghai(t: number | null | undefined, withYear = false): string {
  if (t === null || t === undefined || !Number.isFinite(t)) return '—';
  const iso = new Date(t + OFFSET_MS).toISOString();
  return `${withYear ? iso.slice(0, 10) : iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/** 'township · first-level grid · second-level grid', skipping what is missing. */
export function placeOf(
  loc:
    { township?: { name: string }; first?: { name: string }; second?: { name: string } } | null | undefined,
): string {
  if (!loc) return '';
  return [loc.township?.name, loc.first?.name, loc.second?.name].filter(Boolean).join(' · ');
}
