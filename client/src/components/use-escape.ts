// Esc puts a panel away (the desk's 退回记录, the printed notice): a window listener while the
// component is mounted, skipping an IME's Esc (putting its candidates away) and one a control has
// used already.
import { onBeforeUnmount, onMounted } from 'vue';

export function useEscape(close: () => void): void {
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && !e.isComposing && !e.defaultPrevented) close();
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
