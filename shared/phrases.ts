// 常用语: the usual words an operator picks with one click as the reason for an action — 督办 and the
// command centre's 不予立案 and 核查不通过 on the big screen, a township's 退回 on its desk. Each page
// has its own built-in ones (translated with the page); a county that words them its own way lists
// them in `DATA_DIR/phrases.json` (README "Configuration"), served by GET /api/phrases and edited on
// the 常用语 page (PUT /api/phrases, by PHRASE_EDITORS). Zod-free,
// so the pages can import it (the server validates the file: server/county/phrases.ts).
import type { Role } from './auth';

export const PHRASE_KINDS = ['escalate', 'reject', 'verify_fail', 'return'] as const;
export type PhraseKind = (typeof PHRASE_KINDS)[number];
/** The county's own words, by kind; a kind not listed keeps the page's built-in words. */
export type Phrases = Partial<Record<PhraseKind, string[]>>;
/** At most this many words per kind: they are buttons above the reason's field. */
export const PHRASES_PER_KIND = 8;
/** Who may change the county's words: the command centre, which hears how they read in use. */
export const PHRASE_EDITORS: readonly Role[] = ['admin', 'commander'];
/** The county's words as GET and PUT /api/phrases answer them. */
export interface CountyWords {
  phrases: Phrases;
  /** Sent back with a change, which is refused (409) if the file has changed since. */
  revision: string;
  /** The file changed to something faulty: what is wrong (the words read before are in use). */
  fault?: string;
}
