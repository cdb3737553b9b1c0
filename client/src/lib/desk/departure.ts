// A task that left the desk while the clerk had it open: sent back by this desk (退回), given to
// another unit by the command centre (改派), or otherwise no longer the desk's. The detail closes and
// says so in plain words; the case is not fetched again (outside the unit's scope it would be a 404,
// "not found, may have been merged or deleted", which sends a clerk to the phone).
import type { CaseView } from '../../../../shared/cases';
import { isOwnCase, type DeskParty } from './desk-case';

export interface Departure {
  id: string;
  no: string;
  matterName: string;
  /** returned: 退回 to the command centre; reassigned: 改派 to `to`; gone: no longer this unit's. */
  kind: 'returned' | 'reassigned' | 'gone';
  /** The unit it went to (reassigned only). */
  to: string | null;
}

/**
 * What the desk of `party` says of `c`, which has just left it: by the clerk's own 退回 (its
 * confirmation), a colleague's, or the command centre's 改派 while it was open.
 */
export function departureOf(
  c: Pick<CaseView, 'id' | 'no' | 'matterName' | 'status' | 'assignee'>,
  party: DeskParty | null,
): Departure {
  const base = { id: c.id, no: c.no || c.id, matterName: c.matterName };
  if (c.status === 'returned') return { ...base, kind: 'returned', to: null };
  if (c.assignee && !isOwnCase(c, party)) return { ...base, kind: 'reassigned', to: c.assignee.name };
  return { ...base, kind: 'gone', to: null };
}
