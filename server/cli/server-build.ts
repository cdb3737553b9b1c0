// Bundles the server for production: server/cli/run.ts and everything it imports from server/ and
// shared/ into one ES module, server/dist/run.mjs, with the packages in node_modules left as
// imports. `npm start` runs that file with plain Node, so production carries no TypeScript loader
// (the tsx loader thread costs ~54 MB of memory and slows the start); tests and `npm run dev` keep
// running the sources through tsx. The bundle sits two folders below the repository root, as every
// server module does, so the paths they resolve from their own folder (client/dist, geo/gaoping)
// come out the same.
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const SERVER_BUNDLE = path.join(ROOT, 'server/dist/run.mjs');

/** Build the bundle (about a second); throws with esbuild's messages on failure. */
export async function buildServer(log: (msg: string) => void = console.log): Promise<string> {
  const started = Date.now();
  await bundle('server/cli/run.ts', SERVER_BUNDLE);
  log(`Server bundled into server/dist/run.mjs in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return SERVER_BUNDLE;
}

/**
 * The operator's account and team commands (`npm run users`, `npm run teams`), bundled the same way
 * into server/dist/users.mjs and teams.mjs. `npm run users` itself runs the sources through tsx (an
 * operator runs it now and then, always from the sources as checked out); the tests that run these
 * commands a hundred times over run the bundles, built from the same sources before them: a command
 * started through tsx took 0.9 s (1.2 s of CPU) where its bundle takes 0.3 s.
 */
export const CLI_BUNDLES = {
  users: path.join(ROOT, 'server/dist/users.mjs'),
  teams: path.join(ROOT, 'server/dist/teams.mjs'),
} as const;
export type CliName = keyof typeof CLI_BUNDLES;

/** Build CLI_BUNDLES. */
export async function buildCliBundles(log: (msg: string) => void = console.log): Promise<void> {
  const started = Date.now();
  for (const [name, outfile] of Object.entries(CLI_BUNDLES)) await bundle(`server/cli/${name}.ts`, outfile);
  log(
    `Commands bundled into server/dist/{users,teams}.mjs in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
}

/**
 * Node's arguments that start a command: its bundle (which must have been built), or with `sources`
 * its TypeScript through tsx, as `npm run <name>` runs it.
 */
export function cliCommand(name: CliName, sources = false): string[] {
  if (sources) return ['--import', 'tsx', `server/cli/${name}.ts`];
  if (!fs.existsSync(CLI_BUNDLES[name]))
    throw new Error(
      `${CLI_BUNDLES[name]} is missing: call buildCliBundles() (server/cli/server-build.ts) first`,
    );
  return [CLI_BUNDLES[name]];
}

/**
 * One entry file and what it imports from server/ and shared/ into one ES module, the packages in
 * node_modules left as imports; written whole and renamed into place, so a process starting it
 * meanwhile never reads half a file.
 */
async function bundle(entry: string, outfile: string): Promise<void> {
  // Loaded here, not at the top: tests import the paths from this file without building.
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    legalComments: 'none',
  });
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  const temp = `${outfile}.${process.pid}.tmp`;
  fs.writeFileSync(temp, out.outputFiles[0]!.contents);
  fs.renameSync(temp, outfile);
}
