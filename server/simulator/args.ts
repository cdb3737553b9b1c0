// `npm run sim -- …`: the options of the simulator as a load generator, checked with messages that
// say what is wrong and what would be right.
export interface SimArgs {
  url: string;
  /** Clues per minute. */
  ratePerMinute: number;
  durationSeconds: number;
  password: string;
  seed: number | undefined;
  workflow: boolean;
  teams: boolean;
  quiet: boolean;
}

export const SIM_USAGE = `Usage: npm run sim -- [options]

Simulated grid workers, clerks, command centre and teams working a running server in demo mode,
through its public HTTP API and Socket.IO only. Doubles as a load generator.

  --url <http://host:port>   the server (default http://127.0.0.1:3000)
  --rate <n>[/min|/s]        new clues per minute (default 12/min, one every 5 s); "5/s" = 300/min
  --duration <seconds>       how long to run, 1–86400 (default 60); then it stops and sums up
  --password <p>             the demo accounts' password (default $DEMO_PASSWORD or "demo")
  --seed <n>                 seed for what is reported where, to repeat a run (default: a new one each run)
  --no-workflow              only report clues; nobody dispatches, acknowledges or resolves
  --no-teams                 no team movement, no GPS fixes
  --quiet                    no progress lines, only the summary
  --help                     this text`;

export class SimArgsError extends Error {}

const MAX_RATE_PER_MINUTE = 600_000; // 10,000 a second

/** Parse `argv` (after the script name); throws SimArgsError naming the bad option. */
export function parseSimArgs(argv: string[], env: NodeJS.ProcessEnv = {}): SimArgs | 'help' {
  const out: SimArgs = {
    url: 'http://127.0.0.1:3000',
    ratePerMinute: 12,
    durationSeconds: 60,
    password: env.DEMO_PASSWORD || 'demo',
    seed: undefined,
    workflow: true,
    teams: true,
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--')))
        throw new SimArgsError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--url':
        out.url = parseUrl(value());
        break;
      case '--rate':
        out.ratePerMinute = parseRate(value());
        break;
      case '--duration':
        out.durationSeconds = parseDuration(value());
        break;
      case '--password':
        out.password = value();
        if (!out.password) throw new SimArgsError('--password must not be empty');
        break;
      case '--seed': {
        const v = value();
        if (!/^\d{1,10}$/.test(v)) throw new SimArgsError(`--seed must be a whole number, not "${v}"`);
        out.seed = Number(v);
        break;
      }
      case '--no-workflow':
        out.workflow = false;
        break;
      case '--no-teams':
        out.teams = false;
        break;
      case '--quiet':
        out.quiet = true;
        break;
      default:
        throw new SimArgsError(
          `unknown option ${arg}; known: --url, --rate, --duration, --password, --seed, --no-workflow, --no-teams, --quiet, --help`,
        );
    }
  }
  return out;
}

function parseUrl(v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new SimArgsError(`--url must be a URL such as http://127.0.0.1:3000, not "${v}"`);
  }
  if (u.protocol !== 'http:')
    throw new SimArgsError(`--url must start with http:// (the simulator speaks plain HTTP), not "${v}"`);
  if (u.pathname !== '/' || u.search)
    throw new SimArgsError(`--url is the server's root, without a path: http://${u.host}`);
  return `http://${u.host}`;
}

/** `50` and `50/min`: per minute; `5/s`: per second. */
export function parseRate(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(?:\/(s|sec|min|m))?$/.exec(v.trim());
  if (!m)
    throw new SimArgsError(
      `--rate must be a number of clues per minute (50, 50/min) or per second (5/s), not "${v}"`,
    );
  const n = Number(m[1]) * (m[2] === 's' || m[2] === 'sec' ? 60 : 1);
  if (!(n > 0)) throw new SimArgsError('--rate must be more than 0');
  if (n > MAX_RATE_PER_MINUTE)
    throw new SimArgsError(`--rate must be at most ${MAX_RATE_PER_MINUTE}/min (10000/s)`);
  return n;
}

function parseDuration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(s)?$/.exec(v.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!(n >= 1 && n <= 86_400))
    throw new SimArgsError(`--duration must be a number of seconds from 1 to 86400, not "${v}"`);
  return n;
}
