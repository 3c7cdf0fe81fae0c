// `./build.sh demo` on a machine without a display: it runs the whole story and writes a
// screenshot of each step. (The recovery comes sooner here than in the real demo.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BROWSERS, DIST, ROOT } from './harness.js';

for (const name of BROWSERS) {
  test(`the demo without a display in ${name}`, () => {
    const out = join(DIST, 'demo', name);
    rmSync(out, { recursive: true, force: true });
    const env = { ...process.env, DEMO_RECOVERS_AFTER_MS: '3000' };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const run = spawnSync('node', [join(ROOT, 'tools/demo.mjs'), name], { env, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    for (const file of ['1-overlay-on-502.png', '2-recovered-by-itself.png', '3-diagnosis-page-for-a-refused-connection.png']) {
      assert.ok(existsSync(join(out, file)) && statSync(join(out, file)).size > 1000, `${file} written`);
    }
  });
}
