// Query strings. A query value arrives as a string; z.coerce.number() would read an empty one as 0,
// `0x70` as 112, `1e3` as 1000 and ` 7 ` as 7: the numbers here take decimal digits only. And a
// route reads only the parameters it names: any other is refused, never dropped unseen.
import { z } from 'zod';
import { DATE_LIMIT_MS } from './time';

/**
 * A route's query parameters: `shape`, and no other. A key not among them (`status[]=reported`,
 * `limit[]=1`, a misspelt `assignee`) is a 400 naming it (`query.status[]`), not a 200 that quietly
 * ignored it (the unfiltered list, the default page size).
 */
export const queryObject = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `not a parameter of this request (it takes ${Object.keys(shape).join(', ')})`
        : undefined,
  });

/** Decimal digits, refused past 16 of them as out of range (not as "not digits"), then read. */
const digits = (outOfRange: string, notDigits: string) =>
  z.string().transform((s, ctx): number => {
    if (!/^\d+$/.test(s)) {
      ctx.addIssue({ code: 'custom', message: notDigits });
      return z.NEVER;
    }
    const n = Number(s);
    if (s.length > 16 || !Number.isSafeInteger(n)) {
      ctx.addIssue({ code: 'custom', message: outOfRange });
      return z.NEVER;
    }
    return n;
  });

/**
 * A whole number `min`…`max` written in decimal digits: an empty, signed, hexadecimal, exponent or
 * repeated value is refused (400 naming the parameter), not read as 0 or guessed at; one too large
 * (more than 16 digits too) is refused as out of range.
 */
export const queryInt = (min: number, max: number) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be given once') })
    .pipe(digits(`too large: at most ${max}`, 'a whole number in decimal digits'))
    .pipe(z.number().min(min, `out of range: at least ${min}`).max(max, `too large: at most ${max}`));

/**
 * An instant in epoch ms as a query string carries it, in digits. Empty (`?from=`) it is refused,
 * not read as 0 (1970), and so are hex (0x10), 1e3, a sign, a repeated field and an instant no Date
 * holds (past any date, however many digits). Optional where the parameter has a default.
 */
export const queryEpochMs = z
  .string({ error: 'epoch milliseconds, in digits, once' })
  .min(1, 'is empty: epoch milliseconds, or leave it out for the default')
  .pipe(digits('past any date', 'epoch milliseconds, in digits'))
  .pipe(z.number().max(DATE_LIMIT_MS, 'past any date'));
