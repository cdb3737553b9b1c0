// Serves the built client (client/dist) with history fallback for the Vue router's paths.
import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';

export const CLIENT_DIST = path.resolve(import.meta.dirname, '../../client/dist');

export function clientRouter(dist = CLIENT_DIST): Router {
  const router = express.Router();
  const index = path.join(dist, 'index.html');
  // Hashed assets never change under their name: cache them for a year. index.html: always revalidate.
  router.use(
    '/assets',
    express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }),
  );
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
    res.sendFile(index);
  });
  return router;
}
