// A unit's 退回 records (GET /api/returns), said as the desk's 退回记录 says them: what the command
// centre did with each return, in one line.
import type { ReturnRecord } from '@shared/cases';
import { formatShanghai } from './format';
import { partyParam, type DeskParty } from './desk-case';

/** The query for a unit's records, the page after `before` when given. */
export function returnsQuery(party: DeskParty, before?: number | null): string {
  const q = new URLSearchParams({ party: partyParam(party), limit: '30' });
  if (before) q.set('before', String(before));
  return `/api/returns?${q}`;
}

export type ReturnOutcomeKind = 'pending' | 'again' | 'elsewhere' | 'rejected';

/** What became of a return: the i18n key under `desk.returns.outcome`, its words' values, its kind. */
export function returnOutcome(r: ReturnRecord): {
  kind: ReturnOutcomeKind;
  params: Record<string, string>;
} {
  const d = r.decision;
  if (!d) return { kind: 'pending', params: {} };
  const time = formatShanghai(d.at, true); // the records go back years
  if (d.type === 'reject') return { kind: 'rejected', params: { time, note: d.note } };
  if (d.again) return { kind: 'again', params: { time } };
  return { kind: 'elsewhere', params: { time, to: d.to?.name ?? d.to?.code ?? '' } };
}
