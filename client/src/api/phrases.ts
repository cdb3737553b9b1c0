// The usual words (常用语) offered as one-click reasons: the county's own, from GET /api/phrases
// (asked when the page loads, and again each time a form opens, so a county that changes its file
// sees the new words without reloading a screen that stays up for days), or else the built-in ones
// below. The 常用语 page (views/PhrasesView.vue) reads and saves them here. See shared/phrases.ts.
import { computed, ref, watch, type ComputedRef } from 'vue';
import { useI18n } from 'vue-i18n';
import {
  PHRASE_KINDS,
  PHRASES_PER_KIND,
  type CountyWords,
  type PhraseKind,
  type Phrases,
} from '@shared/phrases';
import { REASON_MAX } from '@shared/limits';
import { api } from './http';

/** The built-in words of each kind (i18n keys), offered where the county has none of its own. */
export const BUILT_IN_WORDS: Record<PhraseKind, string[]> = {
  escalate: ['a', 'b', 'c'].map((k) => `screen.dispatch.escalateReasons.${k}`),
  reject: ['a', 'b', 'c'].map((k) => `screen.dispatch.rejectReasons.${k}`),
  verify_fail: ['a', 'b'].map((k) => `screen.dispatch.reworkReasons.${k}`),
  return: ['a', 'b', 'c'].map((k) => `desk.form.returnReasons.${k}`),
};

const county = ref<Phrases>({});
let asking: Promise<void> | null = null;
let answered = false;

/** Asks for the county's words unless already on the way; a failure keeps the words held. */
function ask(): void {
  asking ??= api<{ phrases?: unknown }>('/api/phrases')
    .then(
      (r) => {
        county.value = cleanPhrases(r.phrases);
        answered = true;
      },
      () => undefined,
    )
    .finally(() => void (asking = null));
}

/** What the server sent, kept only where it is what the file may hold (a list of short words). */
function cleanPhrases(raw: unknown): Phrases {
  const out: Phrases = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const kind of PHRASE_KINDS) {
    const list = (raw as Record<string, unknown>)[kind];
    if (!Array.isArray(list)) continue;
    const words = list
      .filter((w): w is string => typeof w === 'string' && w.trim().length > 0 && w.length <= REASON_MAX)
      .slice(0, PHRASES_PER_KIND);
    if (words.length) out[kind] = words;
  }
  return out;
}

const isPhraseKind = (k: string | null | undefined): k is PhraseKind =>
  !!k && (PHRASE_KINDS as readonly string[]).includes(k);

export interface UsualWord {
  /** On the button. */
  label: string;
  /** What goes into the reason's field, and so into the case's record. */
  words: string;
}

/**
 * The usual words for the form open now (`kind`, null: none): the county's, shown and recorded as
 * written; or the built-in ones, shown in the page's language and recorded in Chinese, the language
 * the case's record is read in whatever the screen shows.
 */
export function useUsualWords(kind: () => string | null | undefined): ComputedRef<UsualWord[]> {
  const { t } = useI18n();
  // Each form that opens (mounted open, or opened later) asks again: the county may have changed its
  // words, or the first ask failed (the built-in words meanwhile). A page asks once before any opens.
  watch(
    kind,
    (k) => {
      if (k || !answered) ask();
    },
    { immediate: true },
  );
  return computed(() => {
    const k = kind();
    if (!isPhraseKind(k)) return [];
    const own = county.value[k];
    if (own?.length) return own.map((w) => ({ label: w, words: w }));
    return BUILT_IN_WORDS[k].map((key) => ({ label: t(key), words: t(key, {}, { locale: 'zh-CN' }) }));
  });
}

/** The words now, for editing (not the prefetched answer: the page must start from the latest). */
export function loadCountyWords(): Promise<CountyWords> {
  return api<CountyWords>('/api/phrases', { method: 'GET' }).then(hold);
}

/** Saves all kinds at once in place of `revision`; this page's own forms use them at once. */
export function saveCountyWords(phrases: Phrases, revision: string): Promise<CountyWords> {
  return api<CountyWords>('/api/phrases', { method: 'PUT', body: { phrases, revision } }).then(hold);
}

/** The words the server answered are the ones this page's forms offer from now on. */
function hold(r: CountyWords): CountyWords {
  county.value = cleanPhrases(r.phrases);
  answered = true;
  return r;
}
