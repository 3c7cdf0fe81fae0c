// The background can be stopped at any moment. The site asks for a wait (Retry-After) and
// Firefox's event page is suspended in the middle of it (after 1 s idle, through
// extensions.background.idle.timeout). When the countdown in the page ends, the background must
// wake from what it kept in storage.session, check the site and reload.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BROWSERS, overlayState, waitForState, waitInPage, openSite, closeSite,
} from './harness.js';

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// Firefox only, for now: in Chromium, a service worker that DevTools stops (ServiceWorker.stopWorker)
// does not start again while puppeteer is connected (it stays "starting": DevTools holds new
// workers for the debugger), so the test cannot tell Page Medic's recovery from that hold.
for (const name of BROWSERS.filter((b) => b === 'firefox')) {
  describe(`an evicted background in ${name}`, () => {
    let upstream, nginx, browser, page;
    const waitSeconds = 6;

    before(async () => {
      ({ upstream, nginx, browser, page } = await openSite(name, { firefoxPrefs: { 'extensions.background.idle.timeout': 1000 } }));
      let down = true;
      upstream.handler = (req, res) => {
        if (down) {
          res.writeHead(503, { 'content-type': 'text/html', 'retry-after': String(waitSeconds) });
          return res.end('<!doctype html><title>Busy</title><h1>Busy</h1>');
        }
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<!doctype html><title>Back</title><h1>The real page</h1>');
      };
      upstream.recover = () => { down = false; };
    });
    after(() => closeSite({ upstream, nginx, browser }));

    it('retries on time and recovers after the background was stopped mid-backoff', async () => {
      await page.goto(`${nginx.url}/evict`, { waitUntil: 'domcontentloaded' });
      assert.equal((await overlayState(page)).verdict, 'site-unavailable');
      const waiting = await waitForState(page, 'waiting');
      assert.ok(Number(waiting.nextRetryMs) > (waitSeconds - 2) * 1000, `waits for Retry-After: ${waiting.nextRetryMs} ms`);
      upstream.recover();
      await sleep(3000); // past the 1 s idle timeout: the event page is suspended
      await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The real page', undefined, (waitSeconds + 20) * 1000);
    });
  });
}
