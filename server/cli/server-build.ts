// Bundles the server for production: server/cli/run.ts and everything it imports from server/ and
// shared/ into one ES module, server/dist/run.mjs, with the packages in node_modules left as
// imports. `npm start` runs that file with plain Node, so production carries no TypeScript loader
// (the tsx loader thread costs ~54 MB of memory and slows the start); tests and `npm run dev` keep
// running the sources through tsx. The bundle sits two folders below the repository root, as every
// server module does, so the paths they resolve from their own folder (client/dist, geo/gaoping)
// come out the same.
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const SERVER_BUNDLE = path.join(ROOT, 'server/dist/run.mjs');

/** Build the bundle (about a second); throws with esbuild's messages on failure. */
export async function buildServer(log: (msg: string) => void = console.log): Promise<string> {
  const started = Date.now();
  // Loaded here, not at the top: tests import SERVER_BUNDLE from this file without building.
  const { build } = await import('esbuild');
  await build({
    entryPoints: [path.join(ROOT, 'server/cli/run.ts')],
    outfile: SERVER_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    legalComments: 'none',
  });
  log(`Server bundled into server/dist/run.mjs in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return SERVER_BUNDLE;
}
