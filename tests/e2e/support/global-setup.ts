// Before the e2e project: make sure Chromium is there (with a clear fix if not) and the client is
// built from the current sources, exactly as `npm start` would build it.
import { ensureClientBuilt } from '../../../server/cli/client-build';
import { findChromium } from './browser';

export default function setup(): void {
  findChromium(); // throws with the install command when missing
  ensureClientBuilt((m) => process.stdout.write(`[e2e] ${m}\n`));
}
