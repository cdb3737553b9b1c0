// A member's 联系电话 as `npm run teams -- member add|set --phone` stores it (shared/teams.ts).
import { describe, expect, it } from 'vitest';
import { normalizePhone, telHref } from '../../../shared/teams';

describe("a member's phone number", () => {
  it('keeps a mobile as its 11 digits, however it was written', () => {
    for (const written of [
      '１３９１２３４５６７８', // full-width, as a Chinese keyboard may type it
      '139－1234－5678',
      '13912345678',
      '139 1234 5678',
      '139-1234-5678',
      '+86 139 1234 5678',
      '008613912345678',
    ])
      expect(normalizePhone(written), written).toBe('13912345678');
  });

  it('writes a landline as area code, hyphen and number, with or without the hyphen given', () => {
    expect(normalizePhone('0350-2345678')).toBe('0350-2345678');
    expect(normalizePhone('03502345678')).toBe('0350-2345678');
    expect(normalizePhone('(0350) 2345678')).toBe('0350-2345678');
    // 010 and 02x are the three-digit area codes: the number after them has eight digits.
    expect(normalizePhone('01062345678')).toBe('010-62345678');
    expect(normalizePhone('02187654321')).toBe('021-87654321');
    expect(normalizePhone('010-62345678-801')).toBe('010-62345678-801');
    expect(normalizePhone('（0350）2345678')).toBe('0350-2345678');
    expect(normalizePhone('0350-23456789')).toBe('0350-23456789');
  });

  it('refuses what is neither', () => {
    for (const written of [
      '12345',
      '1391234567', // ten digits
      '139123456789', // twelve
      '12912345678', // no mobile starts 12
      '1391234567x',
      '0350-1234567', // a local number starts 2–9
      '0350-234567', // six digits
      '021-2345678', // 010 and 02x numbers have eight digits
      '0212345678',
      '010-2345678',
      '0350-2345678-1234567', // extension too long
      '+1 415 555 0100',
      '',
    ])
      expect(normalizePhone(written), written).toBeNull();
  });

  it('dials a landline without its hyphens, the extension after a pause', () => {
    expect(telHref('13912345678')).toBe('tel:13912345678');
    expect(telHref('0350-2345678')).toBe('tel:03502345678');
    expect(telHref('010-62345678-801')).toBe('tel:01062345678,801');
  });
});
