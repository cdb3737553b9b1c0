// The browser tab's title as a cue: a page with news not yet put away (the desk's new tasks, 督办,
// merged reports, rework) says how many, `(3) 高平市…`, so a clerk working in another tab sees it;
// while the page is hidden the title alternates with what the newest is, `【新任务】高平市…`, as
// Chinese government desks do. A page sets `titleBadge`; App.vue writes the title.
import { ref } from 'vue';

export interface TitleBadge {
  /** How many pieces of news are pending. */
  count: number;
  /** What the newest is, in a word or two (新任务, 督办). */
  label: string;
}

/** Set by the page that has news (null: none); read by App.vue. */
export const titleBadge = ref<TitleBadge | null>(null);

/** The title for `base` with `badge`; `flash`: the alternate, naming the newest. */
export function pageTitle(base: string, badge: TitleBadge | null, flash: boolean): string {
  if (!badge || badge.count <= 0) return base;
  return flash ? `【${badge.label}】${base}` : `(${badge.count}) ${base}`;
}
