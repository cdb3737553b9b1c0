// The keys of a row of tabs, as the WAI-ARIA tabs pattern has them (and as an operator at a desk PC
// expects from any tab strip): ←/→ move to the next tab and show it, wrapping round, Home/End go to
// the first/last. Only the shown tab is in the Tab order, so Tab leaves the strip for what follows.
// A radio group (the dispatch panel's list of units) is one Tab stop the same way, its arrows ↑/↓
// as well as ←/→, as the WAI-ARIA radio group pattern has them.

const STEP: Record<string, (i: number, n: number) => number> = {
  ArrowRight: (i, n) => (i + 1) % n,
  ArrowLeft: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (_i, n) => n - 1,
};

const RADIO_STEP: Record<string, (i: number, n: number) => number> = {
  ...STEP,
  ArrowDown: STEP.ArrowRight!,
  ArrowUp: STEP.ArrowLeft!,
};

/** The tab a key moves to from `current`, or null when the key is not one of the strip's. */
export function tabAfterKey<T>(key: string, tabs: readonly T[], current: T): T | null {
  return stepTo(STEP, key, tabs, current);
}

/** The radio a key moves to from `current`, or null when the key is not one of the group's. */
export function radioAfterKey<T>(key: string, radios: readonly T[], current: T): T | null {
  return stepTo(RADIO_STEP, key, radios, current);
}

function stepTo<T>(
  steps: Record<string, (i: number, n: number) => number>,
  key: string,
  tabs: readonly T[],
  current: T,
): T | null {
  const step = steps[key];
  if (!step || !tabs.length) return null;
  const i = tabs.indexOf(current);
  return tabs[step(i < 0 ? 0 : i, tabs.length)]!;
}

/**
 * A keydown on a tab: shows the tab the key moves to and puts the focus on it. The strip is the
 * tab's parent; its tabs are its `[role="tab"]` children, in the order of `tabs`.
 */
export function onTabKey<T>(e: KeyboardEvent, tabs: readonly T[], current: T, show: (tab: T) => void): void {
  if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
  const next = tabAfterKey(e.key, tabs, current);
  if (next === null) return;
  e.preventDefault();
  show(next);
  const strip = (e.currentTarget as HTMLElement | null)?.parentElement;
  const buttons = strip?.querySelectorAll<HTMLElement>('[role="tab"]');
  buttons?.[tabs.indexOf(next)]?.focus();
}
