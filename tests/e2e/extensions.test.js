// Another extension blocks the page (a real declarativeNetRequest rule in a test extension, the
// way an ad blocker does): Page Medic says an extension blocked it, in both browsers, and lists
// the extensions that can change the site, from which the visitor pauses the blocker and gets
// the page, then turns it back on (Chromium); Firefox lets extensions turn off only themes, so
// there Page Medic names the blocker and the visitor turns it off in the Add-ons Manager.
// Chromium reports the block as the same error as its Safe Browsing and HTTPS-First Mode warnings
// (safe-browsing.test.js), so its own blocked page stays and the toolbar popup says and offers
// the rest; Firefox names its warnings apart, so there Page Medic's page takes the block page's
// place.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  BROWSERS, ROOT, buttonByName, diagnosisShown, findPage, keptThisSession, openExtensionPage, openPopup, personClick, sleep, toolbarButton, waitInPage,
  openSite, closeSite, waitFor, until,
} from './harness.js';

const BLOCKER = join(ROOT, 'tests/e2e/fixtures/blocker');

/** The failure Page Medic keeps for the toolbar popup of a tab whose address holds `part`, once kept. */
async function waitForKept(browser, part) {
  const from = await openExtensionPage(browser, 'chromium', 'pages/options.html');
  try {
    return await until(async () => (await keptThisSession(browser, 'chromium', { from })).failures.find((f) => f.url.includes(part) && f.verdict),
      `Page Medic kept a diagnosis for ${part}`, { timeout: 15_000, every: 200 });
  } finally {
    await from.close();
  }
}

for (const name of BROWSERS) {
  describe(`another extension in ${name}`, () => {
    let upstream, browser, page;

    before(async () => ({ upstream, browser, page } = await openSite(name, { nginx: false, extraExtensions: [BLOCKER], granted: ['management'] })));
    after(() => closeSite({ upstream, browser }));

    it('says an extension blocked the page and helps pause it', async () => {
      const url = `http://127.0.0.1:${upstream.port}/blocked-by-test/page`;
      let list;
      if (name === 'chromium') {
        const failed = await page.goto(url).then(() => 'loaded', (e) => e.message);
        assert.match(failed, /ERR_BLOCKED_BY_CLIENT/, 'the test blocker blocked the page');
        // Page Medic has diagnosed it (kept for the popup), and its browser's page stays.
        const failure = await waitForKept(browser, '/blocked-by-test/');
        assert.equal(failure.verdict, 'blocked-by-extension');
        assert.equal(failure.retryAuto, false, 'waiting would not help: no automatic retry');
        await sleep(1000); // (Page Medic's page would have come at once)
        const where = await page.evaluate(() => location.href).catch((e) => `(the browser's page: ${e.message})`);
        assert.doesNotMatch(where, /-extension:\/\//, "Page Medic's page did not take the browser's page's place");
        assert.equal((await toolbarButton(browser, name, url)).badge, '?', "Page Medic's button says its popup explains it");

        await page.bringToFront();
        const popup = await openPopup(browser, '/blocked-by-test/');
        const text = await popup.evaluate(() => document.body.innerText);
        assert.match(text, /An extension blocked this page/);
        assert.match(text, /It may also be the browser's own block: a Safe Browsing warning/);
        await personClick(popup, await buttonByName(popup, 'Show extensions that can change this site'));
        list = await findPage(browser, '/pages/extensions.html');
      } else {
        await page.goto(url).catch(() => {}); // the browser's blocked page is replaced
        const host = await diagnosisShown(page, 'blocked-by-extension');
        assert.equal(host.side, 'browser');
        assert.equal(host.state, 'stopped', 'waiting would not help: no automatic retry');
        const text = await page.evaluate(() => document.querySelector('.card').innerText);
        assert.match(text, /An extension blocked this page/);
        assert.match(text, /Another extension in this browser may be interfering/);
        await personClick(page, await buttonByName(page, 'Show extensions that can change this site'));
        list = await findPage(browser, '/pages/extensions.html');
      }
      // (Chromium's profile starts with `management` allowed, as the visitor's earlier "Allow" in
      // its native dialog leaves it; Firefox grants it without asking under the test's pref.)
      await personClick(list, await buttonByName(list, 'Show them'));
      await waitFor(list, () => document.getElementById('list').innerText.includes('Test blocker'), { timeout: 10_000 });
      assert.match(await list.evaluate(() => document.getElementById('list').innerText), /Test blocker \(can set this browser's proxy\)/);
      assert.doesNotMatch(await list.evaluate(() => document.getElementById('list').innerText), /Page Medic/, 'Page Medic does not list itself');
      if (name === 'chromium') {
        await personClick(list, await buttonByName(list, 'Turn off and retry'));
        await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The real page', undefined, 15_000);
        const blocker = async () => (await list.evaluate(() => chrome.management.getAll())).find((e) => e.name === 'Test blocker');
        assert.equal((await blocker()).enabled, false);
        await personClick(list, await buttonByName(list, 'Turn back on'));
        await waitFor(list, () => document.body.innerText.includes('Turned back on'), { timeout: 10_000 });
        assert.equal((await blocker()).enabled, true, 'the visitor turned it back on');
        return;
      }
      assert.match(await list.evaluate(() => document.body.innerText), /Add-ons and themes/);
      await browser.uninstallExtension('test-blocker@page-medic.org'); // as the visitor would, in the Add-ons Manager
      await personClick(list, await buttonByName(list, 'Retry the page'));
      await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The real page', undefined, 15_000);
    });
  });
}
