// Words people type (a clue's description, a reason, a note, a handover, the usual phrases): what is
// stored is what was sent. Control characters other than tab and line breaks (NUL, ESC) and halves of
// a UTF-16 pair are refused: the database would store a lone half as U+FFFD, answering one text and
// keeping another, and PostgreSQL refuses a NUL in text outright.
import { z } from 'zod';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isPlainText = (s: string): boolean => !CONTROL.test(s) && !LONE_SURROGATE.test(s);

export const PLAIN_TEXT_MESSAGE = 'control characters or broken characters are not allowed';

/** A trimmed string of plain text, at most `max` characters. */
export const plainText = (max: number, tooLong = `at most ${max} characters`) =>
  z.string().trim().max(max, tooLong).refine(isPlainText, PLAIN_TEXT_MESSAGE);
