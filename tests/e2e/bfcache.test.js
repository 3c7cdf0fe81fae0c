// No false alarm on a back/forward cache restore, in both real browsers: a healthy page the
// visitor returns to from the cache (after a failed page) stays untouched, and no tab of it gets
// an overlay or a retry; the failed page, gone forward to again, still gets help, and its retry
// brings the page back once the site answers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, afterCountdown, closeSite, openSite, overlayState, waitForState, waitInPage, sleep } from './harness.js';

for (const name of BROWSERS) {
  describe(`a back/forward cache restore in ${name}`, () => {
    let site;
    before(async () => { site = await openSite(name); });
    after(() => closeSite(site));

    it('leaves a healthy page restored from the cache alone', async () => {
      const { page, upstream, nginx } = site;
      let fixed = false;
      upstream.handler = (req, res) => {
        if (req.url.startsWith('/broken') && fixed) {
          res.writeHead(200, { 'content-type': 'text/html' });
          return res.end('<!doctype html><title>Fixed</title><h1>Fixed</h1>');
        }
        if (req.url.startsWith('/broken')) {
          res.writeHead(502, { 'content-type': 'text/html' });
          return res.end('<!doctype html><title>502</title><h1>Down</h1>');
        }
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<!doctype html><title>Home</title><h1>Home</h1>');
      };
      await page.goto(`${nginx.url}/home`, { waitUntil: 'load' });
      await page.evaluate(() => addEventListener('pageshow', (e) => { globalThis.restored = e.persisted; }));
      await page.goto(`${nginx.url}/broken`, { waitUntil: 'domcontentloaded' });
      assert.equal((await overlayState(page)).verdict, 'origin-down');
      const homeLoads = upstream.requests.filter((r) => r.url === '/home').length;

      // (history.back(), not goBack(): a restore from the cache fires no load event to wait for.)
      // Each look at the restored page is an evaluation tried again if it fails: puppeteer may still
      // hold an execution context of the page left behind for a moment (in CI, one such
      // evaluation failed with 'Execution context was destroyed'). What each one reads says
      // whether the tab went anywhere since.
      const look = () => waitInPage(page, () => ({
        path: location.pathname, heading: document.querySelector('h1')?.textContent, restored: globalThis.restored,
        overlay: Boolean(document.getElementById('page-medic')),
      }));
      await page.evaluate(() => history.back());
      await waitInPage(page, () => location.pathname === '/home' && document.querySelector('h1')?.textContent === 'Home');
      const back = await look();
      assert.deepEqual(back, { path: '/home', heading: 'Home', restored: true, overlay: false }, 'the page came back from the back/forward cache');
      await sleep(2_000);
      assert.deepEqual(await look(), back, 'and stays as it came back: no overlay, nothing reloaded');
      assert.equal(upstream.requests.filter((r) => r.url === '/home').length, homeLoads, 'and nothing was reloaded');

      // Forward again to the failed page (restored from the cache or loaded anew): help again,
      // on top where a person looks.
      await page.evaluate(() => history.forward());
      await waitInPage(page, () => location.pathname === '/broken');
      assert.equal((await overlayState(page)).verdict, 'origin-down');
      await waitInPage(page, () => document.elementFromPoint(innerWidth / 2, innerHeight / 2)?.id === 'page-medic');
      // Its retry still works: once the site answers, the page comes back by itself.
      const waiting = await waitForState(page, 'waiting');
      fixed = true;
      await waitInPage(page, () => document.querySelector('h1')?.textContent === 'Fixed', undefined, afterCountdown(waiting));
    });
  });
}
