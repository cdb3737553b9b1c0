// The audible cue (the desk's new task, the screen's case awaiting dispatch): a short two-tone beep
// from WebAudio (no sound file to ship). Browsers only start audio after a user gesture, so the
// context is unlocked on the first click anywhere; not made at all where `wanted` says no cue is
// (a leader's screen).
import { onBeforeUnmount, onMounted } from 'vue';

export function useBeep(wanted: () => boolean = () => true) {
  let ctx: AudioContext | null = null;

  function context(): AudioContext | null {
    if (!ctx) {
      const Ctor =
        globalThis.AudioContext ??
        (globalThis as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
      if (!Ctor) return null;
      ctx = new Ctor();
    }
    return ctx;
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

  onMounted(() => window.addEventListener('pointerdown', unlock, { once: true }));
  onBeforeUnmount(() => {
    window.removeEventListener('pointerdown', unlock);
    void ctx?.close();
    ctx = null;
  });
  return { beep, unlock };
}
