// Which client build the server serves (every API answer names it, X-Client-Build): the entry
// script of the built index.html, read again when a build replaces it under the running server.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildName, buildOf, entryOfIndexHtml } from '../../../shared/build';
import { servedBuild } from '../../../server/http/static';
import { makeTempDir } from '../../support/temp-dir';

/** index.html as `vite build` writes it. */
const built = (entry: string, sheet = 'style-DbN6QZAP.css') => `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="UTF-8" />
    <title>高平市基层综合执法指挥调度平台</title>
    <script type="module" crossorigin src="/assets/${entry}"></script>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" crossorigin href="/assets/${sheet}">
  </head>
  <body>
    <div id="app"></div>
  </body>
</html>`;

describe('the client build named', () => {
  it('is the entry script and stylesheet of a built index.html, and nothing for the sources’ own', () => {
    expect(entryOfIndexHtml(built('index-CM5GphW4.js'))).toBe('index-CM5GphW4.js+style-DbN6QZAP.css');
    // A change of style alone (the script as it was) is another build.
    expect(entryOfIndexHtml(built('index-CM5GphW4.js', 'style-Xy12AbCd.css'))).toBe(
      'index-CM5GphW4.js+style-Xy12AbCd.css',
    );
    // No stylesheet: the script alone.
    expect(entryOfIndexHtml('<script type="module" crossorigin src="/assets/index-A1.js"></script>')).toBe(
      'index-A1.js',
    );
    expect(buildOf('http://h/assets/index-A1.js', 'http://h/assets/style-B2.css')).toBe(
      'index-A1.js+style-B2.css',
    );
    expect(buildOf(undefined, 'http://h/assets/style-B2.css')).toBeNull();
    // The source index.html (development): /src/main.ts is not a build.
    expect(entryOfIndexHtml('<script type="module" src="/src/main.ts"></script>')).toBeNull();
    expect(entryOfIndexHtml('<html><body>no script</body></html>')).toBeNull();
    expect(buildName('http://127.0.0.1:3977/assets/index-a_B-9.js')).toBe('index-a_B-9.js');
    expect(buildName('http://127.0.0.1:3977/src/main.ts')).toBeNull();
  });
});

describe('servedBuild', () => {
  let tmp: ReturnType<typeof makeTempDir> | undefined;
  afterEach(() => tmp?.remove());

  it('names the build in dist/index.html, none before there is one, and the next after a rebuild', () => {
    tmp = makeTempDir();
    const index = path.join(tmp.dir, 'index.html');
    let now = 1_000_000;
    const served = servedBuild(tmp.dir, () => now);
    expect(served()).toBeNull();
    fs.writeFileSync(index, built('index-First111.js'));
    // Looked at again only every 5 s: every API answer asks.
    now += 1000;
    expect(served()).toBeNull();
    now += 5000;
    expect(served()).toBe('index-First111.js+style-DbN6QZAP.css');
    fs.writeFileSync(index, built('index-Second22.js'));
    fs.utimesSync(index, new Date(), new Date(Date.now() + 10_000)); // a later mtime, whatever the FS's resolution
    now += 5000;
    expect(served()).toBe('index-Second22.js+style-DbN6QZAP.css');
    fs.rmSync(index);
    now += 5000;
    expect(served()).toBeNull();
  });
});
