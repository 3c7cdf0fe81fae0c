// Privacy, in both real browsers. Every browser in this suite sends whatever is not for 127.0.0.1
// to a recording proxy and fails when closed if anything went there (tests/e2e/harness.js): so no
// test of the suite saw Page Medic make a request anywhere but the site under test. Here: the
// saved copy is the one exception, and only on the visitor's click (and without the query); the
// stored history keeps no query string, cookie or header, and options clears it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BROWSERS, buttonByName, closeSite, findPage, openExtensionPage, openSite, overlayState, panelFrame, personClick, waitFor, until,
} from './harness.js';

for (const name of BROWSERS) {
  describe(`privacy in ${name}`, () => {
    let site;

    before(async () => { site = await openSite(name, { upstreamDown: true }); });
    after(() => closeSite(site));

    it('sends nothing anywhere until the saved copy is clicked, and keeps no query, cookie or header', async () => {
      const { browser, page, nginx } = site;
      // Loaded completely (its panel's frame too) before the next navigation: one begun while a
      // page's load event is still to come hung Firefox's browsingContext.navigate for 180 s, twice
      // in side-by-side runs.
      await page.goto(`${nginx.url}/`, { waitUntil: 'load' });
      await page.evaluate(() => { document.cookie = 'session=cookie-secret; max-age=600; path=/'; });
      await page.goto(`${nginx.url}/account?token=query-secret#fragment`, { waitUntil: 'domcontentloaded' });
      assert.equal((await overlayState(page)).verdict, 'origin-down');
      const panel = await panelFrame(page);
      await personClick(page, await buttonByName(panel, 'Copy report'));
      await waitFor(panel, () => document.getElementById('report').value.includes('/account'), { timeout: 10_000 });
      assert.doesNotMatch(await panel.evaluate(() => document.getElementById('report').value), /query-secret|cookie-secret/);
      assert.deepEqual(browser.outside(), [], 'nothing left 127.0.0.1 before the visitor asked for the saved copy');

      // What Page Medic keeps (storage.local, storage.sync): no query string, cookie or header.
      const options = await openExtensionPage(browser, name, 'pages/options.html');
      const stored = () => options.evaluate(async () => {
        const api = globalThis.browser ?? globalThis.chrome;
        return JSON.stringify([await api.storage.local.get(null), await api.storage.sync.get(null)]);
      });
      const kept = await stored();
      assert.match(kept, /"path":"\/account"/, 'the incident is in the history');
      assert.doesNotMatch(kept, /query-secret|cookie-secret|fragment|x-request-id/i);
      await personClick(options, await buttonByName(options, 'Clear history'));
      await waitFor(options, () => /\b0\b/.test(document.getElementById('history-count').textContent), { timeout: 5_000 });
      assert.doesNotMatch(await stored(), /incidents/, 'options cleared the history');

      // The saved copy: the archive is asked only now, for the address without its query.
      browser.allowOutside(/web\.archive\.org/);
      await page.bringToFront();
      const link = await panel.locator('::-p-aria([name="Open a saved copy"][role="link"])').setTimeout(5_000).waitHandle();
      // The address the click opens (over HTTPS: the proxy that records sees only its host).
      assert.equal(await link.evaluate((a) => a.href), `https://web.archive.org/web/2/${nginx.url}/account`, 'without its query');
      await personClick(page, link);
      const archive = await findPage(browser, 'web.archive.org', 15_000).catch(() => null);
      await until(() => browser.outside().length > 0, 'the click reached for the archive', { timeout: 15_000 });
      assert.ok(browser.outside().every((r) => /web\.archive\.org/.test(r)), `only the archive: ${browser.outside().join(', ')}`);
      for (const u of browser.outside()) assert.doesNotMatch(u, /query-secret|fragment/, 'the archive never gets the query');
      await archive?.close().catch(() => {});
    });
  });
}
