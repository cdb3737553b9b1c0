// A photo URL as the page can show it (lib/photo-link sorts it): our API's is downloaded with the
// token and shown from a blob URL shared with whoever else shows it (lib/photo-blobs), let go when
// the photo changes or the component goes; this server's other pictures and data: images as they
// are. `url` is what an <img> may show; null while it downloads, when it failed, or when the photo
// is not one the page may show (another host's: a link; anything else: named only).
import { computed, onBeforeUnmount, ref, watch, type ComputedRef, type Ref } from 'vue';
import { useAuthStore } from '@/stores/auth';
import { photoSource, type PhotoSource } from '@/lib/photo-link';
import { holdPhoto, type HeldPhoto } from '@/lib/photo-blobs';

export interface AuthPhoto {
  source: ComputedRef<PhotoSource>;
  url: Ref<string | null>;
  failed: Ref<boolean>;
}

export function useAuthPhoto(src: () => string | null): AuthPhoto {
  const auth = useAuthStore();
  const source = computed<PhotoSource>(() => {
    const s = src();
    return s === null ? { kind: 'none' } : photoSource(s, globalThis.location.origin);
  });
  const url = ref<string | null>(null);
  const failed = ref(false);
  let held: HeldPhoto | null = null;

  watch(
    source,
    (s) => {
      held?.release();
      held = null;
      failed.value = false;
      url.value = s.kind === 'image' ? s.url : null;
      if (s.kind !== 'api') return;
      const mine = holdPhoto(s.path, auth.token);
      held = mine;
      mine.ready.then(
        (u) => {
          if (held === mine) url.value = u;
        },
        (err: unknown) => {
          if (held === mine && (err as Error).name !== 'AbortError') failed.value = true;
        },
      );
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    held?.release();
    held = null;
  });
  return { source, url, failed };
}
