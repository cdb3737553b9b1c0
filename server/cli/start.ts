// `npm start`, first step: build the client if there is none and bundle the server; the script then
// runs the bundle with plain Node (`node server/dist/run.mjs --build-client-behind`, see
// server/cli/run.ts), which takes `npm start -- --no-sim`. A client build that is there but older
// than its sources (an upgrade) is served while the server builds the new one behind it
// (server/cli/client-build.ts), so the port is not closed for the build's minute. The script passes those options here too, so a wrong one is refused
// before a build that can take a minute on a fresh machine.
import { clientBuildExists, clientBuildIsStale, ensureClientBuilt } from './client-build';
import { checkRunOptions } from './options';
import { buildServer } from './server-build';

const problem = checkRunOptions(process.argv.slice(2));
if (problem) {
  console.error(problem);
  console.error('Nothing was built or started. Run `npm start` alone, or `npm start -- --no-sim`.');
  process.exit(2);
}

try {
  if (!clientBuildExists()) ensureClientBuilt();
  else if (clientBuildIsStale())
    console.log(
      'The client build is older than its sources: the server starts with it and builds the new one behind it.',
    );
  await buildServer();
} catch (err) {
  console.error((err as Error).message);
  console.error('The dashboard was not started. Fix the error above, then run `npm start` again.');
  process.exit(1);
}
