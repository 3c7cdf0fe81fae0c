// HTTPS end to end, in both real browsers: a real nginx speaking TLS with HTTP/2, its certificate
// signed by a test CA the browsers trust (Chromium: the NSS database in its $HOME; Firefox: its
// profile's cert9.db). The 502 is explained and retried by itself until the site answers; "Is it
// just me?" and clearing this site's data work there too. A certificate the browser does not trust
// gets the browser's own warning, which Page Medic never replaces, covers or retries.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BROWSERS, buttonByName, checks, closeSite, findPage, keptThisSession, navigations, openPopup, openSite, overlayState, panelFrame, panelText,
  toolbarButton,
  afterCountdown, personClick, sleep, waitForState, waitInPage, waitFor, until,
} from './harness.js';

for (const name of BROWSERS) {
  describe(`HTTPS with HTTP/2 in ${name}`, () => {
    let site;
    before(async () => { site = await openSite(name, { https: true, upstreamDown: true }); });
    after(() => closeSite(site));

    it('explains a 502 over HTTP/2 and loads the page by itself once the site answers', async () => {
      const { page, nginx, upstream } = site;
      assert.match(nginx.url, /^https:/);
      const response = await page.goto(`${nginx.url}/orders?id=7`, { waitUntil: 'domcontentloaded' });
      assert.equal(response.status(), 502);
      assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation')[0].nextHopProtocol), 'h2');
      const state = await overlayState(page);
      assert.equal(state.verdict, 'origin-down');
      const panel = await panelFrame(page);
      const text = await panelText(panel);
      assert.match(text, /server is not answering/);
      assert.match(text, /nginx/, 'the gateway is named from its headers over HTTP/2');
      assert.match(text, /[0-9a-f]{32}/, "nginx's request id is shown");
      const waiting = await waitForState(page, 'waiting');
      await upstream.up();
      // The countdown runs out, a check finds the site answering, the page loads by itself.
      await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The real page', undefined, afterCountdown(waiting));
      assert.equal(navigations(upstream, '/orders'), 1, 'one load, once the site answered');
      assert.ok(checks(upstream, '/orders') >= 1, 'the site was checked before the page was loaded');
    });

    it('"Is it just me?" over HTTPS: the site fails for everyone', async () => {
      const { page, nginx, upstream } = site;
      await upstream.down();
      await page.goto(`${nginx.url}/account`, { waitUntil: 'domcontentloaded' });
      await overlayState(page);
      const panel = await panelFrame(page);
      await panelText(panel);
      await personClick(page, await buttonByName(panel, 'Cancel'));
      await waitForState(page, 'stopped');
      await personClick(page, await buttonByName(panel, 'Is it just me?'));
      await waitFor(panel, () => /it fails too/.test(document.getElementById('just-me-result').textContent), { timeout: 15_000 });
      // The site's side: nothing of this browser's opens.
      assert.deepEqual(await panel.evaluate(() => ['clear', 'extensions'].map((id) => document.getElementById(id).checkVisibility())), [false, false]);
    });

    it("clears this site's cookies over HTTPS when they break it, and the page comes back", async () => {
      const { page, nginx, upstream, browser } = site;
      await upstream.up();
      await page.goto(`${nginx.url}/profile`, { waitUntil: 'load' });
      // The site's server refuses a request whose cookies are too large, with its own 431 page.
      upstream.handler = (req, res) => {
        if ((req.headers.cookie ?? '').length > 12_000) {
          res.writeHead(431, { 'content-type': 'text/html' });
          res.end('<!doctype html><title>431</title><h1>Request Header Fields Too Large</h1>');
          return;
        }
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>The shop</title><h1>The real page</h1>');
      };
      await page.evaluate(() => {
        for (let i = 0; i < 4; i += 1) document.cookie = `big${i}=${'x'.repeat(3500)}; max-age=3600; path=/; secure`;
      });
      const response = await page.goto(`${nginx.url}/profile`, { waitUntil: 'domcontentloaded' });
      assert.equal(response.status(), 431);
      assert.equal((await overlayState(page)).verdict, 'stale-site-data');
      const panel = await panelFrame(page);
      await panelText(panel);
      await personClick(page, await buttonByName(panel, 'Is it just me?'));
      await waitFor(panel, () => /the page loads/.test(document.getElementById('just-me-result').textContent), { timeout: 15_000 });
      await personClick(page, await buttonByName(panel, 'Clear cookies and site data…'));
      await personClick(page, await buttonByName(panel, 'Clear and sign me out of 127.0.0.1'));
      if (name === 'firefox') {
        const grant = await findPage(browser, '/pages/grant.html');
        await personClick(grant, await buttonByName(grant, 'Allow and clear'));
      }
      await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The real page', undefined, 20_000);
      assert.equal(await page.evaluate(() => document.cookie), '', "this site's cookies are gone");
    });
  });

  describe(`a certificate ${name} does not trust`, () => {
    let site;
    before(async () => { site = await openSite(name, { https: true }); });
    after(() => closeSite(site));

    it("stays the browser's own warning: not replaced, not covered, not retried", async () => {
      const { page, nginx, upstream, browser } = site;
      const url = `${nginx.untrustedUrl}/login`;
      await page.goto(url).catch(() => null); // the browser's warning: no response to wait for
      await sleep(3000);
      const where = await page.evaluate(() => location.href).catch((e) => `(unscriptable: ${e.message})`);
      assert.doesNotMatch(where, /-extension:\/\//, "Page Medic's diagnosis page did not take the warning's place");
      assert.equal(navigations(upstream, '/login') + checks(upstream, '/login'), 0, 'nothing reached the site: no retry, no check');
      await sleep(4000);
      assert.equal(navigations(upstream, '/login') + checks(upstream, '/login'), 0, 'still nothing, seconds later');
      assert.doesNotMatch(await page.evaluate(() => location.href).catch(() => ''), /-extension:\/\//);

      // Recognised all the same, for the toolbar popup to explain: a certificate failure, never
      // "unknown" (Firefox reports it as a bare number of its SECURITY module).
      const { failures } = await keptThisSession(browser, name);
      const failure = failures.find((f) => f.url === url);
      assert.ok(failure, `the failure is recorded for the popup: ${JSON.stringify(failures)}`);
      assert.equal(failure.verdict, 'tls-failure', `the browser's error ${failure.error}`);
      console.log(`# ${name} reports an untrusted certificate as: ${failure.error}`);
      // Page Medic's toolbar button says its popup explains the page.
      const button = await toolbarButton(browser, name, url);
      assert.equal(button.badge, '?', 'the button is marked over the warning');
      assert.match(button.title, /Page Medic: what happened on this page/);

      if (name === 'chromium') {
        // The toolbar popup over the warning explains it and offers no retry (the popup opened as
        // a click on the toolbar button opens it; see popup.test.js for why Chromium only).
        await page.bringToFront();
        const popup = await openPopup(browser, url);
        const text = await popup.evaluate(() => document.body.innerText);
        assert.match(text, /A secure connection could not be made/);
        assert.match(text, /certificate/);
        assert.match(text, /ERR_CERT_AUTHORITY_INVALID/);
        assert.equal(await popup.$$eval('button', (b) => b.filter((x) => /Retry/.test(x.textContent)).length), 0, 'no Retry over a warning');
        await popup.close();
      }
      // The visitor goes on to a page that loads: the mark is gone (the browser takes a tab's own
      // badge and title off as it loads another page).
      await page.goto(`${nginx.url}/`, { waitUntil: 'load' });
      assert.equal(await page.evaluate(() => document.querySelector('h1')?.textContent), 'The real page');
      const later = await until(async () => {
        const now = await toolbarButton(browser, name, button.tabId);
        return now.badge === '' && now;
      }, 'no mark over a page that loaded', { every: 200 });
      assert.equal(later.title, 'Page Medic', 'and the button says its own name again');
    });
  });
  describe(`a site with HSTS whose certificate ${name} does not trust`, () => {
    let site;
    before(async () => {
      // www.shop.test is 127.0.0.1 (HSTS is never kept for an address); the test CA signed both
      // of nginx's certificates for it, and the browser trusts only one of them.
      site = await openSite(name, {
        https: true,
        chromiumArgs: ['--host-resolver-rules=MAP *.test 127.0.0.1', '--proxy-bypass-list=*.test'],
        firefoxPrefs: { 'network.dns.localDomains': 'www.shop.test', 'network.proxy.no_proxies_on': '.test' },
      });
    });
    after(() => closeSite(site));

    it("keeps the browser's warning, with no way past it: not replaced, not covered, not retried", async () => {
      const { page, nginx, upstream, browser } = site;
      upstream.handler = (req, res) => {
        res.writeHead(200, { 'content-type': 'text/html', 'strict-transport-security': 'max-age=600' });
        res.end('<!doctype html><title>The shop</title><h1>The real page</h1>');
      };
      const trusted = `www.shop.test:${nginx.port}`;
      assert.equal((await page.goto(`https://${trusted}/`)).status(), 200);
      // The precondition: the browser keeps the site's HSTS (it asks for the http:// address over
      // TLS at once, on the same port, which speaks nothing else).
      // (Firefox's WebDriver BiDi may report its own upgrade as a new navigation interrupting the
      // first: the page's own address is what tells.)
      await page.goto(`http://${trusted}/again`).catch((error) => {
        if (!/interrupted an unfinished navigation/.test(error.message)) throw error;
      });
      await waitInPage(page, (u) => location.href === u && document.readyState === 'complete', `https://${trusted}/again`)
        .catch(() => null);
      assert.equal(await page.evaluate(() => location.href), `https://${trusted}/again`, 'the browser holds the site to HTTPS');

      const url = `https://www.shop.test:${new URL(nginx.untrustedUrl).port}/login`;
      await page.goto(url).catch(() => null); // the browser's warning: no response to wait for
      // Its warning for an HSTS site: no exception can be added (the text says HSTS; Firefox 153
      // writes it in its page's shadow trees).
      const seen = () => {
        const text = [];
        const walk = (node) => {
          if (node.nodeType === Node.TEXT_NODE) text.push(node.data);
          if (node.shadowRoot) walk(node.shadowRoot);
          for (const child of node.childNodes) walk(child);
        };
        walk(document);
        return text.join(' ');
      };
      await waitInPage(page, `/HSTS/.test((${seen})())`);
      await sleep(4000);
      assert.match(await page.evaluate(seen), /HSTS/, "the browser's warning is still there");
      assert.doesNotMatch(await page.evaluate(() => document.documentURI), /-extension:\/\//, "Page Medic's page did not take its place");
      assert.equal(await page.evaluate(() => document.querySelectorAll('#page-medic, iframe[src*="-extension:"]').length), 0, 'no cover over it');
      assert.equal(navigations(upstream, '/login') + checks(upstream, '/login'), 0, 'nothing reached the site: no retry, no check');

      const { failures, schedules } = await keptThisSession(browser, name);
      const failure = failures.find((f) => f.url === url);
      assert.ok(failure, `the failure is kept for the popup: ${JSON.stringify(failures)}`);
      assert.equal(failure.verdict, 'tls-failure', `the browser's error ${failure.error}`);
      assert.equal(failure.retryAuto, false, 'never retried by itself');
      assert.ok(!schedules.some((o) => o.includes('shop.test')), 'no retry schedule for the site');
    });
  });
}
