// ./build.sh demo [chromium|firefox]: a local site behind a real nginx that fails with 502 and
// recovers a little later, opened in a browser with the built extension. With a display the
// browser window stays open (Ctrl+C ends the demo); without one, each step is a screenshot in
// dist/demo/<browser>/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, extensionReady, freePort, launch, startNginx, startUpstream, waitInPage } from '../tests/e2e/harness.js';

const name = process.argv[2] ?? 'chromium';
const RECOVERS_AFTER_MS = Number(process.env.DEMO_RECOVERS_AFTER_MS ?? 15_000);
const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const out = join(DIST, 'demo', name);
mkdirSync(out, { recursive: true });
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

const upstream = await startUpstream();
await upstream.down();
const nginx = await startNginx(upstream.port);
const browser = await launch(name, { headless });
await extensionReady(browser, name);
const page = await browser.newPage();
const url = `${nginx.url}/shop`;
console.log(`Page Medic demo in ${name}: ${url} answers 502 (nginx, upstream down) for ${RECOVERS_AFTER_MS / 1000} s, then recovers.`);
setTimeout(() => upstream.up().then(() => console.log('The site is back: watch the tab reload by itself.')), RECOVERS_AFTER_MS);
await page.goto(url, { waitUntil: 'domcontentloaded' });

if (!headless) {
  console.log('The browser window is yours: press Ctrl+C here to end the demo.');
  const stop = async () => {
    await browser.close().catch(() => {});
    await nginx.stop();
    await upstream.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  browser.on('disconnected', stop);
} else {
  const shots = [];
  const shot = async (file) => {
    await page.screenshot({ path: join(out, file) });
    shots.push(join(out, file));
  };
  await page.waitForSelector('#page-medic[data-state="waiting"]', { timeout: 15_000 });
  await sleep(500);
  await shot('1-overlay-on-502.png');
  await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The real page', undefined, RECOVERS_AFTER_MS + 60_000);
  await shot('2-recovered-by-itself.png');
  await page.goto(`http://127.0.0.1:${await freePort()}/`).catch(() => {});
  await waitInPage(page, () => Boolean(document.getElementById('page-medic')?.dataset.verdict));
  await sleep(500);
  await shot('3-diagnosis-page-for-a-refused-connection.png');
  console.log(`No display: the steps are screenshots:\n  ${shots.join('\n  ')}`);
  await browser.close();
  await nginx.stop();
  await upstream.stop();
  process.exit(0);
}
