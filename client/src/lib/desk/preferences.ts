// The desk's remembered choices (in localStorage, per browser): the new-task sound on or off.
export const SOUND_KEY = 'desk.sound';

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

/** On unless the user switched it off. */
export function readSoundOn(storage: KeyValueStore | null | undefined): boolean {
  try {
    return storage?.getItem(SOUND_KEY) !== 'off';
  } catch {
    return true; // storage blocked (private mode): default on
  }
}

export function writeSoundOn(storage: KeyValueStore | null | undefined, on: boolean): void {
  try {
    storage?.setItem(SOUND_KEY, on ? 'on' : 'off');
  } catch {
    /* not remembered, still applied for this session */
  }
}
