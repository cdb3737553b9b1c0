// Vite plugin: after a production build, writes a gzip (.gz) and a Brotli (.br) copy of every
// text asset of 1 kB or more next to it, compressed once at the highest levels. The server sends
// them as they are (server/http/static.ts) instead of compressing MapLibre's and ECharts' megabyte
// of JavaScript again on every first visit of every screen.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

const TEXT = /\.(js|mjs|css|html|svg|json|map|txt)$/;
const MIN_BYTES = 1024;

export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'gaoping:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async writeBundle(_options, bundle) {
      await Promise.all(
        Object.keys(bundle)
          .filter((name) => TEXT.test(name))
          .map(async (name) => {
            const file = path.join(outDir, name);
            const raw = await fs.promises.readFile(file);
            if (raw.length < MIN_BYTES) return;
            const [gz, br] = await Promise.all([
              gzip(raw, { level: zlib.constants.Z_BEST_COMPRESSION }),
              brotli(raw, {
                params: {
                  [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
                  [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
                },
              }),
            ]);
            // A copy that saves nothing is not written: the server then sends the file itself.
            if (gz.length < raw.length) await writeWhole(`${file}.gz`, gz);
            if (br.length < raw.length) await writeWhole(`${file}.br`, br);
          }),
      );
    },
  };
}

/** Written under another name, then renamed: an interrupted build leaves no truncated copy. */
async function writeWhole(file: string, data: Buffer): Promise<void> {
  await fs.promises.writeFile(`${file}.tmp`, data);
  await fs.promises.rename(`${file}.tmp`, file);
}

function gzip(buf: Buffer, options: zlib.ZlibOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    zlib.gzip(buf, options, (e, out) => (e ? reject(e) : resolve(out))),
  );
}

function brotli(buf: Buffer, options: zlib.BrotliOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    zlib.brotliCompress(buf, options, (e, out) => (e ? reject(e) : resolve(out))),
  );
}
