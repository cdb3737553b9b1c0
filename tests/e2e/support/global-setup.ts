// Before the e2e project: make sure Chromium is there (with a clear fix if not), the client is
// built from the current sources and the server bundled, exactly as `npm start` would build them.
import { ensureClientBuilt } from '../../../server/cli/client-build';
import { buildServer } from '../../../server/cli/server-build';
import { findChromium } from './browser';

export default async function setup(): Promise<void> {
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
  await buildServer((m) => process.stdout.write(`[e2e] ${m}\n`));
}
