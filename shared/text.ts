// Words people type (a clue's description, a reason, a note, a handover, the usual phrases): what is
// stored is what was sent, trimmed. Control characters other than tab and line breaks (NUL, ESC) and halves of
// a UTF-16 pair are refused: the database would store a lone half as U+FFFD, answering one text and
// keeping another, and PostgreSQL refuses a NUL in text outright.
//
// Direction controls (the embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069) are
// refused too: one in a description or a reason reorders how the characters after it are drawn, so
// a page would show other words than those stored (a reversed phone number, a name written
// backwards). The left-to-right and right-to-left marks (U+200E, U+200F) only nudge neighbouring
// punctuation and stay allowed.
//
// Text of nothing but invisible characters (zero-width space, joiners, word joiner, BOM, the
// direction marks) and spaces shows as nothing, so it is blank: it becomes '' and meets the field's
// own blank rule ('required' for a description). Inside other text they are left alone: a zero-width
// joiner binds an emoji sequence (a family is man, ZWJ, woman, ZWJ, girl), and a word joiner can be
// a writer's choice.
import { z } from 'zod';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const DIRECTION_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
/**
 * Whitespace and characters that draw nothing, and nothing else (U+FEFF is whitespace to `\s`): the
 * zero-width ones and the direction marks, the invisible operators (U+2061–2064), the soft hyphen,
 * the combining grapheme joiner, the Mongolian vowel separator, the Hangul fillers and the blank
 * Braille pattern.
 */
const INVISIBLE_ONLY =
  /^(?:[\s\u00AD\u115F\u1160\u180E\u200B-\u200F\u2060-\u2064\u2800\u3164\uFFA0]|\u034F)*$/;

export const PLAIN_TEXT_MESSAGE = 'control characters or broken characters are not allowed';

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `s` is not plain text, in words for a 400; undefined when it is. */
function plainTextProblem(s: string): string | undefined {
  if (CONTROL.test(s) || LONE_SURROGATE.test(s)) return PLAIN_TEXT_MESSAGE;
  const direction = DIRECTION_CONTROL.exec(s);
  if (direction)
    return `direction control characters (U+202A–U+202E, U+2066–U+2069) are not allowed: found ${codePoint(direction[0])}, which changes how the text after it is shown`;
  return undefined;
}

/** Text that shows as nothing: spaces and invisible characters only (or nothing at all). */
const isInvisible = (s: string): boolean => INVISIBLE_ONLY.test(s);

/**
 * A trimmed string of plain text, at most `max` characters; text that shows as nothing is ''
 * (blank, as the field's own rule has it).
 */
export const plainText = (max: number, tooLong = `at most ${max} characters`) =>
  z
    .string()
    .trim()
    .max(max, tooLong)
    .superRefine((s, ctx) => {
      const problem = plainTextProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform((s) => (isInvisible(s) ? '' : s));
