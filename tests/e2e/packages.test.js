// Least privilege, clean and small packages: the built manifests ask for the core job's permissions only
// (the rest optional, asked for in context); `web-ext lint` finds nothing in the Firefox package;
// Chromium loads the Chrome package with no install warning and no manifest error (read from its
// own extensions page); the core and the zips stay within their size budget.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROWSERS, DIST, ROOT, extensionReady, launch } from './harness.js';
import { BUDGET, sizes } from '../../tools/sizes.mjs';

const manifest = (browser) => JSON.parse(readFileSync(join(DIST, browser, 'manifest.json'), 'utf8'));

describe('packages', () => {
  it('ask for the core job\'s permissions; the rarely needed ones are optional', () => {
    for (const browser of ['chrome', 'firefox']) {
      const m = manifest(browser);
      // webRequest in Firefox alone, where it costs healthy pages nothing measurable and gives a
      // failed page's head at once; in Chromium holding it slows every request (performance notes).
      const own = browser === 'firefox' ? ['alarms', 'storage', 'webNavigation', 'webRequest'] : ['alarms', 'storage', 'webNavigation'];
      assert.deepEqual([...m.permissions].sort(), own, browser);
      assert.deepEqual([...m.optional_permissions].sort(), ['browsingData', 'management', 'notifications'], browser);
      assert.deepEqual(m.host_permissions, ['http://*/*', 'https://*/*'], browser);
      assert.equal(m.externally_connectable, undefined, `${browser}: no web page may message Page Medic`);
    }
  });

  it('stay within the size budget: the core ≤ 50 KB gzipped, each zip ≤ 150 KB', () => {
    // Sizes are exact (unlike timings): a table row or a dependency that outgrows the budget
    // fails here, where it is added, not in a later benchmark run.
    const size = sizes(DIST);
    assert.ok(size.wasmGz <= BUDGET.wasmGz, `core wasm ${size.wasmGz} bytes gzipped, budget ${BUDGET.wasmGz}`);
    for (const [browser, bytes] of Object.entries(size.zips)) {
      assert.ok(bytes <= BUDGET.zip, `${browser} zip ${bytes} bytes, budget ${BUDGET.zip}`);
    }
  });

  // (Each browser's own check only where BROWSERS names it, as in every other file.)
  if (BROWSERS.includes('firefox')) it('web-ext lint: 0 errors, 0 warnings, 0 notices on the Firefox package', () => {
    let out;
    try {
      out = execFileSync(join(ROOT, 'node_modules/.bin/web-ext'), ['lint', '--source-dir', join(DIST, 'firefox'), '--output', 'json', '--no-config-discovery'], { encoding: 'utf8' });
    } catch (error) {
      out = error.stdout; // web-ext exits non-zero when it finds errors
    }
    const report = JSON.parse(out);
    const found = ['errors', 'warnings', 'notices'].flatMap((kind) => report[kind].map((m) => `${kind}: ${m.code} ${m.message} (${m.file})`));
    assert.deepEqual(found, []);
  });

  if (BROWSERS.includes('chromium')) it('Chromium loads the Chrome package without a warning or an error', async () => {
    const browser = await launch('chromium');
    // Chromium's own extensions page reaches Google's update and account services when it opens
    // (the browser's doing, not Page Medic's): allowed here, and only here.
    browser.allowOutside(/google(apis)?\.com/);
    try {
      await extensionReady(browser, 'chromium');
      const page = await browser.newPage();
      await page.goto('chrome://extensions/');
      const info = await page.evaluate(() => new Promise((ok) => chrome.developerPrivate.getExtensionsInfo({ includeDisabled: true }, ok)));
      const medic = info.find((e) => e.name === 'Page Medic');
      assert.ok(medic, 'Page Medic is installed');
      assert.equal(medic.state, 'ENABLED');
      assert.deepEqual(medic.installWarnings, []);
      assert.deepEqual(medic.manifestErrors, []);
    } finally {
      await browser.close();
    }
  });
});
