import fs from 'node:fs';
import path from 'node:path';

/** The version in the repository's package.json (found from this file up: it also runs bundled). */
export const APP_VERSION: string = (() => {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === 'gaoping-command-dispatch') return String(pkg.version);
      } catch {
        return '0.0.0';
      }
    }
    if (path.dirname(dir) === dir) return '0.0.0';
  }
})();
