// Before the e2e project: make sure Chromium is there (with a clear fix if not) and the client is
// built from the current sources, exactly as `npm start` would build it.
import { ensureClientBuilt } from '../../../server/cli/client-build';
import { findChromium } from './browser';

export default function setup(): void {
  findChromium(); // throws with the install command when missing
  // Vitest runs with NODE_ENV=test, which Vite's build would inherit: Vue and ECharts in their
  // development builds (warnings, checks; larger and slower) instead of what `npm start` serves.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    ensureClientBuilt((m) => process.stdout.write(`[e2e] ${m}\n`));
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
