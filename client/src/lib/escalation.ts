// Whether, how often and when the command centre has chased a case (督办), in the screen's words:
// the queue's short form beside the place (督办2次 18:20) and the panel's sentence above its
// buttons (已督办 2 次，最近 18:20), so an operator going down 超时督办 sees which cases were
// chased and when, and does not chase one twice in ten minutes. Another day's time has its date.
import type { CaseItem } from './case-model';
import { shanghaiWhen } from './shanghai-time';
import type { Translate } from './translate';

export function escalationNote(
  c: Pick<CaseItem, 'escalations' | 'escalatedAt'>,
  now: number,
  t: Translate,
  form: 'short' | 'long',
): string | null {
  if (c.escalations < 1) return null;
  const n = c.escalations;
  // A server before escalatedAt (or a case escalated before its release, on a pack without the
  // events) gives the count alone.
  if (c.escalatedAt == null) return t(`screen.escalation.${form}.count`, { n });
  const when = shanghaiWhen(c.escalatedAt, now);
  return t(`screen.escalation.${form}.${n === 1 ? 'once' : 'times'}`, { n, when });
}
