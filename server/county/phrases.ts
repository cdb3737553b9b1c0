// The county's own usual words (常用语, shared/phrases.ts), from `DATA_DIR/phrases.json` when there is
// one. A faulty file stops the start with what is wrong and where, rather than offer operators words
// that the server would refuse as a reason (too long) or buttons without words. Afterwards the file
// is read again whenever it has changed (no restart): a change that is faulty is logged and the words
// read before stay in use.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logger';
import { PHRASE_KINDS, PHRASES_PER_KIND, type Phrases } from '../../shared/phrases';
import { REASON_MAX } from '../../shared/limits';

export const PHRASES_FILE = 'phrases.json';

/** What the operator of a start that failed on the file does next. */
const WHAT_TO_DO = 'Fix the file, or remove it to use the built-in words.';

const words = z
  .array(z.string().trim().min(1, 'must not be blank').max(REASON_MAX, `at most ${REASON_MAX} characters`))
  .min(1, 'list at least one, or leave the kind out to keep the built-in words')
  .max(PHRASES_PER_KIND, `at most ${PHRASES_PER_KIND} per kind`)
  .superRefine((list, ctx) => {
    list.forEach((w, i) => {
      const first = list.indexOf(w);
      if (first < i) ctx.addIssue({ code: 'custom', path: [i], message: `the same words as ${first} above` });
    });
  });

const phrasesSchema = z
  .object(
    Object.fromEntries(PHRASE_KINDS.map((k) => [k, words.optional()])) as Record<
      (typeof PHRASE_KINDS)[number],
      z.ZodOptional<typeof words>
    >,
  )
  .strict();

/** Validates what a phrases file holds; the error names the file and the field. */
export function parsePhrases(raw: unknown, where: string): Phrases {
  const parsed = phrasesSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const field = i.path.length ? i.path.join('.') : '(the whole file)';
    const detail =
      i.code === 'unrecognized_keys'
        ? `unknown kind ${i.keys.map((k) => `"${k}"`).join(', ')} (the kinds are ${PHRASE_KINDS.join(', ')})`
        : i.message;
    throw new Error(`${where}: ${field}: ${detail}. ${WHAT_TO_DO}`);
  }
  return parsed.data;
}

/** The county's words, or none (every page keeps its own) when the file is absent. */
export function loadPhrases(dataDir: string): Phrases {
  const file = path.join(dataDir, PHRASES_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, '')); // saved by a Windows editor: a byte-order mark first
  } catch (err) {
    throw new Error(`${file}: not JSON (${(err as Error).message}). ${WHAT_TO_DO}`);
  }
  return parsePhrases(raw, file);
}

/** What tells a changed file: its modification time, size and inode; null when there is none. */
function signatureOf(file: string): string | null {
  try {
    const st = fs.statSync(file);
    return `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

const described = (p: Phrases): string =>
  Object.entries(p)
    .map(([kind, list]) => `${kind} ${list.length}`)
    .join(', ') || 'none (every page keeps its built-in words)';

export interface CountyPhrases {
  /** The words now: the file's as last read without fault (read again first if it has changed). */
  current(): Phrases;
}

/**
 * The county's words, read at start (a faulty file throws) and again when the file changes, which
 * costs a stat per call. A file removed means the built-in words again; a faulty change is logged
 * once and the words read before stay in use until the file is mended.
 */
export function countyPhrases(dataDir: string, logger: Logger): CountyPhrases {
  const file = path.join(dataDir, PHRASES_FILE);
  let signature = signatureOf(file);
  let words = loadPhrases(dataDir);
  return {
    current() {
      let now: string | null;
      try {
        now = signatureOf(file);
      } catch (err) {
        logger.warn({ err }, `${file}: cannot be read; the usual words read before stay in use`);
        return words;
      }
      if (now === signature) return words;
      signature = now;
      try {
        words = loadPhrases(dataDir);
        logger.info(`${file} read again: ${described(words)}`);
      } catch (err) {
        logger.error(`${(err as Error).message} Until then, the words read before stay in use.`);
      }
      return words;
    },
  };
}
