// Our API's photos as blob URLs, fetched with the bearer token (an <img src> cannot send it) and
// shared: a thumbnail and the photo viewer showing the same photo hold one download and one blob
// URL, which is revoked when the last of them lets it go. A failed download is forgotten, so the
// next one to ask tries again.
interface Entry {
  holders: number;
  url: string | null;
  controller: AbortController;
  ready: Promise<string>;
}

const entries = new Map<string, Entry>();

export interface HeldPhoto {
  /** The blob URL once downloaded; rejects with the HTTP status (or the network's error). */
  ready: Promise<string>;
  /** This holder is done with it: the last one revokes the URL (or stops the download). */
  release(): void;
}

/** Hold the photo at `path` (our API's, e.g. /api/cases/<id>/photos/<photo>), as `token` may read it. */
export function holdPhoto(path: string, token: string | null): HeldPhoto {
  const key = `${token ?? ''} ${path}`;
  let entry = entries.get(key);
  if (!entry) {
    const controller = new AbortController();
    const created: Entry = { holders: 0, url: null, controller, ready: Promise.resolve('') };
    created.ready = fetch(path, {
      headers: { Authorization: `Bearer ${token ?? ''}` },
      signal: controller.signal,
    })
      .then(async (res) => {
        if (!res.ok) throw new Error(String(res.status));
        const url = URL.createObjectURL(await res.blob());
        // Let go meanwhile: not kept.
        if (entries.get(key) !== created) URL.revokeObjectURL(url);
        else created.url = url;
        return url;
      })
      .catch((err: unknown) => {
        if (entries.get(key) === created) entries.delete(key);
        throw err;
      });
    // A holder that never awaits it must not leave an unhandled rejection in the console.
    created.ready.catch(() => undefined);
    entries.set(key, created);
    entry = created;
  }
  const held = entry;
  held.holders++;
  let released = false;
  return {
    ready: held.ready,
    release() {
      if (released) return;
      released = true;
      held.holders--;
      if (held.holders > 0 || entries.get(key) !== held) return;
      entries.delete(key);
      if (held.url) URL.revokeObjectURL(held.url);
      else held.controller.abort();
    },
  };
}
