// The server process: `node server/dist/run.mjs [--no-sim]`, the bundle of this file that `npm
// start` builds and runs (server/cli/server-build.ts); `npm run dev` and the tests run this file
// through tsx. `--no-sim` turns the live simulator off (same as SIMULATOR=off). `npm start` adds
// `--build-client-behind`: once listening, a client build older than its sources is rebuilt behind
// the running server (server/cli/client-build.ts).
import { main } from '../main';
import { createLogger } from '../logger';
import { clientBuildExists, clientBuildIsStale, rebuildClientBehind } from './client-build';
import { checkRunOptions } from './options';

const BEHIND = '--build-client-behind';
const behind = process.argv.includes(BEHIND);
const args = process.argv.slice(2).filter((a) => a !== BEHIND);
const problem = checkRunOptions(args);
if (problem) {
  console.error(problem);
  process.exit(2);
}
if (args.includes('--no-sim')) process.env.SIMULATOR = 'off';
await main();
if (behind && clientBuildExists() && clientBuildIsStale()) {
  const build = rebuildClientBehind(createLogger(process.env.LOG_LEVEL || 'info'));
  process.on('exit', () => build.stop());
}
