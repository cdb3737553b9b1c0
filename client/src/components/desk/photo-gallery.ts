// The photos of the case on show, for the photo viewer: the case's page (the desk's detail, the
// screen's dispatch panel) provides them; each thumbnail opens the viewer at its own photo, and the
// viewer steps through the rest (← →). A thumbnail whose photo is not the case's (one just picked
// for a form, not sent yet) opens it alone.
import { inject, nextTick, provide, ref, type InjectionKey, type Ref } from 'vue';
import type { GalleryPhoto } from '@/lib/photo-gallery';
import { formatShanghai } from '@/lib/desk/format';
import { actionLabel } from '@/lib/desk/timeline';

export interface GalleryView {
  /** The photos as they were when it opened (an update to the case does not move the one shown). */
  list: GalleryPhoto[];
  index: number;
  /** The thumbnail it was opened from: the focus goes back there when it closes. */
  from: HTMLElement | null;
}

export interface PhotoGallery {
  photos: () => GalleryPhoto[];
  view: Ref<GalleryView | null>;
  open(src: string, from: HTMLElement | null): void;
  /** Show the photo `index` of the list it opened with (nothing outside it). */
  show(index: number): void;
  close(): void;
}

const KEY: InjectionKey<PhotoGallery> = Symbol('photo-gallery');

export function createPhotoGallery(photos: () => GalleryPhoto[]): PhotoGallery {
  const view = ref<GalleryView | null>(null);
  return {
    photos,
    view,
    open(src, from) {
      const all = photos();
      const index = all.findIndex((p) => p.src === src);
      view.value =
        index >= 0
          ? { list: all, index, from }
          : { list: [{ src, origin: { kind: 'other' }, at: null }], index: 0, from };
    },
    show(index) {
      const v = view.value;
      if (v && index >= 0 && index < v.list.length) view.value = { ...v, index };
    },
    close() {
      const from = view.value?.from;
      view.value = null;
      // Once the viewer is gone (the page behind is inert while it is open).
      void nextTick(() => {
        if (from?.isConnected) from.focus();
      });
    },
  };
}

/** The case's page: its photos for the thumbnails below it. */
export function providePhotoGallery(photos: () => GalleryPhoto[]): PhotoGallery {
  const gallery = createPhotoGallery(photos);
  provide(KEY, gallery);
  return gallery;
}

/** The gallery of the case the thumbnail is shown in; null outside one. */
export function injectPhotoGallery(): PhotoGallery | null {
  return inject(KEY, null);
}

type T = (key: string, named?: Record<string, unknown>) => string;

/** 上报照片 · 2026-12-06 13:18; 合并上报 20261204-0012 · …; 办结 · … (the viewer's caption). */
export function captionOf(p: GalleryPhoto, t: T, te: (key: string) => boolean): string {
  const o = p.origin;
  const what =
    o.kind === 'report'
      ? t('photo.fromReport')
      : o.kind === 'merged'
        ? t('photo.fromMerged', { no: o.no })
        : o.kind === 'event'
          ? actionLabel(o.type, t, te)
          : '';
  return [what, p.at !== null ? formatShanghai(p.at, true) : ''].filter(Boolean).join(' · ');
}
