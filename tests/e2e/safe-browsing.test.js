// The browser's Safe Browsing warning stays the browser's. Chromium reports it as
// net::ERR_BLOCKED_BY_CLIENT, the same error as an extension's blocking rule (its navigation
// throttle turns that error into the warning), so a page marked as phishing
// (--mark_as_phishing, Chromium's switch for its local database) must not be taken for an
// extension's block: Page Medic leaves the warning in place, sends nothing to the site, and
// retries nothing — whether or not it may see the other extensions (the optional `management`
// permission), and when another extension could have blocked the page. Firefox reports each of its lists with a code of its own (NS_ERROR_PHISHING_URI ...;
// an extension's block there is NS_ERROR_ABORT, extensions.test.js): its built-in test entries
// (itisatrap.org/firefox/..., one for each list), with that name resolved to 127.0.0.1, show
// each warning, and each stays the browser's.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  BROWSERS, ROOT, checks, closeSite, extensionReady, keptThisSession, launch, sleep, startUpstream, waitInPage,
} from './harness.js';

// Chromium: without the `management` permission; with it and no other extension; with it and an
// extension that could block the site (the test blocker, a declarativeNetRequest extension as an
// ad blocker is), which makes the same error an extension's block could be: the warning stays.
const CHROMIUM_CASES = [
  ['no management permission', [], []],
  ['management allowed', ['management'], []],
  ['management allowed, an extension that could block the site', ['management'], [join(ROOT, 'tests/e2e/fixtures/blocker')]],
];
// (Only where BROWSERS names Chromium, as in every other file.)
for (const [label, granted, extraExtensions] of BROWSERS.includes('chromium') ? CHROMIUM_CASES : []) {
  describe(`a Safe Browsing warning in chromium (${label})`, () => {
    let site;
    let url;
    before(async () => {
      // A site that answers (Chromium checks Safe Browsing while the request is under way).
      const upstream = await startUpstream();
      url = `http://127.0.0.1:${upstream.port}/phish`;
      const browser = await launch('chromium', { granted, extraExtensions, chromiumArgs: [`--mark_as_phishing=${url}`] });
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
      const { schedules } = await keptThisSession(browser, 'chromium');
      assert.deepEqual(schedules, [], 'no retry schedule for the site');
    });
  });
}

// Firefox's built-in test entries, one for each of its lists: the error the load ends with, and
// the warning it shows (the "blocked" list, once for plugins, shows none: the tab keeps its page).
const FIREFOX_LISTS = [
  ['its-a-trap.html', 'NS_ERROR_PHISHING_URI', 'about:blocked?e=deceptiveBlocked'],
  ['its-an-attack.html', 'NS_ERROR_MALWARE_URI', 'about:blocked?e=malwareBlocked'],
  ['unwanted.html', 'NS_ERROR_UNWANTED_URI', 'about:blocked?e=unwantedBlocked'],
  ['harmful.html', 'NS_ERROR_HARMFUL_URI', 'about:blocked?e=harmfulBlocked'],
  ['blocked.html', 'NS_ERROR_BLOCKED_URI', null],
];

if (BROWSERS.includes('firefox')) {
  describe('Safe Browsing warnings in firefox', () => {
    let site;
    before(async () => {
      const upstream = await startUpstream();
      const browser = await launch('firefox', {
        firefoxPrefs: {
          'browser.safebrowsing.malware.enabled': true,
          'browser.safebrowsing.phishing.enabled': true,
          'browser.safebrowsing.blockedURIs.enabled': true,
          // The test entries are built in: no list is fetched, no address is sent anywhere.
          'browser.safebrowsing.provider.google4.updateURL': '',
          'browser.safebrowsing.provider.google4.gethashURL': '',
          'browser.safebrowsing.provider.mozilla.updateURL': '',
          'browser.safebrowsing.provider.mozilla.gethashURL': '',
          'network.dns.localDomains': 'itisatrap.org',
          'network.proxy.no_proxies_on': 'itisatrap.org',
        },
      });
      await extensionReady(browser, 'firefox');
      site = { upstream, browser, page: await browser.newPage() };
    });
    after(() => closeSite(site));

    for (const [file, error, shown] of FIREFOX_LISTS) {
      it(`${file}: the warning for ${error} is never replaced, covered or retried`, async () => {
        const { page, browser, upstream } = site;
        const url = `http://itisatrap.org:${upstream.port}/firefox/${file}`;
        const before = await page.evaluate(() => document.documentURI);
        // The precondition: Firefox's list stops the load, and its warning is shown.
        const failed = await page.goto(url).then(() => 'loaded', (e) => e.message);
        assert.match(failed, new RegExp(error), 'the list stopped the load');
        const expected = shown ?? before;
        await waitInPage(page, (s) => document.documentURI.startsWith(s), expected);
        await sleep(3000);
        assert.ok((await page.evaluate(() => document.documentURI)).startsWith(expected),
          "the browser's page is still there: Page Medic's page did not take its place");
        assert.equal(await page.evaluate(() => document.querySelectorAll('[data-state], iframe').length), 0, 'no cover over it');
        // Firefox's own request may reach the site before its list answers; nothing of Page
        // Medic's does (over plain HTTP to a name, Firefox sends no sec-fetch-mode, so its
        // navigation is told by asking for a document).
        const ours = upstream.requests.filter((r) => r.url.endsWith(file) && !/^text\/html/.test(r.accept ?? ''));
        assert.deepEqual(ours, [], 'nothing of Page Medic\'s went to the site');
        const { failures, schedules } = await keptThisSession(browser, 'firefox');
        assert.deepEqual(failures.filter((f) => f.url.includes('itisatrap')), [], 'not taken for a failure of the site');
        assert.deepEqual(schedules.filter((o) => o.includes('itisatrap')), [], 'no retry schedule for the site');
      });
    }
  });
}
