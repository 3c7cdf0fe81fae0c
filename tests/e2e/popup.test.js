// The toolbar popup over a failed tab, opened the way a click on the toolbar button opens it
// (action.openPopup for the tab's window), shows the tab's diagnosis and the site's recent
// problems; its Retry brings the page back once the site answers. Chromium only, for now: there
// the test reaches the service worker to open the popup, and headless Chromium shows it as a page
// the test can press. In Firefox puppeteer cannot reach the background, opening the popup from a
// page needs a user gesture, and whether WebDriver BiDi shows the popup was not tried.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, buttonByName, closeSite, openSite, overlayState, personClick, waitInPage } from './harness.js';

for (const name of BROWSERS.filter((b) => b === 'chromium')) {
  describe(`the toolbar popup in ${name}`, () => {
    let site;
    before(async () => { site = await openSite(name, { upstreamDown: true }); });
    after(() => closeSite(site));

    it('shows the failed tab\'s diagnosis and its Retry brings the page back', async () => {
      const { browser, page, nginx, upstream } = site;
      await page.goto(`${nginx.url}/cart`, { waitUntil: 'domcontentloaded' });
      assert.equal((await overlayState(page)).verdict, 'origin-down');
      // What a click on Page Medic's toolbar button does.
      const sw = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background/background.js'));
      await (await sw.worker()).evaluate(async () => {
        const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
        await chrome.action.openPopup({ windowId: tab.windowId });
      });
      const popup = await (await browser.waitForTarget((t) => t.url().endsWith('/pages/popup.html'), { timeout: 10_000 })).asPage();
      await popup.waitForFunction(() => document.getElementById('title').textContent.length > 0);
      const text = await popup.evaluate(() => document.body.innerText);
      assert.match(text, /The site's server is not answering/);
      assert.match(text, /\/cart — .*HTTP 502/, 'the site\'s recent problem is listed');
      await upstream.up();
      await personClick(popup, await buttonByName(popup, 'Retry now'));
      await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The real page');
    });
  });
}
