// A photo URL a source sent with its clue, as a link the page may offer: http or https only (a
// stored `javascript:` or `data:` is never a link), absolute, else null.
export function photoLink(src: string): string | null {
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}
