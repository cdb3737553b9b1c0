// `npm start`, first step: build the client if it is stale and bundle the server; the script then
// runs the bundle with plain Node (`node server/dist/run.mjs`, see server/cli/run.ts), which takes
// `npm start -- --no-sim`. The script passes those options here too, so a wrong one is refused
// before a build that can take a minute on a fresh machine.
import { ensureClientBuilt } from './client-build';
import { checkRunOptions } from './options';
import { buildServer } from './server-build';

const problem = checkRunOptions(process.argv.slice(2));
if (problem) {
  console.error(problem);
  console.error('Nothing was built or started. Run `npm start` alone, or `npm start -- --no-sim`.');
  process.exit(2);
}

try {
  ensureClientBuilt();
  await buildServer();
} catch (err) {
  console.error((err as Error).message);
  console.error('The dashboard was not started. Fix the error above, then run `npm start` again.');
  process.exit(1);
}
