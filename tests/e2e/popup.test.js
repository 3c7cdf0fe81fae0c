// The toolbar popup over a failed tab, opened the way a click on the toolbar button opens it
// (action.openPopup for the tab's window), shows the tab's diagnosis, what no error page says by
// itself (planned maintenance), the site's recent problems and, on a press, what the site's own
// status page says; its Retry brings the page back once the site answers. The page's own countdown is
// cancelled first, so only the popup's Retry can bring it back.
//
// Chromium: the test reaches the service worker to open the popup, and headless Chromium shows it
// as a page the test presses like any other.
// Firefox: no driver shows the popup as a page (WebDriver BiDi lists tabs only; Marionette's own
// session cannot be opened beside BiDi's), and Page Medic's buttons act only on trusted input, so
// a script's click() does nothing. What works: a profile preference lets an extension page call
// action.openPopup() without a click; the popup's content is read through the extension's own view
// of it (extension.getViews); and the press is a real mouse click on a virtual X display (Xvfb),
// made with xdotool at the button's place on screen (the popup's mozInnerScreenX/Y). Firefox runs
// with windows there, its window focused first, as a person's would be. The click travels the way
// a person's does: from the X server, hit-tested by Firefox, a trusted click on the button.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BROWSERS, buttonByName, closeSite, openExtensionPage, openPopup, openSite, overlayState, panelFrame, personClick, statusPage, waitForState,
  virtualDisplay, waitInPage, waitFor,
} from './harness.js';

for (const name of BROWSERS.filter((b) => b === 'chromium')) {
  describe(`the toolbar popup in ${name}`, () => {
    let site;
    before(async () => { site = await openSite(name, { upstreamDown: true }); });
    after(() => closeSite(site));

    it('shows the failed tab\'s diagnosis and its Retry brings the page back', async () => {
      const { browser, page, nginx, upstream } = site;
      await page.goto(`${nginx.url}/cart`, { waitUntil: 'domcontentloaded' });
      assert.equal((await overlayState(page)).verdict, 'origin-down');
      await personClick(page, await buttonByName(await panelFrame(page), 'Cancel'));
      await waitForState(page, 'stopped');
      // What a click on Page Medic's toolbar button does.
      const popup = await openPopup(browser);
      const text = await popup.evaluate(() => document.body.innerText);
      assert.match(text, /The site's server is not answering/);
      assert.match(text, /\/cart — .*HTTP 502/, 'the site\'s recent problem is listed');
      await upstream.up();
      assert.equal(await page.evaluate(() => document.querySelector('h1')?.textContent), '502 Bad Gateway', 'no retry of its own');
      await personClick(popup, await buttonByName(popup, 'Retry now'));
      await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The real page');
    });

    it('says what no error page says by itself: planned maintenance, until when', async () => {
      const { browser, page, nginx, upstream } = site;
      upstream.handler = maintenance(Date.now() + 20 * 60_000);
      try {
        await page.bringToFront();
        await page.goto(`${nginx.url}/planned`, { waitUntil: 'domcontentloaded' });
        assert.equal((await overlayState(page)).verdict, 'site-unavailable');
        const popup = await openPopup(browser);
        assert.match(await popup.evaluate(() => document.body.innerText), /Planned maintenance — expected back at \d/);
        await popup.close();
      } finally {
        upstream.handler = null;
      }
    });

    it("checks the site's own status page, on a press", async () => {
      const { browser, page, nginx, upstream } = site;
      const status = await statusPage(OUTAGE);
      upstream.handler = linkingStatusPage(status.port);
      try {
        await page.bringToFront();
        await page.goto(`${nginx.url}/linked`, { waitUntil: 'domcontentloaded' });
        assert.equal((await overlayState(page)).verdict, 'site-unavailable');
        const popup = await openPopup(browser);
        assert.equal(status.requests.length, 0, 'nothing is asked before the press');
        await personClick(popup, await buttonByName(popup, "Check the site's status page"));
        await waitFor(popup, () => /reports/.test(document.getElementById('status-page-summary').textContent), { timeout: 20_000 });
        assertSaysOutage(await popup.evaluate(() => document.body.innerText), status);
        await popup.close();
      } finally {
        upstream.handler = null;
        await status.stop();
      }
    });
  });
}

/** A status page's summary in Statuspage's format: a major outage with one incident. */
const OUTAGE = {
  page: { id: 'x', name: 'Shop', url: 'http://127.0.0.1' },
  status: { indicator: 'major', description: 'Partial System Outage' },
  incidents: [{ name: 'Checkout errors', status: 'investigating', impact: 'major', created_at: new Date().toISOString() }],
  scheduled_maintenances: [],
};

/** The site fails with a 503 whose Link names its status page (on the site's own address, another port). */
const linkingStatusPage = (port) => (req, res) => {
  res.writeHead(503, { 'content-type': 'text/html', link: `<http://127.0.0.1:${port}/>; rel="status"` });
  res.end('<!doctype html><title>Down</title><h1>Checkout is down</h1>');
};

/** The popup's text tells the status page's outage, and the page was asked once, for its summary. */
function assertSaysOutage(text, status) {
  assert.ok(text.includes(`The status page (127.0.0.1:${status.port}) reports a major outage. (“Partial System Outage”)`), text);
  assert.match(text, /Incident: Checkout errors — investigating, since /);
  assert.deepEqual(status.requests.map((r) => r.url), ['/api/v2/summary.json']);
}

/** The site down for planned maintenance until `until` (a Retry-After date). */
const maintenance = (until) => (req, res) => {
  res.writeHead(503, { 'content-type': 'text/html', 'retry-after': new Date(until).toUTCString() });
  res.end('<!doctype html><title>Maintenance</title><h1>Down for maintenance</h1>');
};

for (const name of BROWSERS.filter((b) => b === 'firefox')) {
  describe(`the toolbar popup in ${name}`, () => {
    let site, screen;
    before(async () => {
      screen = await virtualDisplay();
      site = await openSite(name, {
        upstreamDown: true,
        display: screen.display,
        firefoxPrefs: { 'extensions.openPopupWithoutUserGesture.enabled': true },
      });
    });
    after(async () => {
      await closeSite(site);
      screen?.stop();
    });

    it("shows the failed tab's diagnosis and its Retry, pressed by a native click, brings the page back", async () => {
      const { browser, page, nginx, upstream } = site;
      await page.goto(`${nginx.url}/cart`, { waitUntil: 'domcontentloaded' });
      assert.equal((await overlayState(page)).verdict, 'origin-down');
      await personClick(page, await buttonByName(await panelFrame(page), 'Cancel'));
      await waitForState(page, 'stopped');

      // What a click on Page Medic's toolbar button does, over the failed tab (the active one).
      const extensionPage = await openExtensionPage(browser, name, 'pages/options.html');
      await page.bringToFront();
      await openFirefoxPopup(screen, extensionPage);
      const text = await firefoxPopupText(extensionPage);
      assert.match(text, /The site's server is not answering/);
      assert.match(text, /\/cart — .*HTTP 502/, 'the site\'s recent problem is listed');

      await upstream.up();
      assert.equal(await page.evaluate(() => document.querySelector('h1')?.textContent), '502 Bad Gateway', 'no retry of its own');
      await pressInPopup(screen, extensionPage, 'Retry now');
      await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The real page');
      await waitFor(extensionPage, () => browser.extension.getViews({ type: 'popup' }).length === 0, { timeout: 5_000 });
      await extensionPage.close();
    });

    it('says what no error page says by itself: planned maintenance, until when', async () => {
      const { browser, page, nginx, upstream } = site;
      upstream.handler = maintenance(Date.now() + 20 * 60_000);
      const extensionPage = await openExtensionPage(browser, name, 'pages/options.html');
      try {
        await page.bringToFront();
        await page.goto(`${nginx.url}/planned`, { waitUntil: 'domcontentloaded' });
        assert.equal((await overlayState(page)).verdict, 'site-unavailable');
        await openFirefoxPopup(screen, extensionPage);
        const text = await firefoxPopupText(extensionPage);
        assert.match(text, /Planned maintenance — expected back at \d/);
        await extensionPage.evaluate(() => browser.extension.getViews({ type: 'popup' })[0]?.close());
      } finally {
        upstream.handler = null;
        await extensionPage.close();
      }
    });

    it("checks the site's own status page, on a native press", async () => {
      const { browser, page, nginx, upstream } = site;
      const status = await statusPage(OUTAGE);
      upstream.handler = linkingStatusPage(status.port);
      const extensionPage = await openExtensionPage(browser, name, 'pages/options.html');
      try {
        await page.bringToFront();
        await page.goto(`${nginx.url}/linked`, { waitUntil: 'domcontentloaded' });
        assert.equal((await overlayState(page)).verdict, 'site-unavailable');
        await openFirefoxPopup(screen, extensionPage);
        assert.equal(status.requests.length, 0, 'nothing is asked before the press');
        await pressInPopup(screen, extensionPage, "Check the site's status page");
        await waitFor(extensionPage, () => /reports/.test(browser.extension.getViews({ type: 'popup' })[0]?.document.getElementById('status-page-summary').textContent), { timeout: 20_000 });
        assertSaysOutage(await firefoxPopupText(extensionPage), status);
        await extensionPage.evaluate(() => browser.extension.getViews({ type: 'popup' })[0]?.close());
      } finally {
        upstream.handler = null;
        await status.stop();
        await extensionPage.close();
      }
    });
  });
}

/**
 * Opens the toolbar popup from an extension page (Firefox), once it has its text. The browser's
 * window is focused first (with no window manager on the virtual display, nothing else does),
 * so that the popup stays open under the pointer as it does on a person's screen.
 */
async function openFirefoxPopup(screen, extensionPage) {
  screen.focusBrowser();
  await extensionPage.evaluate(() => browser.action.openPopup());
  await waitFor(extensionPage, () => browser.extension.getViews({ type: 'popup' })[0]?.document.getElementById('title')?.textContent.length > 0, { timeout: 10_000 });
}

/** What the open popup shows (Firefox), read through the extension's own view of it. */
const firefoxPopupText = (extensionPage) => extensionPage.evaluate(() => browser.extension.getViews({ type: 'popup' })[0].document.body.innerText);

/**
 * Presses the popup's button `label` with a real mouse click at its place on screen (Firefox),
 * the way a person's press travels: from the X server, hit-tested by Firefox, into the popup.
 * As a person does, it waits for the popup to settle: Firefox grows a popup to its content after
 * its first paint (seen once in CI: the button still below a popup not yet grown).
 */
async function pressInPopup(screen, extensionPage, label) {
  // The button's place on screen, once it is inside the popup where it was 200 ms before
  // (`anyway`: as it is now).
  const look = (text, anyway) => {
    const view = browser.extension.getViews({ type: 'popup' })[0];
    const found = view && [...view.document.querySelectorAll('button')].find((b) => b.textContent === text);
    found?.scrollIntoView({ block: 'nearest' }); // (as a person scrolls to what they press)
    const r = found?.getBoundingClientRect();
    const place = r && {
      x: view.mozInnerScreenX + r.x + r.width / 2, y: view.mozInnerScreenY + r.y + r.height / 2,
      inside: r.right <= view.innerWidth && r.bottom <= view.innerHeight && r.x >= 0 && r.y >= 0,
    };
    const settled = Boolean(place?.inside) && JSON.stringify(place) === globalThis.lastPlace;
    globalThis.lastPlace = JSON.stringify(place);
    return settled || anyway ? place : null;
  };
  const where = await waitFor(extensionPage, look, { timeout: 10_000, polling: 200 }, label, false)
    .catch(() => extensionPage.evaluate(look, label, true));
  assert.ok(where, `the popup offers ${label}`);
  assert.ok(where.inside, `${label} is inside the popup, on screen`);
  screen.xdotool('mousemove', '--sync', String(Math.round(where.x)), String(Math.round(where.y)), 'click', '1');
}
