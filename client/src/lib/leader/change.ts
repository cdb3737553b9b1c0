// 环比 lives in shared/measures.ts so the export computes it the same way; re-exported for the page.
export {
  computeChange,
  formatChange,
  type Change,
  type ChangeKind,
  type Verdict,
} from '../../../../shared/measures';
export type Better = 'up' | 'down' | 'neutral';
