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
// of it (extension.getViews); and the press is a native mouse event at the button's place on
// screen (Firefox's headless widget takes it as it takes the system's), sent from the browser
// window's own scope, which WebDriver BiDi reaches when Firefox starts with
// -remote-allow-system-access. The click travels the way a person's does: hit-tested in the
// browser window, handed to the popup's process, a trusted click on the button.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BROWSERS, buttonByName, closeSite, openExtensionPage, openSite, overlayState, panelFrame, personClick, statusPage, waitForState,
  waitInPage,
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
        await popup.waitForFunction(() => /reports/.test(document.getElementById('status-page-summary').textContent), { timeout: 20_000 });
        assertSaysOutage(await popup.evaluate(() => document.body.innerText), status);
        await popup.close();
      } finally {
        upstream.handler = null;
        await status.stop();
      }
    });
  });
}

/** Opens the toolbar popup as a click on Page Medic's button does (Chromium), once it has its text. */
async function openPopup(browser) {
  const sw = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background/background.js'));
  await (await sw.worker()).evaluate(async () => {
    const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    await chrome.action.openPopup({ windowId: tab.windowId });
  });
  const popup = await (await browser.waitForTarget((t) => t.url().endsWith('/pages/popup.html'), { timeout: 10_000 })).asPage();
  await popup.waitForFunction(() => document.getElementById('title').textContent.length > 0);
  return popup;
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

/** Runs `expression` in Firefox's browser window (its chrome scope, reached with system access). */
async function inBrowserWindow(browser, expression) {
  const connection = browser.connection;
  const { result: tree } = await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
  const context = tree.contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml')?.context;
  assert.ok(context, 'the browser window, in chrome scope');
  const { result } = await connection.send('script.evaluate', { expression, target: { context }, awaitPromise: true });
  if (result.type === 'exception') throw new Error(`in the browser window: ${result.exceptionDetails.text}`);
  return result.result.value;
}

for (const name of BROWSERS.filter((b) => b === 'firefox')) {
  describe(`the toolbar popup in ${name}`, () => {
    let site;
    before(async () => {
      site = await openSite(name, {
        upstreamDown: true,
        firefoxArgs: ['-remote-allow-system-access'],
        firefoxPrefs: { 'extensions.openPopupWithoutUserGesture.enabled': true },
      });
    });
    after(() => closeSite(site));

    it("shows the failed tab's diagnosis and its Retry, pressed by a native click, brings the page back", async () => {
      const { browser, page, nginx, upstream } = site;
      await page.goto(`${nginx.url}/cart`, { waitUntil: 'domcontentloaded' });
      assert.equal((await overlayState(page)).verdict, 'origin-down');
      await personClick(page, await buttonByName(await panelFrame(page), 'Cancel'));
      await waitForState(page, 'stopped');

      // What a click on Page Medic's toolbar button does, over the failed tab (the active one).
      const extensionPage = await openExtensionPage(browser, name, 'pages/options.html');
      await page.bringToFront();
      await openFirefoxPopup(extensionPage);
      const text = await firefoxPopupText(extensionPage);
      assert.match(text, /The site's server is not answering/);
      assert.match(text, /\/cart — .*HTTP 502/, 'the site\'s recent problem is listed');

      await upstream.up();
      assert.equal(await page.evaluate(() => document.querySelector('h1')?.textContent), '502 Bad Gateway', 'no retry of its own');
      await pressInPopup(browser, extensionPage, 'Retry now');
      await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The real page');
      await extensionPage.waitForFunction(() => browser.extension.getViews({ type: 'popup' }).length === 0, { timeout: 5_000 });
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
        await openFirefoxPopup(extensionPage);
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
        await openFirefoxPopup(extensionPage);
        assert.equal(status.requests.length, 0, 'nothing is asked before the press');
        await pressInPopup(browser, extensionPage, "Check the site's status page");
        await extensionPage.waitForFunction(() => /reports/.test(browser.extension.getViews({ type: 'popup' })[0]?.document.getElementById('status-page-summary').textContent), { timeout: 20_000 });
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

/** Opens the toolbar popup from an extension page (Firefox), once it has its text. */
async function openFirefoxPopup(extensionPage) {
  await extensionPage.evaluate(() => browser.action.openPopup());
  await extensionPage.waitForFunction(() => browser.extension.getViews({ type: 'popup' })[0]?.document.getElementById('title')?.textContent.length > 0, { timeout: 10_000 });
}

/** What the open popup shows (Firefox), read through the extension's own view of it. */
const firefoxPopupText = (extensionPage) => extensionPage.evaluate(() => browser.extension.getViews({ type: 'popup' })[0].document.body.innerText);

/**
 * Presses the popup's button `label` with a native mouse click at its place on screen (Firefox),
 * the way a person's press travels: hit-tested in the browser window, handed to the popup.
 */
async function pressInPopup(browser, extensionPage, label) {
  // The popup's place in the browser window, and the button's in it.
  const popupRect = JSON.parse(await inBrowserWindow(browser, `JSON.stringify((() => {
    const r = document.querySelector('.webextension-popup-browser').getBoundingClientRect();
    return [r.x, r.y, r.width, r.height];
  })())`));
  const button = await extensionPage.evaluate((text) => {
    const doc = browser.extension.getViews({ type: 'popup' })[0].document;
    const found = [...doc.querySelectorAll('button')].find((b) => b.textContent === text);
    const r = found?.getBoundingClientRect();
    return r ? [r.x + r.width / 2, r.y + r.height / 2] : null;
  }, label);
  assert.ok(button, `the popup offers ${label}`);
  assert.ok(button[0] < popupRect[2] && button[1] < popupRect[3], `${label} is inside the popup, on screen`);
  const [x, y] = [Math.round(popupRect[0] + button[0]), Math.round(popupRect[1] + button[1])];
  await inBrowserWindow(browser, `(async () => {
    const u = window.windowUtils;
    const [sx, sy] = [Math.round(window.mozInnerScreenX + ${x}), Math.round(window.mozInnerScreenY + ${y})];
    // (The observer says when the event was handed on; a fallback in case it never does.)
    const send = (message) => new Promise((done) => {
      u.sendNativeMouseEvent(sx, sy, message, 0, 0, document.documentElement, { observe: () => done() });
      setTimeout(done, 500);
    });
    await send(u.NATIVE_MOUSE_MESSAGE_MOVE);
    await send(u.NATIVE_MOUSE_MESSAGE_BUTTON_DOWN);
    // The popup may close on this press: its reply may never come.
    u.sendNativeMouseEvent(sx, sy, u.NATIVE_MOUSE_MESSAGE_BUTTON_UP, 0, 0, document.documentElement, null);
  })()`);
}
