// A case's state as its chip names it. A duplicate merged into its original (合并到原案) is stored
// `rejected` as a 不予立案 is (both end with nobody, shared/workflow.ts), but it was a real problem,
// reported again: it reads 已合并 (Merged), told by the case it went into (mergedInto).
import type { CaseItem } from './case-model';

/** The i18n key of the chip's word: `screen.states.merged` for a merged duplicate. */
export function stateKey(c: Pick<CaseItem, 'status' | 'mergedInto'>): string {
  return c.status === 'rejected' && c.mergedInto ? 'screen.states.merged' : `screen.states.${c.status}`;
}
