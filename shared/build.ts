// Which build of the client a page runs, and which one the server serves now: the file names of the
// entry script and the stylesheet the built index.html loads (`index-<hash>.js+style-<hash>.css`).
// Vite names each after its contents: the script's changes when the client's code does, the
// stylesheet's when only a style does (a colour in a component's <style>, which leaves the script as
// it was, and was not taken for an upgrade). The server sends it with every API answer
// (`X-Client-Build`); a page that runs another one knows the server has been upgraded under it
// (client/src/lib/stale-build.ts).

/** The response header that names the client build the server serves. */
export const CLIENT_BUILD_HEADER = 'X-Client-Build';

/** The build a built index.html loads (see above), or null (no entry script, or not a build's). */
export function entryOfIndexHtml(html: string): string | null {
  const m = /<script\b[^>]*\btype=["']?module["']?[^>]*\bsrc=["']([^"']+)["']/i.exec(html);
  const sheet = [...html.matchAll(/<link\b[^>]*>/gi)]
    .map((l) => l[0])
    .find((l) => /\brel=["']?stylesheet\b/i.test(l));
  const href = sheet ? /\bhref=["']([^"']+)["']/i.exec(sheet)?.[1] : undefined;
  return buildOf(m?.[1], href);
}

/** The build named by its entry script's and stylesheet's paths or URLs (see above). */
export function buildOf(script: string | undefined, stylesheet: string | undefined): string | null {
  const js = script ? buildName(script) : null;
  if (!js) return null;
  const css = stylesheet ? /\/assets\/([\w.-]+\.css)(?:[?#].*)?$/.exec(stylesheet)?.[1] : undefined;
  return css ? `${js}+${css}` : js;
}

/** The file name of a built entry script's path or URL (`/assets/index-AbC123.js`), or null. */
export function buildName(src: string): string | null {
  const m = /\/assets\/([\w.-]+\.js)(?:[?#].*)?$/.exec(src);
  return m ? m[1]! : null;
}
