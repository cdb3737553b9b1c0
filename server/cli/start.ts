// `npm start`: build the client if needed, then run the server. `npm start -- --no-sim` turns the
// live simulator off (same as SIMULATOR=off).
import { ensureClientBuilt } from './client-build';
import { main } from '../main';

const args = process.argv.slice(2);
if (args.includes('--no-sim')) process.env.SIMULATOR = 'off';
const unknown = args.filter((a) => a !== '--no-sim');
if (unknown.length) {
  console.error(`Unknown option(s): ${unknown.join(' ')}. Known: --no-sim`);
  process.exit(2);
}

try {
  ensureClientBuilt();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
await main();
