// Which build of the client a page runs, and which one the server serves now: the file name of the
// entry script the built index.html loads (`index-<content hash>.js`). Vite names it after its
// contents, so it changes exactly when the client's code does. The server sends it with every API
// answer (`X-Client-Build`); a page that runs another one knows the server has been upgraded under
// it (client/src/lib/stale-build.ts).

/** The response header that names the client build the server serves. */
export const CLIENT_BUILD_HEADER = 'X-Client-Build';

/** The entry script's file name in a built index.html, or null (none, or not a build's). */
export function entryOfIndexHtml(html: string): string | null {
  const m = /<script\b[^>]*\btype=["']?module["']?[^>]*\bsrc=["']([^"']+)["']/i.exec(html);
  return m ? buildName(m[1]!) : null;
}

/** The file name of a built entry script's path or URL (`/assets/index-AbC123.js`), or null. */
export function buildName(src: string): string | null {
  const m = /\/assets\/([\w.-]+\.js)(?:[?#].*)?$/.exec(src);
  return m ? m[1]! : null;
}
