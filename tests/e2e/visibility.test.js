// Auto-retry only while the visitor can see the tab, in both real browsers: a hidden tab's
// countdown pauses (no check of the site while it is hidden, however long) and goes on when the
// tab is shown again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, closeSite, openSite, overlayState, waitForState, sleep, waitFor, until } from './harness.js';

for (const name of BROWSERS) {
  describe(`a hidden tab in ${name}`, () => {
    let site;
    before(async () => { site = await openSite(name); });
    after(() => closeSite(site));

    it('pauses the countdown while hidden and goes on when shown', async () => {
      const { browser, page, upstream, nginx } = site;
      upstream.handler = (req, res) => {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>502</title><h1>Down</h1>');
      };
      const checks = () => upstream.requests.filter((r) => r.url.startsWith('/hidden') && r.mode !== 'navigate').length;
      await page.goto(`${nginx.url}/hidden`, { waitUntil: 'domcontentloaded' });
      assert.equal((await overlayState(page)).verdict, 'origin-down');
      await waitForState(page, 'waiting');

      // The visitor switches to another tab.
      const other = await browser.newPage();
      await other.bringToFront();
      await waitFor(page, () => document.visibilityState === 'hidden', { timeout: 10_000 });
      await sleep(300);
      const paused = await page.$eval('#page-medic', (el) => ({ ...el.dataset }));
      const before = checks();
      // Longer than the countdown had left: a running countdown would have checked.
      await sleep(Number(paused.nextRetryMs) + 2_000);
      assert.equal(checks(), before, 'no check of the site while the tab is hidden');
      const still = await page.$eval('#page-medic', (el) => ({ ...el.dataset }));
      assert.equal(still.state, 'waiting');
      assert.equal(still.nextRetryMs, paused.nextRetryMs, 'the countdown stands still');

      // Back to the tab: the countdown goes on and the site is checked.
      await page.bringToFront();
      await waitFor(page, () => document.visibilityState === 'visible', { timeout: 10_000 });
      await until(() => checks() > before, 'the site is checked once the tab is visible again', { timeout: Number(paused.nextRetryMs ?? 0) + 10_000 });
      await other.close();
    });
  });
}
