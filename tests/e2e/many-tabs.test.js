// Many tabs, one site, in both real browsers: 50 tabs fail on the same site behind a real nginx.
// The site gets one look at each failed address (for the headers its page cannot read) and then
// at most one background check per backoff step (the schedule is per site, and hidden tabs
// wait), and when it answers, every one of the 50 tabs loads the page again.
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
      // Page Medic's requests (not navigations, nor the browser's favicon requests): the first at
      // each address is its look; the schedule's checks go to the address it started with.
      const checks = () => upstream.requests.filter((r) => r.url.startsWith('/item/') && r.mode !== 'navigate').length;
      const split = () => {
        const seen = new Set();
        let steps = 0;
        for (const r of upstream.requests.filter((q) => q.url.startsWith('/item/') && q.mode !== 'navigate')) {
          if (seen.has(r.url)) steps += 1;
          else seen.add(r.url);
        }
        return { looks: seen.size, steps };
      };
      assert.equal(split().looks, TABS, 'one look at each failed address');
      await pages.at(-1).bringToFront();
      // Let the schedule take a few steps while the site is down.
      await sleep(8_000);
      const options = await openExtensionPage(browser, name, 'pages/options.html');
      const schedule = await options.evaluate(async (key) => {
        const api = globalThis.browser ?? globalThis.chrome;
        return (await api.storage.session.get(key))[key];
      }, `origin:${nginx.url}`);
      const checksWhileDown = checks();
      const stepChecks = split().steps;
      assert.ok(schedule, 'one schedule for the site');
      assert.ok(schedule.attempt >= 1, `the schedule took a step while the site was down (${schedule.attempt})`);
      assert.ok(stepChecks >= 1 && stepChecks <= schedule.attempt,
        `one check per step however many tabs: ${stepChecks} checks, ${schedule.attempt} steps`);

      const navigationsBefore = upstream.requests.filter((r) => r.mode === 'navigate').length;
      up = true;
      await pages.at(-1).bringToFront();
      for (const [i, page] of pages.entries()) {
        await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The real page', undefined, 90_000)
          .catch((error) => { throw new Error(`tab ${i}: ${error.message}`); });
      }
      const reloads = upstream.requests.filter((r) => r.mode === 'navigate').length - navigationsBefore;
      assert.equal(reloads, TABS, 'each tab loaded the page once');
      const checksAfter = checks() - checksWhileDown;
      assert.ok(checksAfter <= 2, `the site's return took at most a check or two, not one per tab (${checksAfter})`);
    });
  });
}
