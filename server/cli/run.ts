// The server process: `node server/dist/run.mjs [--no-sim]`, the bundle of this file that `npm
// start` builds and runs (server/cli/server-build.ts); `npm run dev` and the tests run this file
// through tsx. `--no-sim` turns the live simulator off (same as SIMULATOR=off).
import { main } from '../main';

const args = process.argv.slice(2);
if (args.includes('--no-sim')) process.env.SIMULATOR = 'off';
const unknown = args.filter((a) => a !== '--no-sim');
if (unknown.length) {
  console.error(`Unknown option(s): ${unknown.join(' ')}. Known: --no-sim`);
  process.exit(2);
}
await main();
