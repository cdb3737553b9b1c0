import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, timeOrderedId } from '../../../server/cases/service';
import { HttpError } from '../../../server/http/errors';

describe('case ids and cursors', () => {
  it('makes RFC 9562 version-7 ids that sort by creation time', () => {
    const a = timeOrderedId(Date.UTC(2026, 0, 1));
    const b = timeOrderedId(Date.UTC(2026, 0, 1) + 1);
    const c = timeOrderedId(Date.UTC(2027, 0, 1));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([c, a, b].sort()).toEqual([a, b, c]);
    expect(timeOrderedId(0)).not.toBe(timeOrderedId(0));
  });

  it('round-trips a cursor and refuses a forged one with a 400 on query.cursor', () => {
    expect(decodeCursor(encodeCursor(1234, 'x-1'))).toEqual({ t: 1234, id: 'x-1' });
    for (const bad of [
      '!!',
      Buffer.from('[1]').toString('base64url'),
      Buffer.from('{"t":1}').toString('base64url'),
    ]) {
      try {
        decodeCursor(bad);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(HttpError);
        expect((err as HttpError).field).toBe('query.cursor');
      }
    }
  });
});
