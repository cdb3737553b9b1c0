// Who reported a case (反映人), as the desk and the big screen show it: the name and a phone to call
// back (回访) as a `tel:` link; null when the report gave neither (匿名).
import type { Reporter } from '@shared/cases';

export interface ReporterLine {
  name: string | null;
  phone: string | null;
  /** `tel:+8613912345678`: the phone's digits and a leading +, nothing else (spaces, dashes go). */
  href: string | null;
}

export function reporterLine(r: Pick<Reporter, 'name' | 'phone'> | null | undefined): ReporterLine | null {
  const name = r?.name?.trim() || null;
  const phone = r?.phone?.trim() || null;
  if (!name && !phone) return null;
  const dial = phone ? phone.replace(/(?!^\+)[^\d]/g, '') : '';
  return { name, phone, href: /\d{3}/.test(dial) ? `tel:${dial}` : null };
}
