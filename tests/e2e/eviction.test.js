// The background can be stopped at any moment. The site asks for a wait (Retry-After) and the
// background is stopped in the middle of it: Firefox's event page suspends after 1 s idle
// (extensions.background.idle.timeout); Chromium's service worker is stopped with the Stop button
// of chrome://serviceworker-internals (DevTools is kept off the worker: a worker DevTools is
// attached to does not restart freely). When the countdown in the page ends, the background must
// wake from what it kept in storage.session, check the site and reload.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BROWSERS, openExtensionPage, overlayState, waitForState, waitInPage, openSite, closeSite, sleep, workerInternals,
} from './harness.js';

for (const name of BROWSERS) {
  describe(`an evicted background in ${name}`, () => {
    let upstream, nginx, browser, page, internals;
    // Longer than the schedule's first step (10-30 s): Retry-After decides.
    const waitSeconds = 32;

    before(async () => {
      if (name === 'chromium') {
        // Chromium's internals page first, so that the site's tab is the one in front.
        ({ upstream, nginx, browser } = await openSite(name, { attachWorkers: false, newPage: false }));
        internals = await workerInternals(browser);
        await internals.running();
        await sleep(1000); // the worker's module has registered its listeners
        page = await browser.newPage();
      } else {
        ({ upstream, nginx, browser, page } = await openSite(name, { firefoxPrefs: { 'extensions.background.idle.timeout': 1000 } }));
      }
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

    /** `fn` run in one of Page Medic's own pages (where the extension's storage can be read). */
    async function inExtension(fn) {
      const options = await openExtensionPage(browser, name, 'pages/options.html');
      const result = await options.evaluate(fn);
      await options.close();
      await page.bringToFront();
      return result;
    }

    /** When the background last started (it writes this to storage.session as it starts). */
    async function startedAt() {
      const at = await inExtension(async () => (await (globalThis.browser ?? globalThis.chrome).storage.session.get('startedAt')).startedAt);
      assert.ok(Number.isFinite(at), `the background wrote when it started: ${at}`);
      return at;
    }

    it('retries on time and recovers after the background was stopped mid-backoff', async () => {
      let started = null;
      await page.goto(`${nginx.url}/evict`, { waitUntil: 'domcontentloaded' });
      assert.equal((await overlayState(page)).verdict, 'site-unavailable');
      const waiting = await waitForState(page, 'waiting');
      assert.ok(Number(waiting.nextRetryMs) > (waitSeconds - 2) * 1000, `waits for Retry-After: ${waiting.nextRetryMs} ms`);
      upstream.recover();
      if (name === 'chromium') {
        const before = await internals.status();
        assert.equal(before.status, 'RUNNING');
        assert.ok(await internals.stop(), 'pressed Stop');
        const after = await internals.status();
        assert.notDeepEqual(after, before, `the worker was stopped (${JSON.stringify(before)} -> ${JSON.stringify(after)})`);
      } else {
        started = await startedAt();
        await sleep(3000); // past the 1 s idle timeout: the event page is suspended
      }
      await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The real page', undefined, (waitSeconds + 20) * 1000);
      if (started != null) {
        // The background that woke for the retry is a new one: the old one had been suspended.
        const again = await startedAt();
        assert.ok(again > started, `the event page was suspended and started again (${started} -> ${again})`);
      }
      // The failure is in the local history once: the background that started again wrote no
      // second line of it.
      const incidents = await inExtension(async () => (await (globalThis.browser ?? globalThis.chrome).storage.local.get('incidents')).incidents);
      assert.deepEqual(incidents.filter((i) => i.path === '/evict').map((i) => [i.status, i.verdict]), [[503, 'site-unavailable']]);
    });
  });
}
