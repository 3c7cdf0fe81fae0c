// "Tell me when it's back", in both real browsers: the visitor asks on nginx's 502, allows
// notifications in the click, and closes the tab. Page Medic keeps checking the site with alarms
// (one check per backoff step, never a navigation) and shows a notification once the upstream is
// back; the notification's click opens the page again. A site that answers one check and fails
// before the next, which would confirm it, sends no notification.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BROWSERS, buttonByName, checks, closeSite, findPage, navigations, openExtensionPage, openSite, overlayState,
  flapping, newTab, panelFrame, personClick, startNginx, waitInPage, sleep, waitFor, until,
} from './harness.js';

for (const name of BROWSERS) {
  describe(`tell me when it's back in ${name}`, () => {
    let site;

    before(async () => { site = await openSite(name, { upstreamDown: true, granted: ['notifications'] }); });
    after(() => closeSite(site));

    it('keeps checking after the tab is closed and notifies when the site answers', async () => {
      const { upstream, nginx, browser, page } = site;
      const url = `${nginx.url}/watched?from=mail`;
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      assert.equal((await overlayState(page)).verdict, 'origin-down');
      const panel = await panelFrame(page);
      await personClick(page, await buttonByName(panel, "Tell me when it's back"));
      if (name === 'firefox') {
        // Firefox gives the panel no permissions API: Page Medic asks in a window of its own.
        const grant = await findPage(browser, '/pages/grant.html');
        await personClick(grant, await buttonByName(grant, 'Allow notifications'));
        // It closes itself once allowed; only then is the visitor back in the main window.
        // (Firefox's WebDriver BiDi leaves the Page of a window that closed itself open; its
        // browsing context is gone.)
        const gone = () => grant.isClosed() || grant.evaluate(() => false).catch((e) => /no such frame|closed|detached/i.test(e.message));
        await until(gone, 'the window that asked closed itself once allowed', { timeout: 5_000 });
        await page.bringToFront();
      } else {
        await waitFor(panel, () => /keeps checking 127\.0\.0\.1/.test(document.getElementById('notify-result').textContent), { timeout: 10_000 });
      }

      // The visitor leaves.
      const watchId = `watch:${nginx.url}`;
      const { options, notified } = await hearNotifications(browser, name, watchId);
      await page.close();
      await sleep(3_000);
      assert.equal(await notified(), false, 'no notification while the site is down');

      await upstream.up();
      // The site is checked at the schedule's steps: 10-30 s after the failure, then 45-75 s later
      // (a slow run can reach the first step before the site is back), and a second check confirms
      // an answer 10 s after it.
      const deadline = Date.now() + 130_000;
      while (!(await notified())) {
        if (Date.now() > deadline) throw new Error(`no notification 130 s after the site came back; checks: ${JSON.stringify(upstream.requests)}`);
        await sleep(250);
      }
      assert.equal(navigations(upstream, '/watched'), 0, 'Page Medic checked in the background; it loaded no tab');
      assert.equal(checks(upstream, '/watched?from=mail'), 2, 'two checks reached the site once it was back: its answer, and one confirming it');

      if (name === 'chromium') {
        // A system notification cannot be clicked from a test: its click event is dispatched to the
        // background's own listener instead, which opens the page.
        const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background/background.js'));
        await (await target.worker()).evaluate((id) => chrome.notifications.onClicked.dispatch(id), watchId);
        const opened = await findPage(browser, '/watched?from=mail', 15_000);
        await waitInPage(opened, () => document.querySelector('h1')?.textContent === 'The real page');
        assert.equal(watchId in await options.evaluate(() => chrome.notifications.getAll()), false, 'the notification is gone once clicked');
      }
      await options.close();
    });

    it('a site that answers once and fails again sends no "it\'s back"', async () => {
      const { upstream, browser } = site;
      // A site of its own (another origin: the watch above is its own site's). It answers exactly
      // one of Page Medic's checks, and fails before the check that would confirm it.
      const nginx = await startNginx(upstream.port);
      const flap = flapping('/flapping');
      upstream.handler = flap.handler;
      const page = await newTab(browser);
      try {
        await page.goto(`${nginx.url}/flapping`, { waitUntil: 'domcontentloaded' });
        assert.equal((await overlayState(page)).verdict, 'origin-down');
        const panel = await panelFrame(page);
        await personClick(page, await buttonByName(panel, "Tell me when it's back"));
        await waitFor(panel, () => /keeps checking 127\.0\.0\.1/.test(document.getElementById('notify-result').textContent), { timeout: 10_000 });
        const { options, notified } = await hearNotifications(browser, name, `watch:${nginx.url}`);
        await page.close();
        // The check that found it answering, then the one that would have confirmed it.
        await until(() => checks(upstream, '/flapping') >= 2, 'a check found the site answering, and a second came to confirm it', { timeout: 90_000, every: 250 });
        assert.ok(flap.answered(), 'one check found the site answering');
        assert.equal(checks(upstream, '/flapping'), 2, 'and a second came to confirm it');
        await sleep(2_000);
        assert.equal(await notified(), false, 'the site failed again: no "it\'s back"');
        assert.equal(navigations(upstream, '/flapping'), 1, 'and no tab was loaded');
        await options.close();
      } finally {
        upstream.handler = null;
        if (!page.isClosed()) await page.close();
        await nginx.stop();
      }
    });
  });
}

/**
 * Where the test hears of Page Medic's notifications: its own options page, which sees those
 * still shown (getAll) and those closed (headless Firefox cannot show one and closes it at once,
 * as if by the visitor). `notified()`: whether the notification `id` came.
 */
async function hearNotifications(browser, name, id) {
  const options = await openExtensionPage(browser, name, 'pages/options.html');
  await options.evaluate(() => {
    const api = globalThis.browser ?? globalThis.chrome;
    globalThis.closedNotifications = [];
    api.notifications.onClosed.addListener((closed) => globalThis.closedNotifications.push(closed));
  });
  const notified = () => options.evaluate(async (watched) => {
    const all = await (globalThis.browser ?? globalThis.chrome).notifications.getAll();
    return watched in all || globalThis.closedNotifications.includes(watched);
  }, id);
  return { options, notified };
}
