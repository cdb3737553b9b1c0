// `npm run dev`: the server in watch mode on PORT (3000) and Vite's dev server on 5173 with a proxy
// to the API and Socket.IO. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const children = [
  spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'watch', '--clear-screen=false', 'server/cli/run.ts'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  ),
  spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules/vite/bin/vite.js'), '--config', 'client/vite.config.ts'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  ),
];
const stop = () => {
  for (const c of children) c.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children)
  c.on('exit', (code) => {
    if (code) {
      stop();
      process.exitCode = code;
    }
  });
