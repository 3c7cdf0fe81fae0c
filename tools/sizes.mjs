// The built packages' sizes, as the benchmarks report them and the package test holds them to.
import { gzipSync } from 'node:zlib';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The size goals (bytes): the core's wasm gzipped, and each browser's zip. */
export const BUDGET = Object.freeze({ wasmGz: 50_000, zip: 150_000 });

/** Sizes in bytes of what `./build.sh` wrote into `dist` (the wasm is the same in both packages). */
export function sizes(dist) {
  const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
  const jsFiles = (dir) => readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.js')).map((f) => join(dir, f));
  const wasm = join(dist, 'chrome/core/page_medic_bg.wasm');
  const glue = join(dist, 'chrome/core/page_medic.js');
  const shell = jsFiles(join(dist, 'chrome')).filter((f) => f !== glue);
  return {
    wasm: statSync(wasm).size, wasmGz: gz(wasm), glue: statSync(glue).size, glueGz: gz(glue),
    shell: shell.reduce((n, f) => n + statSync(f).size, 0),
    zips: Object.fromEntries(['chrome', 'firefox'].map((b) => [b, statSync(join(dist, `page-medic-${b}.zip`)).size])),
  };
}
