import { describe, expect, it } from 'vitest';
import { reporterLine } from '../../../client/src/lib/reporter';

describe('reporterLine (反映人)', () => {
  it('gives the name and a tel: link a phone can dial', () => {
    expect(reporterLine({ name: '王先生', phone: '139 1234-5678' })).toEqual({
      name: '王先生',
      phone: '139 1234-5678',
      href: 'tel:13912345678',
    });
    expect(reporterLine({ phone: '+86 139 1234 5678' })?.href).toBe('tel:+8613912345678');
  });
  it('is null (匿名) when the report named no one and left no phone', () => {
    expect(reporterLine(null)).toBeNull();
    expect(reporterLine(undefined)).toBeNull();
    expect(reporterLine({})).toBeNull();
    expect(reporterLine({ name: '  ' })).toBeNull();
  });
  it('keeps a name without a phone, with nothing to dial', () => {
    expect(reporterLine({ name: '李女士' })).toEqual({ name: '李女士', phone: null, href: null });
  });
});
