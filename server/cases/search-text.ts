// What GET /api/cases?q= searches: the words a caller names a case by — its description, the names
// of its place (township, first-level, second-level, micro and dedicated grids), its domain, the
// reporter's name and phone — as values only (no JSON keys, no codes: a phone's digits must not
// match every grid code of the county), written once at intake into `cases.search_text`. Folded in
// JavaScript (NFKC: full-width Ｂ is B; lower case), the text and the search alike, so SQLite and
// PostgreSQL compare the same strings. A phone is kept as its digits, and a search that looks like
// a phone number is reduced to its digits, so 139-8765-4321, 139 8765 4321 and 13987654321 meet.
import type { Jurisdiction } from '../../shared/geo';

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

/** Whether the search could be part of a case id (eight or more of its characters). */
export const idLike = (needle: string): boolean => /^[0-9a-f-]{8,}$/.test(needle);
