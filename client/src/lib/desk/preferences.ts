// Remembered choices (in localStorage, per browser): the sound on or off — the desk's new-task cue
// (SOUND_KEY), the screen's cue for work awaiting the operator (SCREEN_SOUND_KEY).
export const SOUND_KEY = 'desk.sound';
export const SCREEN_SOUND_KEY = 'screen.sound';

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

/** On unless the user switched it off. */
export function readSoundOn(storage: KeyValueStore | null | undefined, key = SOUND_KEY): boolean {
  try {
    return storage?.getItem(key) !== 'off';
  } catch {
    return true; // storage blocked (private mode): default on
  }
}

export function writeSoundOn(storage: KeyValueStore | null | undefined, on: boolean, key = SOUND_KEY): void {
  try {
    storage?.setItem(key, on ? 'on' : 'off');
  } catch {
    /* not remembered, still applied for this session */
  }
}
