// A probe for docs/performance-notes.md (session 31): does a page's Content-Security-Policy stop a
// frame of an extension's web-accessible page that a document_start script in the page's own world
// adds (`"world": "MAIN"`), as it does not stop one added from the extension's world? One
// throwaway extension adds both frames to a 502 page served with documents.test.js's strictest
// policy; each frame's page posts its name to the page. A frame of the site's own, added beside
// them, is the control: the policy must stop it (a `frame-src` violation). Run in a network
// namespace, as the bench:
//   unshare -n sh -c 'ip link set lo up && exec node tools/main-world-frame.mjs'
import http from 'node:http';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { CHROMIUM, FIREFOX, chromiumExtensionId } from '../tests/e2e/harness.js';

const CSP = "default-src 'none'; frame-src 'none'; child-src 'none'; style-src 'none'; script-src 'none'; require-trusted-types-for 'script'";
const FIREFOX_ID = 'main-world-frame@page-medic.invalid';
const FIREFOX_UUID = '6f1d7c3a-0b5e-4e2a-9c41-2a7e5b0f3d19';

/** The probe extension in a new folder, its page-world script naming the frame's full address. */
function probeExtension(name) {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'main-world-frame-')));
  const api = name === 'firefox' ? 'browser' : 'chrome';
  const origin = name === 'firefox'
    ? `moz-extension://${FIREFOX_UUID}`
    : `chrome-extension://${chromiumExtensionId(dir)}`;
  const files = {
    'manifest.json': JSON.stringify({
      manifest_version: 3, name: 'main-world frame probe', version: '1',
      ...(name === 'firefox' ? { browser_specific_settings: { gecko: { id: FIREFOX_ID } } } : {}),
      content_scripts: [
        { matches: ['http://*/*'], js: ['main.js'], run_at: 'document_start', world: 'MAIN' },
        { matches: ['http://*/*'], js: ['isolated.js'], run_at: 'document_start' },
      ],
      web_accessible_resources: [{ resources: ['probe.html', 'probe.js'], matches: ['http://*/*'] }],
    }),
    'probe.html': '<!doctype html><script src="probe.js"></script>',
    'probe.js': "parent.postMessage(`probe ${new URLSearchParams(location.search).get('from')}`, '*');",
    'main.js': `(() => {
      const root = document.documentElement;
      addEventListener('message', (e) => {
        if (String(e.data).startsWith('probe ')) root.dataset.loaded = [root.dataset.loaded, String(e.data).slice(6)].filter(Boolean).join(' ');
      });
      addEventListener('securitypolicyviolation', (e) => {
        root.dataset.violations = [root.dataset.violations, \`\${e.violatedDirective} \${e.blockedURI}\`].filter(Boolean).join(', ');
      });
      const frame = document.createElement('iframe');
      frame.src = '${origin}/probe.html?from=page-world';
      // The control: a frame of the site's own, which the policy must stop (a violation).
      const control = document.createElement('iframe');
      control.src = location.origin + '/control';
      root.append(frame, control);
    })();`,
    'isolated.js': `(() => {
      const frame = document.createElement('iframe');
      frame.src = ${api}.runtime.getURL('probe.html?from=extension-world');
      document.documentElement.append(frame);
    })();`,
  };
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

async function launch(name, dir) {
  if (name === 'chromium') {
    return puppeteer.launch({
      executablePath: CHROMIUM, headless: true, ignoreDefaultArgs: ['--disable-extensions'],
      args: ['--no-sandbox', '--disable-gpu', `--load-extension=${dir}`, `--disable-extensions-except=${dir}`],
    });
  }
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: FIREFOX, headless: true,
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ID]: FIREFOX_UUID }) },
  });
  await browser.installExtension(dir);
  return browser;
}

const server = http.createServer((req, res) => {
  res.writeHead(502, { 'content-type': 'text/html', 'content-security-policy': CSP });
  res.end('<!doctype html><title>Down</title><h1>Down</h1>');
}).listen(0, '127.0.0.1');
await new Promise((ok) => server.once('listening', ok));
try {
  for (const name of ['chromium', 'firefox']) {
    const dir = probeExtension(name);
    const browser = await launch(name, dir);
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${server.address().port}/`, { waitUntil: 'load' });
      // Both frames' words, or 5 s.
      await page.waitForFunction(() => (document.documentElement.dataset.loaded ?? '').split(' ').length === 2, { timeout: 5_000 }).catch(() => {});
      const seen = await page.evaluate(() => ({ ...document.documentElement.dataset }));
      console.log(`${name}: frames that loaded: ${seen.loaded ?? 'none'}; violations: ${seen.violations ?? 'none'}`);
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  server.close();
}
