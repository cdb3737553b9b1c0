// The 常用语 page's draft: for each kind, the built-in words or the county's own list being edited,
// and what is wrong with it, checked as the server checks it (server/county/phrases.ts) so the page
// says so beside the word before anything is sent.
import { PHRASE_KINDS, PHRASES_PER_KIND, type PhraseKind, type Phrases } from '../../../shared/phrases';
import { REASON_MAX } from '../../../shared/limits';

export interface KindDraft {
  /** The county's own words (else the built-in ones, and `words` is kept only to switch back). */
  own: boolean;
  words: string[];
}
export type PhrasesDraft = Record<PhraseKind, KindDraft>;

export function draftOf(phrases: Phrases): PhrasesDraft {
  return Object.fromEntries(
    PHRASE_KINDS.map((k) => [k, { own: !!phrases[k]?.length, words: [...(phrases[k] ?? [])] }]),
  ) as PhrasesDraft;
}

/** What would be saved: each kind in its own words, trimmed; kinds on the built-in words left out. */
export function phrasesOf(draft: PhrasesDraft): Phrases {
  const out: Phrases = {};
  for (const k of PHRASE_KINDS) if (draft[k].own) out[k] = draft[k].words.map((w) => w.trim());
  return out;
}

export type WordProblem = 'required' | 'tooLong' | 'duplicate';
export interface KindProblems {
  /** By the word's place in the list. */
  words: Partial<Record<number, WordProblem>>;
  /** The list itself: own words chosen but none listed, or more than a kind may have. */
  list?: 'empty' | 'tooMany';
}

export function problemsOf(draft: PhrasesDraft): Record<PhraseKind, KindProblems> {
  const out = {} as Record<PhraseKind, KindProblems>;
  for (const k of PHRASE_KINDS) {
    const { own, words } = draft[k];
    const p: KindProblems = { words: {} };
    if (own) {
      const trimmed = words.map((w) => w.trim());
      trimmed.forEach((w, i) => {
        if (!w) p.words[i] = 'required';
        else if (w.length > REASON_MAX) p.words[i] = 'tooLong';
        else if (trimmed.indexOf(w) < i) p.words[i] = 'duplicate';
      });
      if (!words.length) p.list = 'empty';
      else if (words.length > PHRASES_PER_KIND) p.list = 'tooMany';
    }
    out[k] = p;
  }
  return out;
}

export function hasProblems(problems: Record<PhraseKind, KindProblems>): boolean {
  return PHRASE_KINDS.some((k) => problems[k].list || Object.keys(problems[k].words).length);
}

/** Whether the draft would save something other than `saved` (the words as last loaded or saved). */
export function isChanged(draft: PhrasesDraft, saved: Phrases): boolean {
  return JSON.stringify(phrasesOf(draft)) !== JSON.stringify(phrasesOf(draftOf(saved)));
}
