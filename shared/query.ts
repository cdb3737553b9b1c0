// Numbers in query strings. A query value arrives as a string; z.coerce.number() would read an empty
// one as 0, `0x70` as 112, `1e3` as 1000 and ` 7 ` as 7. These take decimal digits only.
import { z } from 'zod';
import { DATE_LIMIT_MS } from './time';

/**
 * A whole number `min`…`max` written in decimal digits (at most 16): an empty, signed, hexadecimal,
 * exponent or repeated value is refused (400 naming the parameter), not read as 0 or guessed at.
 */
export const queryInt = (min: number, max: number) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be given once') })
    .regex(/^\d{1,16}$/, 'a whole number in decimal digits')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/**
 * An instant in epoch ms as a query string carries it, in digits. Empty (`?from=`) it is refused,
 * not read as 0 (1970), and so are hex (0x10), 1e3, a sign, a repeated field and an instant no Date
 * holds. Optional where the parameter has a default.
 */
export const queryEpochMs = z
  .string({ error: 'epoch milliseconds, in digits, once' })
  .min(1, 'is empty: epoch milliseconds, or leave it out for the default')
  .regex(/^\d{1,16}$/, 'epoch milliseconds, in digits')
  .transform(Number)
  .pipe(z.number().max(DATE_LIMIT_MS, 'past any date'));
