// Colours of the desk's tabs on its map and in its legend.
import type { DeskTab } from './tabs';

export const TAB_COLORS: Record<DeskTab, string> = {
  acknowledge: '#3ea6ff',
  in_progress: '#21c07a',
  rectifying: '#b388ff',
  rework: '#ff9f1c',
  done: '#6b7a90',
  cooperating: '#4dd0e1',
};
