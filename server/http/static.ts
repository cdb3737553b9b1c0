// Serves the built client (client/dist) with history fallback for the Vue router's paths.
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import { entryOfIndexHtml } from '../../shared/build';

import { CLIENT_DIST } from './client-dist';

export { CLIENT_DIST };

/** The encodings the build writes next to each asset (client/build/precompress.ts), best first. */
const ENCODINGS = [
  { name: 'br', ext: '.br' },
  { name: 'gzip', ext: '.gz' },
] as const;

export function clientRouter(dist = CLIENT_DIST): Router {
  const router = express.Router();
  const index = path.join(dist, 'index.html');
  const assets = path.join(dist, 'assets');
  // Hashed assets never change under their name: cache them for a year. index.html: always revalidate.
  router.use('/assets', precompressed(assets));
  router.use('/assets', express.static(assets, { immutable: true, maxAge: '365d', fallthrough: false }));
  router.use(express.static(dist, { index: false, maxAge: 0 }));
  router.get(/^(?!\/(api|socket\.io)(\/|$)).*/, (req, res) => {
    if (!fs.existsSync(index)) {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send(
          'The dashboard has not been built yet. Run `npm start` (it builds the client) or `npm run build`.',
        );
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    // The install's own path, which may run through a dot-folder (~/.local/…): `send` refuses
    // those unless told.
    res.sendFile(index, { dotfiles: 'allow' });
  });
  return router;
}

/** How long the client build's name is taken as read before index.html is looked at again. */
const BUILD_CHECK_MS = 5000;

/**
 * The client build the server serves now (shared/build.ts): the entry script's name in
 * `dist/index.html`, or null while there is none. Read again when the file changes (a build under a
 * running server), looked at once every BUILD_CHECK_MS at most, as every API answer names it.
 */
export function servedBuild(dist = CLIENT_DIST, now: () => number = Date.now): () => string | null {
  const index = path.join(dist, 'index.html');
  let checkedAt = -Infinity;
  let mtime = -1;
  let name: string | null = null;
  return () => {
    if (now() - checkedAt < BUILD_CHECK_MS) return name;
    checkedAt = now();
    const st = fs.statSync(index, { throwIfNoEntry: false });
    if (!st) {
      mtime = -1;
      return (name = null);
    }
    if (st.mtimeMs !== mtime) {
      mtime = st.mtimeMs;
      try {
        name = entryOfIndexHtml(fs.readFileSync(index, 'utf8'));
      } catch {
        name = null; // replaced mid-read: the next look reads it again
        mtime = -1;
      }
    }
    return name;
  };
}

/**
 * Sends the Brotli or gzip copy the build wrote for an asset when the browser accepts it, so no
 * asset is compressed per request (MapLibre alone is 1 MB of JavaScript). Assets are hashed, so a
 * copy found once is remembered (only those: names that do not exist are not, or anyone could fill
 * the map). Anything else falls through to express.static (and the compression middleware).
 */
function precompressed(dir: string): RequestHandler {
  const exists = new Set<string>();
  const has = (file: string): boolean => {
    if (exists.has(file)) return true;
    const found = fs.existsSync(file);
    if (found) exists.add(file);
    return found;
  };
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let name: string;
    try {
      name = decodeURIComponent(req.path);
    } catch {
      return next(); // express.static answers 400
    }
    // Only plain file names under assets/ (no dot segments, no sub-folders).
    if (!/^\/[\w.-]+$/.test(name) || name.includes('..')) return next();
    // Every encoding the browser accepts at all (q > 0); among them the smallest copy written.
    const accepted = new Set(req.acceptsEncodings());
    const encoding = ENCODINGS.find((e) => accepted.has(e.name) && has(path.join(dir, name + e.ext)));
    if (!encoding) return next();
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Content-Encoding', encoding.name); // also tells the compression middleware to skip
    res.type(path.extname(name)); // the type of the file, not of its compressed copy
    res.sendFile(
      name.slice(1) + encoding.ext,
      { root: dir, immutable: true, maxAge: '365d', acceptRanges: false, dotfiles: 'deny' },
      (err) => {
        if (!err) return;
        // Gone since it was looked up (a rebuild under a running server): serve the file itself.
        exists.delete(path.join(dir, name + encoding.ext));
        if (res.headersSent) return void res.destroy(); // failed mid-way: end it, the browser retries
        res.removeHeader('Content-Encoding');
        res.removeHeader('Content-Type');
        next();
      },
    );
  };
}
