// `npm run sim -- --url http://host:port --rate 50 --duration 60`: run the simulator against a
// server for a bounded time, print progress, then a summary. Exit 2 on bad options, 1 when the
// server cannot be reached or signed in to.
import { SIM_USAGE, SimArgsError, parseSimArgs } from './args';
import { Simulator, formatStats } from './simulator';

let args;
try {
  args = parseSimArgs(process.argv.slice(2), process.env);
} catch (err) {
  if (!(err instanceof SimArgsError)) throw err;
  console.error(`sim: ${err.message}\n\n${SIM_USAGE}`);
  process.exit(2);
}
if (args === 'help') {
  console.log(SIM_USAGE);
  process.exit(0);
}

const sim = new Simulator({
  url: args.url,
  password: args.password,
  ratePerMinute: args.ratePerMinute,
  durationMs: args.durationSeconds * 1000,
  seed: args.seed,
  workflow: args.workflow,
  teams: args.teams,
  log: args.quiet ? undefined : (line) => console.log(line),
  progressEveryMs: 5000,
  // A load generator keeps enough connections open for its rate.
  maxSockets: Math.min(256, Math.max(32, Math.ceil(args.ratePerMinute / 60))),
});
console.log(
  `sim: ${args.url}, ${args.ratePerMinute}/min for ${args.durationSeconds} s` +
    `${args.workflow ? '' : ', clues only'}${args.teams ? '' : ', no teams'}, seed ${sim.seed}`,
);
try {
  await sim.start();
} catch (err) {
  console.error(`sim: ${(err as Error).message}`);
  await sim.stop();
  process.exit(1);
}
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  console.log('sim: stopping (Ctrl-C again to quit at once)');
  void sim.stop();
});
// Keep the process alive until the run ends (the simulator's own timers do not hold it).
const keepAlive = setInterval(() => undefined, 1000);
await sim.done;
clearInterval(keepAlive);
console.log(formatStats(sim.snapshot(), args.ratePerMinute));
process.exit(0);
