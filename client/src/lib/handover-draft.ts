// The 交班留言 while it is being written, kept in localStorage per browser and per user: the note
// is written over a shift, and Esc, a click beside the dialog or a reload must not lose it. 交班
// clears it. A screen shared by several operators under one account keeps one draft per browser.
import { HANDOVER_NOTE_MAX } from '@shared/handovers';

export const HANDOVER_DRAFT_KEY = 'screen.handoverDraft';

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const keyOf = (username: string) => `${HANDOVER_DRAFT_KEY}:${username}`;

/** The draft kept for this user, or '' (none, or storage blocked); never longer than a note may be. */
export function readHandoverDraft(storage: KeyValueStore | null | undefined, username: string): string {
  try {
    return (storage?.getItem(keyOf(username)) ?? '').slice(0, HANDOVER_NOTE_MAX);
  } catch {
    return '';
  }
}

/** Keeps the draft; an empty one (or only spaces) is forgotten. */
export function writeHandoverDraft(
  storage: KeyValueStore | null | undefined,
  username: string,
  text: string,
): void {
  try {
    if (text.trim()) storage?.setItem(keyOf(username), text);
    else storage?.removeItem(keyOf(username));
  } catch {
    /* not kept: still in the dialog while it is open */
  }
}
