// Writes one browser's manifest: the shared base with that browser's patch merged in, then checks
// that every file the manifest names exists in the unpacked extension.
// Usage: node tools/manifest.mjs <chrome|firefox> <extension-src-dir> <out-dir>
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [browser, src, out] = process.argv.slice(2);
if (!['chrome', 'firefox'].includes(browser) || !src || !out) {
  console.error('usage: node tools/manifest.mjs <chrome|firefox> <extension-src-dir> <out-dir>');
  process.exit(2);
}

const read = (name) => JSON.parse(readFileSync(join(src, name), 'utf8'));

/** Objects merge key by key; anything else in the patch replaces the base's value. */
function merge(base, patch) {
  const isObject = (v) => v && typeof v === 'object' && !Array.isArray(v);
  const result = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    result[key] = isObject(value) && isObject(base[key]) ? merge(base[key], value) : value;
  }
  return result;
}

const manifest = merge(read('manifest.base.json'), read(`manifest.${browser}.json`));

const named = [
  manifest.background?.service_worker,
  ...(manifest.background?.scripts ?? []),
  ...Object.values(manifest.icons ?? {}),
  manifest.action?.default_popup,
  manifest.options_ui?.page,
].filter(Boolean);
const missing = named.filter((file) => !existsSync(join(out, file)));
if (missing.length) {
  console.error(`manifest (${browser}) names files that are not in ${out}: ${missing.join(', ')}`);
  process.exit(1);
}
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
