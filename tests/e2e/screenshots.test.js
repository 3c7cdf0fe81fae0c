// Page Medic in the visitor's language, in real browsers, and the README's pictures: the overlay,
// the diagnosis page and the popup, in English (Chromium and Firefox) and Simplified Chinese
// (Chromium started with --lang=zh-CN; Debian's Firefox ESR ships English only).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ARTIFACTS, DIST, ROOT, extensionReady, freePort, launch, openExtensionPage, overlayState, panelFrame, panelText,
  setViewport, startNginx, startUpstream, diagnosisShown, BROWSERS, sleep, waitFor,
} from './harness.js';

const SCREENSHOTS = join(ROOT, 'docs/screenshots');
// The stores' listing material (Chrome Web Store and addons.mozilla.org): screenshots at 1280×800
// and the small promo tile at 440×280, in each language, made here from the built extension.
const STORE = join(DIST, 'store');

/** A PNG's width and height, from its header. */
function pngSize(file) {
  const png = readFileSync(file);
  assert.equal(png.toString('latin1', 1, 4), 'PNG', `${file} is a PNG`);
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

/** The extension's words in a language, from the built package (the listing says what it says). */
function words(lang) {
  const messages = JSON.parse(readFileSync(join(DIST, 'chrome/_locales', lang.replace('-', '_'), 'messages.json'), 'utf8'));
  return { name: messages.extName.message, description: messages.extDescription.message };
}
const RUNS = [
  { name: 'chromium', lang: 'en', title: /The site's server is not answering/, offline: /Could not connect to the site/ },
  { name: 'chromium', lang: 'zh-CN', title: /网站的服务器没有响应/, offline: /无法连接到网站/ },
  { name: 'firefox', lang: 'en', title: /The site's server is not answering/, offline: /Could not connect to the site/ },
].filter((run) => BROWSERS.includes(run.name));

for (const run of RUNS) {
  describe(`${run.name} in ${run.lang}`, () => {
    let upstream, nginx, browser, page;
    // Every run takes the pictures (tests/e2e/artifacts); the README's copies are replaced only
    // when asked (PAGE_MEDIC_SCREENSHOTS=1), so a test run leaves the tree as it found it.
    const shot = async (p, what) => {
      const file = `${what}-${run.lang}-${run.name}.png`;
      await p.screenshot({ path: join(ARTIFACTS, file) });
      if (process.env.PAGE_MEDIC_SCREENSHOTS === '1') {
        mkdirSync(SCREENSHOTS, { recursive: true });
        copyFileSync(join(ARTIFACTS, file), join(SCREENSHOTS, file));
      }
    };

    before(async () => {
      upstream = await startUpstream();
      await upstream.down();
      nginx = await startNginx(upstream.port);
      browser = await launch(run.name, { lang: run.lang === 'en' ? null : run.lang });
      await extensionReady(browser, run.name);
      page = await browser.newPage();
      await setViewport(page, { width: 900, height: 700 });
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
      await diagnosisShown(page);
      assert.match(await page.evaluate(() => document.querySelector('.card').innerText), run.offline);
      await sleep(400);
      await shot(page, 'diagnosis');

      const popup = await openExtensionPage(browser, run.name, 'pages/popup.html');
      await setViewport(popup, { width: 400, height: 300 });
      await waitFor(popup, () => document.getElementById('title').textContent.length > 0);
      await shot(popup, 'popup');
      await popup.close();
    });

    if (run.name !== 'chromium') return; // the listing pictures: once a language
    it('makes the stores\' listing pictures: screenshots at 1280×800 and the small promo tile', async () => {
      const dir = join(STORE, run.lang);
      mkdirSync(dir, { recursive: true });
      await setViewport(page, { width: 1280, height: 800 });
      try {
        await page.goto(`${nginx.url}/checkout`, { waitUntil: 'domcontentloaded' });
        await overlayState(page);
        assert.match(await panelText(await panelFrame(page)), run.title);
        await sleep(400); // the card's entrance
        await page.screenshot({ path: join(dir, 'screenshot-1-overlay.png') });
        await page.goto(`http://127.0.0.1:${await freePort()}/`).catch(() => {});
        await diagnosisShown(page);
        assert.match(await page.evaluate(() => document.querySelector('.card').innerText), run.offline);
        await sleep(400);
        await page.screenshot({ path: join(dir, 'screenshot-2-diagnosis.png') });

        // The small promo tile: the icon, the name and the description, in the package's words.
        const { name, description } = words(run.lang);
        const icon = readFileSync(join(DIST, 'chrome/icons/icon-128.png')).toString('base64');
        await setViewport(page, { width: 440, height: 280 });
        await page.goto('about:blank');
        await page.evaluate((icon, name, description) => {
          document.documentElement.lang = document.documentElement.lang || 'en';
          document.body.style.cssText = 'margin:0;width:440px;height:280px;display:flex;align-items:center;gap:24px;'
            + 'padding:0 32px;box-sizing:border-box;background:#f3f6fb;font-family:sans-serif;color:#17324d';
          const img = document.createElement('img');
          img.src = `data:image/png;base64,${icon}`;
          img.width = img.height = 112;
          const text = document.createElement('div');
          const h = document.createElement('h1');
          h.textContent = name;
          h.style.cssText = 'margin:0 0 10px;font-size:30px';
          const p = document.createElement('p');
          p.textContent = description;
          p.style.cssText = 'margin:0;font-size:15px;line-height:1.4';
          text.append(h, p);
          document.body.append(img, text);
          return img.decode();
        }, icon, name, description);
        await page.screenshot({ path: join(dir, 'promo-small-440x280.png') });
      } finally {
        await setViewport(page, { width: 900, height: 700 });
      }
      assert.deepEqual(pngSize(join(dir, 'screenshot-1-overlay.png')), [1280, 800]);
      assert.deepEqual(pngSize(join(dir, 'screenshot-2-diagnosis.png')), [1280, 800]);
      assert.deepEqual(pngSize(join(dir, 'promo-small-440x280.png')), [440, 280]);
    });
  });
}
