// The browser's Safe Browsing warning stays the browser's. Chromium reports it as
// net::ERR_BLOCKED_BY_CLIENT, the same error as an extension's blocking rule (its navigation
// throttle turns that error into the warning), so a page marked as phishing
// (--mark_as_phishing, Chromium's switch for its local database) must not be taken for an
// extension's block: Page Medic leaves the warning in place, sends nothing to the site, and
// retries nothing — whether or not it may see the other extensions (the optional `management`
// permission). Firefox reports Safe Browsing with codes of its own (NS_ERROR_PHISHING_URI ...),
// which the core's tests hold to "not Page Medic's business"; an extension's block there is
// NS_ERROR_ABORT (extensions.test.js).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, checks, closeSite, extensionReady, launch, openExtensionPage, sleep, startUpstream } from './harness.js';

// (Only where BROWSERS names Chromium, as in every other file.)
for (const granted of BROWSERS.includes('chromium') ? [[], ['management']] : []) {
  describe(`a Safe Browsing warning in chromium (${granted.length ? 'management allowed' : 'no management permission'})`, () => {
    let site;
    let url;
    before(async () => {
      // A site that answers (Chromium checks Safe Browsing while the request is under way).
      const upstream = await startUpstream();
      url = `http://127.0.0.1:${upstream.port}/phish`;
      const browser = await launch('chromium', { granted, chromiumArgs: [`--mark_as_phishing=${url}`] });
      await extensionReady(browser, 'chromium');
      site = { upstream, browser, page: await browser.newPage() };
    });
    after(() => closeSite(site));

    it('is never replaced, covered or retried', async () => {
      const { page, browser, upstream } = site;
      const error = await page.goto(url).then(() => null, (e) => e.message);
      assert.match(error ?? '', /ERR_BLOCKED_BY_CLIENT/, 'Chromium blocked the marked page');
      await sleep(3000);
      const where = await page.evaluate(() => location.href).catch((e) => `(the browser's page: ${e.message})`);
      assert.doesNotMatch(where, /-extension:\/\//, "Page Medic's page did not take the warning's place");
      assert.equal(checks(upstream, '/phish'), 0, "nothing of Page Medic's went to the site");
      await sleep(2000);
      assert.equal(checks(upstream, '/phish'), 0, 'nor later: no retry');
      const options = await openExtensionPage(browser, 'chromium', 'pages/options.html');
      const schedules = await options.evaluate(async () => Object.keys(await chrome.storage.session.get(null)).filter((k) => k.startsWith('origin:')));
      assert.deepEqual(schedules, [], 'no retry schedule for the site');
    });
  });
}
