// Reproducible packages, as a reviewer of the add-ons site would check them: the source package
// (./build.sh source), unpacked in another folder and built there later, gives zips identical to
// dist's, byte for byte. Run by ./build.sh test after the build (it needs the network for the
// second build's npm packages, so it runs outside the end-to-end suite's namespace).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

test('the source package, built again in another folder, gives the same zips byte for byte', () => {
  for (const zip of ['page-medic-chrome.zip', 'page-medic-firefox.zip']) {
    assert.ok(existsSync(join(ROOT, 'dist', zip)), `dist/${zip} (./build.sh makes it first)`);
  }
  run(join(ROOT, 'build.sh'), ['source'], ROOT);
  const source = join(ROOT, 'dist/page-medic-source.zip');
  const elsewhere = mkdtempSync(join(tmpdir(), 'page-medic-rebuild-'));
  try {
    run('unzip', ['-q', source, '-d', elsewhere]);
    // Only what the reviewer gets: no git history, no build outputs.
    assert.equal(existsSync(join(elsewhere, '.git')), false);
    assert.equal(existsSync(join(elsewhere, 'target')), false);
    assert.ok(existsSync(join(elsewhere, 'SOURCE_DATE_EPOCH')), 'the packages\' time travels with the sources');
    run(join(elsewhere, 'build.sh'), [], elsewhere);
    for (const zip of ['page-medic-chrome.zip', 'page-medic-firefox.zip']) {
      assert.equal(sha256(join(elsewhere, 'dist', zip)), sha256(join(ROOT, 'dist', zip)), `${zip} differs when built from the source package`);
    }
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test('no path of the building machine is in the wasm', () => {
  const wasm = readFileSync(join(ROOT, 'dist/chrome/core/page_medic_bg.wasm')).toString('latin1');
  for (const path of [ROOT, process.env.HOME, '/root/', '/home/', '/tmp/', 'index.crates.io-'].filter(Boolean)) {
    assert.equal(wasm.includes(path), false, `the wasm names ${path}`);
  }
});
