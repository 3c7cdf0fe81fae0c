// A browser that takes every address over https (Firefox's HTTPS-Only mode) meets a site that
// speaks only http: the https address cannot connect, and the browser's own page says the secure
// site is not available and offers the http one. That page is the browser's: Page Medic leaves it
// in place, covers nothing, retries nothing, and the visitor's click on "Continue to HTTP Site"
// brings the site. (Page Medic's own page in its place took that way on from the visitor, said
// only "Could not connect" and retried https.)
//
// The site is plain.shop.test on 127.0.0.1 at port 80 (an address of its own: HTTPS-Only leaves
// IP addresses alone; port 80: https goes to 443, where nothing listens). Binding port 80 needs
// root, as the suite has.
//
// Chromium's counterpart, "Always use secure connections" (HTTPS-First mode; here its enterprise
// policy HttpsOnlyMode), ends the http load with net::ERR_BLOCKED_BY_CLIENT, an extension's
// block's error (seen in Chromium 148; webNavigation reports the two alike). Page Medic keeps that
// page (see safe-browsing.test.js), and its toolbar popup says the block may be the browser's own.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BROWSERS, closeSite, extensionReady, installMachinePolicy, keptThisSession, launch, openPopup, personClick, sleep, startUpstream,
  waitInPage,
} from './harness.js';

const HOST = 'plain.shop.test';
/** Requests for a path (an http:// site gets no Sec-Fetch-Mode from Firefox: not a secure origin). */
const asked = (upstream, path) => upstream.requests.filter((r) => r.url.startsWith(path)).length;

/** The plain http site at port 80. */
async function plainSite() {
  const upstream = await startUpstream({ port: 80 }).catch((error) => {
    throw new Error(`this test serves a site at port 80 and needs root to: ${error.message}`);
  });
  upstream.handler = (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Plain</title><h1>The plain http site</h1>');
  };
  return upstream;
}

if (BROWSERS.includes('firefox')) describe("Firefox's HTTPS-Only mode and a site without https", () => {
  let site;
  before(async () => {
    const upstream = await plainSite();
    site = { upstream };
    site.browser = await launch('firefox', {
      firefoxPrefs: { 'dom.security.https_only_mode': true, 'network.dns.localDomains': HOST, 'network.proxy.no_proxies_on': HOST },
    });
    await extensionReady(site.browser, 'firefox');
    site.page = await site.browser.newPage();
  });
  after(() => closeSite(site));

  it("keeps the browser's page offering the http site: not replaced, not covered, not retried; the visitor's click goes on", async () => {
    const { page, browser, upstream } = site;
    const url = `http://${HOST}/news?from=mail`;
    await page.goto(url).catch(() => null); // the browser's page: no response to wait for
    // The precondition: the browser upgraded the address, https could not connect, and its page
    // offers the http site.
    const shown = await waitInPage(page, () => document.documentURI.startsWith('about:httpsonlyerror') && document.documentURI);
    const failed = new URL(shown).searchParams.get('u');
    assert.equal(failed, `https://${HOST}/news?from=mail`, 'the https address failed');
    assert.equal(asked(upstream, '/news'), 0, 'the http site was not asked yet');
    await sleep(4000);
    assert.match(await page.evaluate(() => document.documentURI), /^about:httpsonlyerror/, "the browser's page is still there");
    assert.equal(await page.evaluate(() => document.querySelectorAll('[data-state], iframe').length), 0, 'no cover over it');
    assert.equal(asked(upstream, '/news'), 0, 'no retry, no look: nothing reached the http site');

    // Kept for the toolbar popup, with no retry schedule for the https site.
    const { failures, schedules } = await keptThisSession(browser, 'firefox');
    const failure = failures.find((f) => f.url.startsWith(`https://${HOST}/news`));
    assert.ok(failure, `the failure is kept for the popup: ${JSON.stringify(failures)}`);
    assert.equal(failure.verdict, 'connection-failed', `the browser's error ${failure.error}`);
    assert.equal(failure.retryAuto, false, "the core's decision: the browser's page is not reloaded");
    assert.ok(!schedules.some((o) => o.includes(HOST)), `no retry schedule for the site: ${schedules}`);

    // A person takes the way the browser offers: its button answers a click once the page has
    // had the focus for a moment (its guard against clickjacking).
    await page.bringToFront();
    const button = await page.waitForSelector('#openInsecure', { visible: true });
    await waitInPage(page, () => !document.getElementById('openInsecure').classList.contains('disabled'));
    await personClick(page, button);
    await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The plain http site');
    // (Asked of the page itself: puppeteer's own record of the address can come a moment later.)
    assert.equal(await page.evaluate(() => location.href), url);
    assert.equal(asked(upstream, '/news'), 1, JSON.stringify(upstream.requests));
  });
});

if (BROWSERS.includes('chromium')) describe('Chromium\'s "Always use secure connections" and a site without https', () => {
  let site;
  let removePolicy;
  before(async () => {
    site = { upstream: await plainSite() };
    removePolicy = installMachinePolicy('chromium', { HttpsOnlyMode: 'force_enabled' });
    site.browser = await launch('chromium', {
      chromiumArgs: [`--host-resolver-rules=MAP ${HOST} 127.0.0.1`, `--proxy-bypass-list=${HOST}`],
    });
    await extensionReady(site.browser, 'chromium');
    site.page = await site.browser.newPage();
  });
  after(async () => {
    removePolicy?.();
    await closeSite(site);
  });

  it("keeps the browser's page, retries nothing, and the popup says the block may be the browser's own", async () => {
    const { page, browser, upstream } = site;
    const url = `http://${HOST}/news?from=mail`;
    // The precondition: the browser tried https, could not connect, and blocked the http load.
    const error = await page.goto(url).then(() => null, (e) => e.message);
    assert.match(error ?? '', /ERR_BLOCKED_BY_CLIENT/, 'Chromium blocked the http load');
    await sleep(4000);
    const where = await page.evaluate(() => location.href).catch((e) => `(the browser's page: ${e.message})`);
    assert.doesNotMatch(where, /-extension:\/\//, "Page Medic's page did not take the browser's place");
    assert.equal(await page.evaluate(() => document.querySelectorAll('#page-medic, iframe').length).catch(() => 0), 0, 'no cover over it');
    assert.equal(asked(upstream, '/news'), 0, 'no retry, no look: nothing reached the http site');

    const { failures, schedules } = await keptThisSession(browser, 'chromium');
    const failure = failures.find((f) => f.url.startsWith(`http://${HOST}/news`));
    assert.ok(failure, `the failure is kept for the popup: ${JSON.stringify(failures)}`);
    assert.equal(failure.retryAuto, false, "the core's decision: the browser's page is not reloaded");
    assert.ok(!schedules.some((o) => o.includes(HOST)), `no retry schedule for the site: ${schedules}`);

    // The toolbar popup, opened as a click on its button opens it.
    await page.bringToFront();
    const popup = await openPopup(browser, HOST);
    const text = await popup.evaluate(() => document.body.innerText);
    assert.match(text, /An extension blocked this page/);
    assert.match(text, /the browser's own block: a Safe Browsing warning, or “Always use secure connections”/);
    await popup.close();
  });
});
