import fs from 'node:fs';
import path from 'node:path';

/**
 * The version in the repository's package.json, the first one up from this file (server/ when run
 * from the sources, server/dist/ when bundled).
 */
export const APP_VERSION: string = (() => {
  for (let dir = import.meta.dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file))
      return String((JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown }).version);
  }
  return '0.0.0';
})();
