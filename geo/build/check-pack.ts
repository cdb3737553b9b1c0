// npm run geo:check [dir] — validates a county pack (default geo/gaoping); exits 1 on any problem.
import path from 'node:path';
import { checkPackDir, formatProblem } from './check';

const dir = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../gaoping'));
const t0 = performance.now();
const problems = await checkPackDir(dir);
for (const p of problems) console.error(formatProblem(p));
console.log(
  `${dir}: ${problems.length === 0 ? 'OK' : `${problems.length} problem(s)`} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
);
process.exitCode = problems.length === 0 ? 0 : 1;
