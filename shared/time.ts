// Days as counted in the county: Asia/Shanghai, UTC+8 all year (China has kept no daylight saving
// since 1991), so a fixed offset is exact and needs no time-zone database.
export const SHANGHAI_OFFSET_MS = 8 * 3600_000;
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3600_000;

/** The last instant a JavaScript Date holds (±8.64e15 ms, about ±275,760 years). */
export const DATE_LIMIT_MS = 8.64e15;

/**
 * `2026-01-31`: the Shanghai calendar day of an instant. Total on finite numbers: an instant whose
 * Shanghai day is past what a Date holds (8.64e15 − 8 h onwards) gets an expanded-year day such as
 * `+275760-09-13`, as `toISOString` writes years beyond 9999, never a RangeError. Callers reading
 * instants from outside bound them first (`parseInstant`, `LAST_DAY`).
 */
export function shanghaiDay(ms: number): string {
  const t = ms + SHANGHAI_OFFSET_MS;
  if (Math.abs(t) <= DATE_LIMIT_MS) {
    const iso = new Date(t).toISOString();
    return iso.length === 24 ? iso.slice(0, 10) : iso.slice(0, iso.indexOf('T')); // ±YYYYYY beyond 0000–9999
  }
  if (!Number.isFinite(t)) throw new RangeError(`not an instant: ${ms}`);
  return civilDay(Math.floor(t / DAY_MS));
}

/** Days since 1970-01-01 as a proleptic Gregorian day (H. Hinnant's civil_from_days). */
function civilDay(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const year =
    y >= 0 && y <= 9999
      ? String(y).padStart(4, '0')
      : `${y < 0 ? '-' : '+'}${String(Math.abs(y)).padStart(6, '0')}`;
  return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The Shanghai day of an instant as a number: days since 1970-01-01 (Shanghai). */
export function shanghaiDayNumber(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** The instant Shanghai's day `ms` falls in began. */
export function startOfShanghaiDay(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** The instant a `YYYY-MM-DD` Shanghai day begins. */
export function shanghaiDayStart(day: string): number {
  const t = Date.parse(`${day}T00:00:00Z`);
  if (!Number.isFinite(t) || !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a day: ${day}`);
  return t - SHANGHAI_OFFSET_MS;
}

/** Every Shanghai day from the one containing `from` to the one containing `to`, inclusive. */
export function shanghaiDaysBetween(from: number, to: number): string[] {
  const days: string[] = [];
  for (let t = startOfShanghaiDay(from); t <= to; t += DAY_MS) days.push(shanghaiDay(t));
  return days;
}

/** Whether `day` is a real calendar day written `YYYY-MM-DD` (2026-02-30 is not). */
export function isDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === day;
}

/**
 * A duration given in minutes, as the pages say it: '12.3 分钟', or under a minute in seconds
 * ('42 秒': '0.0 分钟' would read as no time at all); '—' for none.
 */
export function formatMinutes(v: number | null, minutesUnit = '分钟', secondsUnit = '秒'): string {
  if (v === null || !Number.isFinite(v)) return '—';
  const seconds = Math.round(v * 60);
  return seconds < 60 ? `${seconds} ${secondsUnit}` : `${v.toFixed(1)} ${minutesUnit}`;
}

// ---------------------------------------------------------------- instants read from outside

/**
 * The last day an instant or a day read from a request may fall on (Asia/Shanghai): years are
 * written with four digits, so days sort as strings and every Date (browser or server) shows them.
 */
export const LAST_DAY = '9999-12-31';
/** The instant `LAST_DAY` ends (10000-01-01 00:00 Shanghai): the latest `to` a case list takes. */
export const END_OF_LAST_DAY = Date.UTC(10000, 0, 1) - SHANGHAI_OFFSET_MS;
/**
 * The earliest instant a case list's `from`/`to` takes: 1969-12-31 00:00 Shanghai. Statistics start
 * on 1971-01-01 at the earliest (kpi.ts FIRST_STATS_DAY) and the period they are compared with
 * reaches at most 366 days further back, so every `start`/`end` a statistics answer gives (its own
 * and its `previous` period's) can be passed on to GET /api/cases.
 */
export const FIRST_LISTED_INSTANT = Date.UTC(1969, 11, 31) - SHANGHAI_OFFSET_MS;

const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/;

/**
 * An instant as a request writes it: epoch milliseconds in decimal digits (at most 16), or ISO 8601 —
 * a calendar day `YYYY-MM-DD` (its start in Asia/Shanghai, the county's day, as the statistics'
 * `from`/`to` read it) or a date-time `YYYY-MM-DDTHH:mm[:ss[.sss]][Z|±HH:mm]` (no offset: the
 * county's clock, UTC+8). Every field must be in range (2026-02-30, 24:00 and +25:00 are not).
 * `null` for anything else: `-5`, `0x70`, `1e3`, `May 1` and the like are refused, never guessed at
 * as `Date.parse` does. The caller bounds the instant (`FIRST_LISTED_INSTANT`, `END_OF_LAST_DAY`).
 *
 * Before, a day was 00:00 UTC (08:00 in the county) and an offset-less time the server's own clock,
 * as `Date.parse` reads them: `from=2026-12-07` left out the cases of the day's first eight hours,
 * and the same request read differently on a server set to UTC than on one set to Shanghai.
 */
export function parseInstant(value: string): number | null {
  if (/^\d{1,16}$/.test(value)) return Number(value);
  const m = DATE_TIME.exec(value);
  if (!m || !isDay(m[1]!)) return null;
  const [, , hh = '0', mm = '0', ss = '0', offset, oh = '0', om = '0'] = m;
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59 || Number(oh) > 23 || Number(om) > 59)
    return null;
  if (offset) {
    const t = Date.parse(value);
    return Number.isFinite(t) ? t : null;
  }
  // The county's wall clock: read as UTC, then moved back by Shanghai's 8 hours (no summer time).
  const t = Date.parse(m[2] === undefined ? `${value}T00:00:00Z` : `${value}Z`);
  return Number.isFinite(t) ? t - SHANGHAI_OFFSET_MS : null;
}

/**
 * The furthest ahead a rectification order (责令整改) may set its deadline: 366 days from the order
 * (a matter's default is at most 365 days, shared/matters.ts). Beyond is a slip of the keyboard.
 */
export const RECTIFY_DEADLINE_MAX_DAYS = 366;
