// npm run geo:build [-- --cache DIR] — rebuilds geo/gaoping/*.geojson from the source packages,
// then validates the result. Writes only the six layer files; anything else in the folder is kept.
import fs from 'node:fs';
import path from 'node:path';
import { GEO_LAYERS, LAYER_FILES } from '../../shared/geo';
import { checkPackDir, formatProblem } from './check';
import { generatePack, serializeLayer } from './generate';
import { loadCountySource } from './sources';

export const PACK_DIR = path.resolve(import.meta.dirname, '../gaoping');

async function main() {
  const args = process.argv.slice(2);
  const cacheAt = args.indexOf('--cache');
  const outAt = args.indexOf('--out');
  const cacheDir = cacheAt >= 0 ? path.resolve(args[cacheAt + 1]!) : undefined;
  const outDir = outAt >= 0 ? path.resolve(args[outAt + 1]!) : PACK_DIR;

  const t0 = performance.now();
  const source = loadCountySource(cacheDir);
  console.log(
    `sources: ${source.name} outline, ${source.townships.length} townships, ${source.villages.length} villages (${Math.round(performance.now() - t0)} ms)`,
  );
  const t1 = performance.now();
  const pack = generatePack(source);
  console.log(`generated in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

  fs.mkdirSync(outDir, { recursive: true });
  let bytes = 0;
  for (const layer of GEO_LAYERS) {
    const text = serializeLayer(pack[layer]);
    bytes += Buffer.byteLength(text);
    fs.writeFileSync(path.join(outDir, LAYER_FILES[layer]), text);
    console.log(
      `  ${LAYER_FILES[layer].padEnd(24)} ${String(pack[layer].features.length).padStart(6)} features  ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB`,
    );
  }
  console.log(`  total ${(bytes / 1e6).toFixed(2)} MB`);

  console.log('\ncounts per township (first / second / micro / dedicated):');
  for (const t of pack.townships.features) {
    const n = (layer: 'first' | 'second' | 'micro' | 'dedicated') =>
      pack[layer].features.filter((f) => f.properties.townshipCode === t.properties.code).length;
    console.log(
      `  ${t.properties.code} ${t.properties.name.padEnd(5, '　')} ${n('first')} / ${n('second')} / ${n('micro')} / ${n('dedicated')}`,
    );
  }

  const t2 = performance.now();
  const problems = await checkPackDir(outDir);
  for (const p of problems) console.error(formatProblem(p));
  console.log(`\ncheck: ${problems.length} problem(s) (${((performance.now() - t2) / 1000).toFixed(1)} s)`);
  if (problems.length > 0) process.exitCode = 1;
}

await main();
