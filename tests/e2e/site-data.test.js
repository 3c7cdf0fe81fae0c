// "Is it just me?" and clearing this site's data, in both real browsers, on a real nginx that
// refuses a request whose cookies are too large (its genuine 400 "Request Header Or Cookie Too
// Large"): Page Medic says it is this browser's data, the clean check confirms it, and clearing
// this site's cookies (after the warning) brings the page back; other sites' cookies stay.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BROWSERS, buttonByName, findPage, overlayState, panelFrame, panelText, personClick, startNginx, waitInPage, openSite,
  closeSite, waitFor,
} from './harness.js';

for (const name of BROWSERS) {
  describe(`this site's data in ${name}`, () => {
    let upstream, nginx, other, browser, page;

    before(async () => {
      ({ upstream, nginx, browser, page } = await openSite(name));
      other = await startNginx(upstream.port); // another site (another origin) with its own cookie
    });
    after(async () => {
      await other?.stop();
      await closeSite({ upstream, nginx, browser });
    });

    it('finds that only this browser\'s cookies break the site, and clears them for this site only', async () => {
      // Another site keeps a cookie of its own (Firefox keys cookies by host, so use another host).
      const otherUrl = other.url.replace('127.0.0.1', 'localhost');
      await page.goto(`${otherUrl}/keep`, { waitUntil: 'load' });
      await page.evaluate(() => { document.cookie = 'keep=me; max-age=3600; path=/'; });

      await page.goto(`${nginx.url}/account`, { waitUntil: 'load' });
      // Cookies larger than nginx's header buffers: every later request is refused with 400.
      await page.evaluate(() => {
        for (let i = 0; i < 4; i += 1) document.cookie = `big${i}=${'x'.repeat(3500)}; max-age=3600; path=/`;
      });
      const response = await page.goto(`${nginx.url}/account`, { waitUntil: 'domcontentloaded' });
      assert.equal(response.status(), 400);
      const state = await overlayState(page);
      assert.equal(state.verdict, 'stale-site-data');
      assert.equal(state.side, 'browser');

      const panel = await panelFrame(page);
      assert.match(await panelText(panel), /stored data is in the way/);
      await personClick(page, await buttonByName(panel, 'Is it just me?'));
      await waitFor(panel, () => /the page loads/.test(document.getElementById('just-me-result').textContent), { timeout: 15_000 });
      // It loads elsewhere: what the core opens next is this browser's side, its data for the site
      // and the extensions that can change it (hidden before: this verdict does not offer them).
      assert.deepEqual(await panel.evaluate(() => ['clear', 'extensions'].map((id) => document.getElementById(id).checkVisibility())), [true, true]);
      assert.equal(await panel.evaluate(() => document.querySelectorAll('#extensions-actions button').length), 1);

      await personClick(page, await buttonByName(panel, 'Clear cookies and site data…'));
      const confirm = await buttonByName(panel, 'Clear and sign me out of 127.0.0.1');
      assert.match(await panelText(panel), /signs you out of 127\.0\.0\.1/);
      await personClick(page, confirm);
      if (name === 'firefox') {
        // Firefox gives the panel no permissions API: Page Medic asks in a window of its own.
        const grant = await findPage(browser, '/pages/grant.html');
        await personClick(grant, await buttonByName(grant, 'Allow and clear'));
      }

      await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The real page', undefined, 20_000)
        .catch(async (error) => {
          const said = await panel.evaluate(() => document.getElementById('clear-result').textContent).catch((e) => e.message);
          throw new Error(`${error.message}; the panel said: ${said}; cookies: ${await page.evaluate(() => document.cookie.length).catch(() => '?')}`);
        });
      assert.equal(await page.evaluate(() => document.cookie), '', "this site's cookies are gone");
      await page.goto(`${otherUrl}/keep`, { waitUntil: 'load' });
      assert.equal(await page.evaluate(() => document.cookie), 'keep=me', "another site's cookie is untouched");
    });
  });
}
