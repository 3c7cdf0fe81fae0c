// Page Medic in the visitor's language, in real browsers, and the README's pictures: the overlay,
// the diagnosis page and the popup, in English (Chromium and Firefox) and Simplified Chinese
// (Chromium started with --lang=zh-CN; Debian's Firefox ESR ships English only).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ARTIFACTS, ROOT, extensionReady, freePort, launch, openExtensionPage, overlayState, panelFrame, panelText,
  startNginx, startUpstream, waitInPage, BROWSERS, sleep,
} from './harness.js';

const SCREENSHOTS = join(ROOT, 'docs/screenshots');
const RUNS = [
  { name: 'chromium', lang: 'en', title: /The site's server is not answering/, offline: /Could not connect to the site/ },
  { name: 'chromium', lang: 'zh-CN', title: /网站的服务器没有响应/, offline: /无法连接到网站/ },
  { name: 'firefox', lang: 'en', title: /The site's server is not answering/, offline: /Could not connect to the site/ },
].filter((run) => BROWSERS.includes(run.name));

for (const run of RUNS) {
  describe(`${run.name} in ${run.lang}`, () => {
    let upstream, nginx, browser, page;
    const shot = async (p, what) => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const file = `${what}-${run.lang}-${run.name}.png`;
      await p.screenshot({ path: join(ARTIFACTS, file) });
      copyFileSync(join(ARTIFACTS, file), join(SCREENSHOTS, file));
    };

    before(async () => {
      upstream = await startUpstream();
      await upstream.down();
      nginx = await startNginx(upstream.port);
      browser = await launch(run.name, { lang: run.lang === 'en' ? null : run.lang });
      await extensionReady(browser, run.name);
      page = await browser.newPage();
      await page.setViewport({ width: 900, height: 700 });
    });

    after(async () => {
      await browser?.close();
      await nginx?.stop();
      await upstream?.stop();
    });

    it('speaks the visitor\'s language on the overlay, the diagnosis page and the popup', async () => {
      await page.goto(`${nginx.url}/checkout`, { waitUntil: 'domcontentloaded' });
      await overlayState(page);
      const panel = await panelFrame(page);
      assert.match(await panelText(panel), run.title);
      await sleep(400); // the card's 160 ms entrance
      await shot(page, 'overlay');

      await page.goto(`http://127.0.0.1:${await freePort()}/`).catch(() => {});
      await waitInPage(page, () => Boolean(document.getElementById('page-medic')?.dataset.verdict) && !document.querySelector('.card').hidden);
      assert.match(await page.evaluate(() => document.querySelector('.card').innerText), run.offline);
      await sleep(400);
      await shot(page, 'diagnosis');

      const popup = await openExtensionPage(browser, run.name, 'pages/popup.html');
      await popup.setViewport({ width: 400, height: 300 });
      await popup.waitForFunction(() => document.getElementById('title').textContent.length > 0);
      await shot(popup, 'popup');
      await popup.close();
    });
  });
}
