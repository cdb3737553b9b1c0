// The server process: `node server/dist/run.mjs [--no-sim]`, the bundle of this file that `npm
// start` builds and runs (server/cli/server-build.ts); `npm run dev` and the tests run this file
// through tsx. `--no-sim` turns the live simulator off (same as SIMULATOR=off).
import { main } from '../main';
import { checkRunOptions } from './options';

const args = process.argv.slice(2);
const problem = checkRunOptions(args);
if (problem) {
  console.error(problem);
  process.exit(2);
}
if (args.includes('--no-sim')) process.env.SIMULATOR = 'off';
await main();
