// Which client build the server serves (every API answer names it, X-Client-Build): the entry
// script of the built index.html, read again when a build replaces it under the running server.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildName, entryOfIndexHtml } from '../../../shared/build';
import { servedBuild } from '../../../server/http/static';
import { makeTempDir } from '../../support/temp-dir';

/** index.html as `vite build` writes it. */
const built = (entry: string) => `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="UTF-8" />
    <title>高平市基层综合执法指挥调度平台</title>
    <script type="module" crossorigin src="/assets/${entry}"></script>
    <link rel="stylesheet" crossorigin href="/assets/style-DbN6QZAP.css">
  </head>
  <body>
    <div id="app"></div>
  </body>
</html>`;

describe('the client build named', () => {
  it('is the entry script of a built index.html, and nothing for the sources’ own', () => {
    expect(entryOfIndexHtml(built('index-CM5GphW4.js'))).toBe('index-CM5GphW4.js');
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
    expect(served()).toBe('index-First111.js');
    fs.writeFileSync(index, built('index-Second22.js'));
    fs.utimesSync(index, new Date(), new Date(Date.now() + 10_000)); // a later mtime, whatever the FS's resolution
    now += 5000;
    expect(served()).toBe('index-Second22.js');
    fs.rmSync(index);
    now += 5000;
    expect(served()).toBeNull();
  });
});
