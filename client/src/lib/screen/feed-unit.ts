// The unit a line of the big screen's live feed names after the place and the matter: the one the
// command centre sent the case to or chased (→ 东城街道), or the one that acted or ran late
// (承办 东城街道). Left out where it is the place's own township, which the line names already: a
// line that names no unit then always means the place's township, and never reads so falsely.
import type { FeedEntry } from '../case-events';
import type { Translate } from '../translate';
import { shortUnitName } from '../unit-name';

/** The unit's words on the line (short: the county's name dropped) and in its tooltip (whole). */
export function feedUnit(
  e: Pick<FeedEntry, 'to' | 'by'>,
  placeTownship: string,
  t: Translate,
): { short: string; full: string } | null {
  const unit = e.to ?? e.by;
  if (!unit || unit === placeTownship) return null;
  const key = e.to ? 'screen.feed.to' : 'screen.feed.by';
  return { short: t(key, { unit: shortUnitName(unit) }), full: t(key, { unit }) };
}
