// A task that left the desk while the clerk had it open: sent back by this desk (退回), given to
// another unit by the command centre (改派), or otherwise no longer the desk's. The detail closes and
// says so in plain words. Heard live, the event carries the case and it is not fetched again (outside
// the unit's scope it would be a 404, "not found, may have been merged or deleted", which sends a
// clerk to the phone). Found missing by a whole-desk reload (the desk was not listening), the case is
// fetched once to say why; a 404 then says the unit can no longer see it and whom to ask.
import type { CaseView } from '../../../../shared/cases';
import { isOwnCase, type DeskParty } from './desk-case';

export interface Departure {
  id: string;
  no: string;
  matterName: string;
  /**
   * returned: 退回 to the command centre; reassigned: 改派 to `to`; gone: no longer this unit's;
   * outOfScope: no longer this unit's, and the unit may no longer read it (why is not known here).
   */
  kind: 'returned' | 'reassigned' | 'gone' | 'outOfScope';
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

type Held = Pick<CaseView, 'id' | 'no' | 'matterName'>;

/**
 * The open case is missing from a whole-desk reload (a resync after a long outage or a failed
 * replay, 重试): it changed while the desk was not listening, or it was never on the lists (an old
 * case the search found). What the desk says, from the case fetched now (`now`), or from the copy it
 * held (`held`) when the fetch said the unit may not see it (`unreadable`: 404/403) or failed
 * (`failed`). Null: keep it open. A case that was on the desk and is not on the fresh lists has left
 * it, even when the fetch failed (the lists are the unit's work as of now); one found by the search
 * has left only when it is no longer assigned to the unit.
 */
export function departureAfterReload(
  held: Held | undefined,
  now: Parameters<typeof departureOf>[0] | 'unreadable' | 'failed',
  party: DeskParty | null,
  wasOnDesk: boolean,
): Departure | null {
  if (now === 'unreadable' || now === 'failed') {
    if (!held || (now === 'failed' && !wasOnDesk)) return null;
    const base = { id: held.id, no: held.no || held.id, matterName: held.matterName, to: null };
    return { ...base, kind: now === 'unreadable' ? 'outOfScope' : 'gone' };
  }
  if (!wasOnDesk && isOwnCase(now, party)) return null;
  return departureOf(now, party);
}
