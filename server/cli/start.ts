// `npm start`, first step: build the client if it is stale and bundle the server; the script then
// runs the bundle with plain Node (`node server/dist/run.mjs`, see server/cli/run.ts), which takes
// `npm start -- --no-sim`.
import { ensureClientBuilt } from './client-build';
import { buildServer } from './server-build';

try {
  ensureClientBuilt();
  await buildServer();
} catch (err) {
  console.error((err as Error).message);
  console.error('The dashboard was not started. Fix the error above, then run `npm start` again.');
  process.exit(1);
}
