// Many tabs, one site, in both real browsers: 50 tabs fail on the same site behind a real nginx.
// Page Medic asks the site nothing when the pages fail (their headers are read back from the
// browser's cache), then at most one background check per step of the schedule (it is per site,
// and hidden tabs wait), and when it answers (and a second check confirms it), every one of the
// 50 tabs loads the page again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, closeSite, openExtensionPage, openSite, overlayState, waitInPage, sleep } from './harness.js';

const TABS = 50;

for (const name of BROWSERS) {
  describe(`${TABS} tabs on one site in ${name}`, () => {
    let site;
    before(async () => { site = await openSite(name); });
    after(() => closeSite(site));

    it('checks the site once per step and brings every tab back', async () => {
      const { browser, upstream, nginx } = site;
      let up = false;
      upstream.handler = (req, res) => {
        if (!up) {
          res.writeHead(502, { 'content-type': 'text/html' });
          return res.end('<!doctype html><title>502</title><h1>The shop is down</h1>');
        }
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<!doctype html><title>The shop</title><h1>The real page</h1>');
      };
      const pages = [site.page];
      while (pages.length < TABS) pages.push(await browser.newPage());
      for (const [i, page] of pages.entries()) {
        await page.goto(`${nginx.url}/item/${i}`, { waitUntil: 'domcontentloaded' });
        assert.equal((await overlayState(page)).verdict, 'origin-down', `tab ${i}`);
      }
      // Page Medic's requests: every one not a navigation (nor the browser's favicon requests).
      const checks = () => upstream.requests.filter((r) => r.url.startsWith('/item/') && r.mode !== 'navigate').length;
      assert.equal(checks(), 0, 'nothing asked of the site when its pages failed');
      // The schedule's first step comes 10-30 s after the failure: wait until it was taken, read
      // from Page Medic's own page while the last tab stays in front (a hidden tab's countdown waits).
      const options = await openExtensionPage(browser, name, 'pages/options.html');
      await pages.at(-1).bringToFront();
      const readSchedule = () => options.evaluate(async (key) => {
        const api = globalThis.browser ?? globalThis.chrome;
        return (await api.storage.session.get(key))[key];
      }, `origin:${nginx.url}`);
      const deadline = Date.now() + 45_000;
      let schedule = await readSchedule();
      while (!(schedule?.attempt >= 1) && Date.now() < deadline) {
        await sleep(250);
        schedule = await readSchedule();
      }
      assert.ok(schedule?.attempt >= 1, `the schedule took a step while the site was down (${JSON.stringify(schedule)})`);
      await options.close();
      const checksWhileDown = checks();
      assert.ok(checksWhileDown >= 1 && checksWhileDown <= schedule.attempt + 1,
        `one check per step however many tabs: ${checksWhileDown} checks, ${schedule.attempt} steps`);

      const navigationsBefore = upstream.requests.filter((r) => r.mode === 'navigate').length;
      up = true;
      await pages.at(-1).bringToFront();
      // The schedule's next step comes up to 75 s later (60 s ±25%); the tab in front loads
      // then, and the other tabs once a second check 10 s after confirms the site is back.
      for (const [i, page] of pages.entries()) {
        await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The real page', undefined, 130_000)
          .catch(async (error) => { throw new Error(`tab ${i}: ${error.message}; ${await whyNotBack(browser, name, page, nginx.url)}`); });
      }
      const reloads = upstream.requests.filter((r) => r.mode === 'navigate').length - navigationsBefore;
      assert.equal(reloads, TABS, 'each tab loaded the page once');
      const checksAfter = checks() - checksWhileDown;
      assert.ok(checksAfter <= 2, `the site's return took at most a check or two, not one per tab (${checksAfter})`);
    });
  });
}

/**
 * What a tab that did not come back showed, and what Page Medic kept for it and for its site, so a
 * failure says where the tab stopped (a record left `retrying`, a countdown still waiting, a page
 * not Page Medic's at all).
 */
async function whyNotBack(browser, name, page, origin) {
  const url = page.url();
  const host = await page.evaluate(() => ({ ...document.getElementById('page-medic')?.dataset })).catch((e) => `unreadable: ${e.message}`);
  const options = await openExtensionPage(browser, name, 'pages/options.html').catch(() => null);
  const kept = options ? await options.evaluate(async () => (globalThis.browser ?? globalThis.chrome).storage.session.get(null)).catch((e) => e.message) : 'no options page';
  await options?.close().catch(() => {});
  const mine = typeof kept === 'object'
    ? Object.entries(kept).filter(([key, value]) => value?.url === url || key === `origin:${origin}`)
      .map(([key, { diagnosis, ...rest }]) => [key, { ...rest, verdict: diagnosis?.verdict }])
    : kept;
  return `url ${url}, host ${JSON.stringify(host)}, kept ${JSON.stringify(mine)}`;
}
