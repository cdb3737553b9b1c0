// The server's command-line options (`npm start -- --no-sim`), checked by `npm start` before it
// builds anything (server/cli/start.ts) and by the server process itself (server/cli/run.ts).
export const RUN_OPTIONS = ['--no-sim'] as const;

/** The problem with `args`, in words, or null when they are all known. */
export function checkRunOptions(args: readonly string[]): string | null {
  const unknown = args.filter((a) => !(RUN_OPTIONS as readonly string[]).includes(a));
  return unknown.length ? `Unknown option(s): ${unknown.join(' ')}. Known: ${RUN_OPTIONS.join(' ')}` : null;
}
