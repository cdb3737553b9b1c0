// A returned case's last 退回 (the case's lastReturn) in the big screen's words: the dispatch panel's
// sentence (东城街道 22:11 退回：…) and the queue row's short form (东城街道退回：…), whose tooltip
// is the sentence.
import type { CaseItem } from '../case-model';
import { shanghaiWhen } from '../shanghai-time';
import type { Translate } from '../translate';
import { shortUnitName } from '../unit-name';

type LastReturn = NonNullable<CaseItem['lastReturn']>;

/** Who sent it back, when and why, whole: the panel's warning and the row's tooltip. */
export function returnedText(back: LastReturn, now: number, t: Translate): string {
  return t('screen.dispatch.returnedBy', {
    by: back.by?.name ?? '',
    time: shanghaiWhen(back.at, now),
    reason: back.reason,
  });
}

/**
 * Who sent it back and why, on one line of a queue row: the unit short (the county's name dropped),
 * the reason's line breaks as spaces; the row's width cuts the rest.
 */
export function returnedShort(back: LastReturn, t: Translate): string {
  const reason = back.reason.replace(/\s+/g, ' ').trim();
  return back.by
    ? t('screen.queue.returnedBy', { by: shortUnitName(back.by.name), reason })
    : t('screen.queue.returnedNoUnit', { reason });
}
