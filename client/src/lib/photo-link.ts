// How the pages show a photo URL (a clue's `photos` may be any URL a source sent, evidence photos
// are our API's): our API's, by path or by full URL to this server, fetched with the token; another
// picture of this server's, or a data: image, as an image (the CSP allows both); a source's own
// http(s) URL on another host as a link that opens it (the CSP refuses images from other hosts);
// anything else (`javascript:`, a bare file name) is named, never linked.
export type PhotoSource =
  | { kind: 'api'; path: string }
  | { kind: 'image'; url: string }
  | { kind: 'link'; url: string }
  | { kind: 'none' };

export function photoSource(src: string, origin: string): PhotoSource {
  if (/^data:image\//i.test(src)) return { kind: 'image', url: src };
  let url: URL;
  try {
    // Relative to this page's server only when written as a path ('/…'), not a bare name.
    url = src.startsWith('/') && !src.startsWith('//') ? new URL(src, origin) : new URL(src);
  } catch {
    return { kind: 'none' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'none' };
  if (url.origin === origin) {
    const path = url.pathname + url.search;
    return url.pathname.startsWith('/api/') ? { kind: 'api', path } : { kind: 'image', url: path };
  }
  return { kind: 'link', url: url.href };
}
