// What GET /api/cases?q= searches: the words a caller names a case by — its description, the names
// of its place (township, first-level, second-level, micro and dedicated grids), its domain, the
// reporter's name and phone — as values only (no JSON keys, no codes: a phone's digits must not
// match every grid code of the county), written once at intake into `cases.search_text`. Folded in
// JavaScript (NFKC: full-width Ｂ is B; lower case), the text and the search alike, so SQLite and
// PostgreSQL compare the same strings. A phone is kept as its digits, and a search that looks like
// a phone number is reduced to its digits, so 139-8765-4321, 139 8765 4321 and 13987654321 meet.
// A case number (案件编号) is not in the text: it is taken in the commit, after the text is written,
// and a search that is one finds its case through its own index.
import { sql, type ExpressionBuilder, type SqlBool } from 'kysely';
import { parseCaseNumber } from '../../shared/cases';
import { shanghaiDay } from '../../shared/time';
import type { Jurisdiction } from '../../shared/geo';
import type { Database } from '../store/schema';
import { trigramsOf } from '../store/search-index';

export const fold = (s: string): string => s.normalize('NFKC').toLowerCase();

const PHONE_LIKE = /^[\d+\-\s]+$/;

export function searchTextOf(c: {
  description: string;
  domain: string;
  location: Jurisdiction;
  reporter?: { name?: string; phone?: string } | null;
}): string {
  const l = c.location;
  const parts = [
    c.description,
    l.township.name,
    l.first.name,
    l.second.name,
    l.micro.name,
    ...l.dedicated.map((d) => d.name),
    c.domain,
    c.reporter?.name ?? '',
    c.reporter?.phone ? c.reporter.phone.replace(/\D/g, '') : '',
  ];
  // One field per line: a search never matches across two of them.
  return fold(parts.filter(Boolean).join('\n'));
}

/** The search as compared with `search_text`: folded, a phone number as its digits. */
export function searchNeedle(q: string): string {
  const f = fold(q.trim());
  return PHONE_LIKE.test(f) && /\d/.test(f) ? f.replace(/\D/g, '') : f;
}

/**
 * The case number a search names, as an operator reads it out: whole (`20261206-0356`,
 * `202612060356`), without the year (`1206-0356`: this year's 6 December, last year's when that day
 * is still to come), or the day's serial alone (`0356`, `356`, `-356`: today's). The short forms
 * also match as text (a phone's `0356`): the day's case comes first, being the newest.
 */
export function caseNumberOf(text: string, now: number): { day: string; seq: number } | null {
  const whole = parseCaseNumber(text);
  if (whole) return whole;
  const t = text.normalize('NFKC').trim();
  const today = shanghaiDay(now).replace(/-/g, '');
  const dated = /^(\d{2})(\d{2})-(\d{1,6})$/.exec(t);
  if (dated) {
    const monthDay = dated[1]! + dated[2]!;
    const year = Number(today.slice(0, 4)) - (monthDay > today.slice(4) ? 1 : 0);
    return parseCaseNumber(`${year}${monthDay}-${dated[3]}`);
  }
  const serial = /^-?(\d{1,4})$/.exec(t);
  if (serial && Number(serial[1]) >= 1) return { day: today, seq: Number(serial[1]) };
  return null;
}

/** Whether the search could be part of a case id (eight or more of its characters). */
export const idLike = (needle: string): boolean => /^[0-9a-f-]{8,}$/.test(needle);

/**
 * The `where` of GET /api/cases?q=: the case's search text contains the search, or its matter's
 * name does (`matters`: the catalogue's codes and names), or — eight or more of an id's characters —
 * its id, or — a case number, `20261204-0012`, `1204-0012` or today's `0012` (caseNumberOf) — the case of that number. `%`, `_` and `!` in the search are only themselves (`escape '!'`).
 *
 * On SQLite a search of three or more characters first takes its candidates from the trigram index
 * (`case_search`, migration 012) and the few cases not yet in it (`case_search_pending`), and checks
 * them with the same `like`, so it finds exactly the cases the scan would. On PostgreSQL the `like` itself uses the pg_trgm indexes, where they exist.
 */
export function caseTextFilter(
  text: string,
  matters: ReadonlyArray<{ code: string; name: string }>,
  /** SQLite: look candidates up in `case_search` (false: scan, as PostgreSQL's `like` is written). */
  trigramTable: boolean,
  /** Now (epoch ms): a case number read out short is of today, or of this year's day. */
  now: number = Date.now(),
) {
  const needle = searchNeedle(text);
  // A case number is looked up by its own unique index (cases_no, migration 013).
  const numbered = caseNumberOf(text, now);
  const pattern = `%${needle.replace(/[!%_]/g, '!$&')}%`;
  const byId = idLike(needle);
  const codes = matters
    .filter((m) => fold(m.name).includes(needle) || fold(m.code) === needle)
    .map((m) => m.code);
  // Fewer than three characters make no trigram: the index cannot look them up.
  const indexed = trigramTable && trigramsOf(needle).length > 0;
  // An FTS5 phrase: the search's trigrams in a row, in the text (and the id). `"` is doubled.
  const phrase = `${byId ? '{body case_id}' : 'body'} : "${needle.replace(/"/g, '""')}"`;
  return (eb: ExpressionBuilder<Database, 'cases'>) => {
    const contains = eb.or([
      sql<SqlBool>`search_text like ${pattern} escape '!'`,
      ...(byId ? [sql<SqlBool>`id like ${pattern} escape '!'`] : []),
    ]);
    return eb.or([
      indexed
        ? eb.and([
            sql<SqlBool>`id in (select case_id from case_search where case_search match ${phrase} union all select case_id from case_search_pending)`,
            contains,
          ])
        : contains,
      ...(codes.length ? [eb('matter_code', 'in', codes)] : []),
      ...(numbered ? [eb.and([eb('no_day', '=', numbered.day), eb('no_seq', '=', numbered.seq)])] : []),
    ]);
  };
}
