// Where the built client lives: served by server/http/static.ts, built (and rebuilt behind a running
// server) by server/cli/client-build.ts. A module of its own, so `npm start`'s first step does not
// load Express to learn a path.
import path from 'node:path';

export const CLIENT_DIST = path.resolve(import.meta.dirname, '../../client/dist');
