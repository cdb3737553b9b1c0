// The audible cue (the desk's new task, the screen's case awaiting dispatch): a short two-tone beep
// from WebAudio (no sound file to ship). Browsers only start audio after a user gesture (Chrome keeps
// a context made before one suspended, silently), so the context is made at once and unlocked on the
// first click or key anywhere; `blocked` says it is still suspended, for the page to ask for that
// click. Not made at all where `wanted` says no cue is (a leader's screen).
import { onBeforeUnmount, onMounted, ref } from 'vue';

export function useBeep(wanted: () => boolean = () => true) {
  let ctx: AudioContext | null = null;
  /** The browser holds the sound back until the user clicks the page (autoplay policy). */
  const blocked = ref(false);
  let mounted = false;

  function context(): AudioContext | null {
    if (!ctx) {
      const Ctor =
        globalThis.AudioContext ??
        (globalThis as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
      if (!Ctor) return null;
      const c = new Ctor();
      const track = (): void => {
        blocked.value = c.state === 'suspended';
        // Running: no click is needed any more (suspended again, the clicks unlock it again).
        if (c.state === 'running') listen(false);
        else if (c.state === 'suspended') listen(true);
      };
      c.addEventListener('statechange', track);
      track();
      ctx = c;
    }
    return ctx;
  }
  /** Whether a click or key anywhere unlocks the sound (only while the page is up). */
  function listen(on: boolean): void {
    const method = on && mounted ? 'addEventListener' : 'removeEventListener';
    window[method]('pointerdown', unlock);
    window[method]('keydown', unlock);
  }
  function unlock(): void {
    if (!wanted()) return;
    const c = context();
    if (c && c.state === 'suspended') void c.resume();
  }
  /** Two short tones (880 Hz then 1320 Hz). Returns whether anything could play. */
  function beep(): boolean {
    const c = context();
    if (!c) return false;
    if (c.state === 'suspended') void c.resume();
    const start = c.currentTime + 0.01;
    [880, 1320].forEach((freq, i) => {
      const osc = c.createOscillator();
      const gain = c.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const t0 = start + i * 0.18;
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(0.25, t0 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.16);
      osc.connect(gain).connect(c.destination);
      osc.start(t0);
      osc.stop(t0 + 0.17);
    });
    return true;
  }

  // Made at load, so a page reloaded without a click knows at once whether it may sound; unlocked by
  // any click or key until it runs (not only the first: the first may come while no cue is wanted).
  onMounted(() => {
    mounted = true;
    listen(true);
    if (wanted()) context();
  });
  onBeforeUnmount(() => {
    mounted = false;
    listen(false);
    void ctx?.close();
    ctx = null;
  });
  return { beep, unlock, blocked };
}
