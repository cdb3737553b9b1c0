// npm run bench — every benchmark, one after the other in its own process (so one's heap and
// timers cannot disturb the next), then a summary of their JSON lines. `npm run bench -- geo intake`
// runs a subset. Each benchmark prints its own table and compares against its baseline in the
// same run; this only collects.
import { spawn } from 'node:child_process';
import path from 'node:path';

const ALL = [
  'geo',
  'intake',
  'realtime',
  'scale',
  'search',
  'handover',
  'returns',
  'deadlines',
  'prune',
  'track',
  'stats',
  'screen',
  'soak',
] as const;
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(ALL as readonly string[]).includes(w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${ALL.join(', ')}`);
  process.exit(2);
}
const names = wanted.length ? wanted : [...ALL];

function run(name: string): Promise<{ code: number; json: Record<string, unknown> | null; seconds: number }> {
  const file = path.join(import.meta.dirname, `${name}.bench.ts`);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    });
    child.on('close', (code) => {
      const line = out
        .trim()
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('{') && l.includes('"bench"'));
      let json: Record<string, unknown> | null = null;
      try {
        json = line ? (JSON.parse(line) as Record<string, unknown>) : null;
      } catch {
        json = null;
      }
      resolve({ code: code ?? 1, json, seconds: (Date.now() - t0) / 1000 });
    });
  });
}

const results: Array<[string, Awaited<ReturnType<typeof run>>]> = [];
for (const [i, name] of names.entries()) {
  console.error(`\n[bench ${i + 1}/${names.length}] ${name} …`);
  results.push([name, await run(name)]);
}
console.log('\nsummary');
for (const [name, r] of results) {
  const status = r.code === 0 ? 'ok' : `exit ${r.code}`;
  console.log(
    `${name.padEnd(9)} ${status.padEnd(7)} ${r.seconds.toFixed(0).padStart(4)} s  ${r.json ? JSON.stringify(r.json) : '(no JSON line)'}`,
  );
}
process.exit(results.some(([, r]) => r.code !== 0) ? 1 : 0);
