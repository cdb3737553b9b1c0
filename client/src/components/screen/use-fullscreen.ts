// The wall's 全屏: the whole page over the browser's bars and the taskbar (what F11 does, from a
// click, for an operator at a wall PC with no keyboard at hand). The state follows the browser's,
// so Esc or F11 leaving full screen is shown too.
import { onBeforeUnmount, onMounted, ref } from 'vue';

export function useFullscreen() {
  const supported = typeof document !== 'undefined' && document.fullscreenEnabled === true;
  const active = ref(false);
  /** The browser refused (a policy, an embedding frame): the operator is told to press F11. */
  const refused = ref(false);

  function sync(): void {
    active.value = document.fullscreenElement !== null;
  }
  async function toggle(): Promise<void> {
    refused.value = false;
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await document.documentElement.requestFullscreen({ navigationUI: 'hide' });
    } catch {
      refused.value = true;
    }
    sync();
  }

  onMounted(() => {
    sync();
    document.addEventListener('fullscreenchange', sync);
  });
  onBeforeUnmount(() => document.removeEventListener('fullscreenchange', sync));
  return { supported, active, refused, toggle };
}
