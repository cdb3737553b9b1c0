// The county's own usual words (常用语, shared/phrases.ts), from `DATA_DIR/phrases.json` when there is
// one. A faulty file stops the start with what is wrong and where, rather than offer operators words
// that the server would refuse as a reason (too long) or buttons without words. Afterwards the file
// is read again whenever it has changed (no restart): a change that is faulty is logged and the words
// read before stay in use. The command centre can also edit them in the dashboard (PUT /api/phrases):
// the file is written whole (a new file renamed over it), and a change made meanwhile by someone else,
// in the dashboard or in the file, is refused (409) rather than overwritten.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logger';
import { conflict, HttpError } from '../http/errors';
import { PHRASE_KINDS, PHRASES_PER_KIND, type CountyWords, type Phrases } from '../../shared/phrases';
import { REASON_MAX } from '../../shared/limits';
import { plainText } from '../../shared/text';

export const PHRASES_FILE = 'phrases.json';

/** What the operator of a start that failed on the file does next. */
const WHAT_TO_DO = 'Fix the file, or remove it to use the built-in words.';

const words = z
  .array(plainText(REASON_MAX).pipe(z.string().min(1, 'must not be blank')))
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

/** PUT /api/phrases: the words, all kinds at once, and the revision they replace (from the GET). */
export const phrasesChangeSchema = z
  .object({ phrases: phrasesSchema, revision: z.string().min(1).max(64) })
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

/** The file's words and its revision (which tells one content from another; "0": no file). */
type FileWords = Omit<CountyWords, 'fault'>;
const NO_FILE = '0';
/** A file that is there but cannot be read: no page's revision matches it. */
const UNREADABLE = 'unreadable';
const revisionOf = (text: string): string =>
  crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * Reads and checks the file; no file: no words (every page keeps its own). A faulty file throws an
 * Error whose message says what is wrong, with `revision` on it (the faulty content's): a save from a
 * page opened before is then refused.
 */
function readPhrasesFile(dataDir: string): FileWords {
  const file = path.join(dataDir, PHRASES_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { phrases: {}, revision: NO_FILE };
    throw new Error(`${file}: cannot be read (${(err as Error).message}). ${WHAT_TO_DO}`);
  }
  const revision = revisionOf(text);
  const faulty = (message: string) => Object.assign(new Error(message), { revision });
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, '')); // saved by a Windows editor: a byte-order mark first
  } catch (err) {
    throw faulty(`${file}: not JSON (${(err as Error).message}). ${WHAT_TO_DO}`);
  }
  try {
    return { phrases: parsePhrases(raw, file), revision };
  } catch (err) {
    throw faulty((err as Error).message);
  }
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
  current(): CountyWords;
  /**
   * Writes the words as the county's own (validated by the caller: phrasesSchema), in place of the
   * file at `revision`; 409 if it is no longer that. `by`: who, for the log.
   */
  save(phrases: Phrases, revision: string, by: string): CountyWords;
}

/**
 * The county's words, read at start (a faulty file throws) and again when the file changes, which
 * costs a stat per call. A file removed means the built-in words again; a faulty change is logged
 * once and the words read before stay in use until the file is mended.
 */
export function countyPhrases(dataDir: string, logger: Logger): CountyPhrases {
  const file = path.join(dataDir, PHRASES_FILE);
  let signature = signatureOf(file);
  let held: CountyWords = readPhrasesFile(dataDir);
  /** `force`: read the file whatever its stat says (a shared volume may cache attributes). */
  const current = (force = false): CountyWords => {
    let now: string | null;
    try {
      now = signatureOf(file);
    } catch (err) {
      logger.warn({ err }, `${file}: cannot be read; the usual words read before stay in use`);
      return held;
    }
    if (now === signature && !force) return held;
    signature = now;
    try {
      const read = readPhrasesFile(dataDir);
      if (read.revision === held.revision && !held.fault) return held;
      held = read;
      logger.info(`${file} read again: ${described(held.phrases)}`);
    } catch (err) {
      const message = (err as Error).message;
      const revision = (err as { revision?: string }).revision ?? UNREADABLE;
      if (held.fault === message && held.revision === revision) return held;
      held = { phrases: held.phrases, revision, fault: message };
      logger.error(`${message} Until then, the words read before stay in use.`);
    }
    return held;
  };
  return {
    current: () => current(),
    save(phrases, revision, by) {
      // One save at a time across the processes sharing DATA_DIR: the check and the rename under a
      // lock file, the file itself read and hashed under it.
      const release = lockFile(`${file}.lock`);
      try {
        const now = current(true);
        if (revision !== now.revision)
          throw conflict(
            '常用语已被他人修改，请重新载入后再改 (the usual words were changed meanwhile; load them again and redo the change)',
            { current: now },
          );
        const text = `${JSON.stringify(phrases, null, 2)}\n`;
        // Written beside the file and renamed over it: a reader (another process on the shared
        // volume) sees the old file or the new one, never half of it.
        const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
        let written: fs.Stats;
        try {
          const fd = fs.openSync(tmp, 'w');
          try {
            fs.writeFileSync(fd, text); // loops until every byte is written
            fs.fsyncSync(fd);
            written = fs.fstatSync(fd); // the rename keeps its time, size and inode
          } finally {
            fs.closeSync(fd);
          }
          fs.renameSync(tmp, file);
        } catch (err) {
          fs.rmSync(tmp, { force: true });
          logger.error({ err }, `${file}: could not be written; the words in use are unchanged`);
          throw notWritten(file, err);
        }
        signature = `${written.mtimeMs}:${written.size}:${written.ino}`;
        held = { phrases, revision: revisionOf(text) };
        logger.info(`${file} saved by ${by}: ${described(phrases)}`);
        return held;
      } finally {
        release();
      }
    },
  };
}

/** 503: a save that could not write `file` (the file or its lock), with what to check. */
const notWritten = (file: string, err: unknown) =>
  new HttpError(
    503,
    `常用语未能保存：${(err as NodeJS.ErrnoException).code ?? 'write failed'} (${file} could not be written; the words in use are unchanged. Check the disk and the folder's permissions, then save again)`,
  );

/** A lock held by a save that died is taken over after this long (a save takes milliseconds). */
const STALE_LOCK_MS = 30_000;
const SAVE_UNDER_WAY =
  '另一处正在保存常用语，请稍后再保存 (another save of the usual words is under way; save again in a moment)';

/** Takes `lock` (a file created exclusively); 409 while another save holds it. Returns the release. */
function lockFile(lock: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.closeSync(fs.openSync(lock, 'wx'));
      return () => fs.rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw notWritten(lock, err);
      let age = 0;
      try {
        age = Date.now() - fs.statSync(lock).mtimeMs;
      } catch {
        continue; // released meanwhile: try again
      }
      if (attempt > 0 || age < STALE_LOCK_MS) throw conflict(SAVE_UNDER_WAY);
      fs.rmSync(lock, { force: true });
    }
  }
  throw conflict(SAVE_UNDER_WAY);
}
