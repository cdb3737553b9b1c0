// Esc puts a panel away (the desk's 退回记录, the printed notice, the big screen's team card): a
// window listener while the component is mounted, skipping an IME's Esc (putting its candidates away)
// and one a control has used already.
import { onBeforeUnmount, onMounted } from 'vue';

/**
 * `first`: this panel lies over another that also closes on Esc (the team card over the dispatch
 * panel): it hears Esc before the others (capture phase) and uses it up, so one Esc closes one
 * panel; and not while the operator is typing in a field.
 */
export function useEscape(close: () => void, opts: { first?: boolean } = {}): void {
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || e.isComposing || e.defaultPrevented) return;
    if (opts.first) {
      if (e.target instanceof HTMLElement && e.target.closest('input, select, textarea')) return;
      e.preventDefault();
    }
    close();
  };
  const capture = !!opts.first;
  onMounted(() => window.addEventListener('keydown', onKey, { capture }));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey, { capture }));
}
