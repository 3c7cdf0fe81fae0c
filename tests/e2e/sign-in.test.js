// The browser's sign-in dialog stays the browser's. A site behind HTTP authentication (a 401 with
// a WWW-Authenticate challenge, through real nginx) makes the browser ask the visitor for a name
// and password. Chromium commits a blank page of its own under its dialog and reports the load as
// failed (ERR_INVALID_AUTH_CREDENTIALS); Firefox keeps the load open under its dialog. Page Medic
// takes neither as a failure: the tab is never sent to its page (which would close the dialog),
// nothing is asked of the site or retried, and the visitor signs in by typing into the browser's
// dialog (real keys on a virtual X display) or, in Chromium, cancels it and reads the site's own
// 401 page. (Firefox's dialog for a site is not cancelled here: a key that reached the page before
// the dialog did would stop its load, and nothing a test can read says the dialog is up.) The same
// for a proxy that asks for credentials (a 407 with a Proxy-Authenticate challenge; Chromium
// reports the same error): the visitor signs in to the proxy through the browser's dialog, or
// cancels it and reads the proxy's 407 page (Chromium) or Firefox's page saying the proxy refused,
// which Firefox reports as the proxy's refusal (NS_ERROR_PROXY_CONNECTION_REFUSED) and Page Medic
// leaves alone: its retry would only bring the dialog back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { BROWSERS, checks, closeSite, freePort, keptThisSession, navigations, openSite, sleep, virtualDisplay, waitInPage, until } from './harness.js';

const SIGNED_IN = `Basic ${Buffer.from('visitor:').toString('base64')}`;

/** The site: its pages answer a 401 challenge until the request carries the visitor's name. */
function staging(req, res) {
  if (req.headers.authorization === SIGNED_IN) {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Staging</title><h1>Welcome in, visitor</h1>');
    return;
  }
  const realm = req.url.startsWith('/staging/') ? 'Staging' : 'Other';
  res.writeHead(401, { 'content-type': 'text/html', 'www-authenticate': `Basic realm="${realm}"` });
  res.end('<!doctype html><title>401 Authorization Required</title><h1>Sign-in required</h1>');
}

/**
 * The visitor's proxy (the browser's only one; 127.0.0.1 is never sent through it): it answers a
 * 407 challenge until the request carries the visitor's name, then a page of its own for every
 * address. `requests` lists what it was asked.
 */
async function startSigningProxy() {
  const requests = [];
  const server = createServer((req, res) => {
    // (No Sec-Fetch-Mode for an http:// site that is not this machine: a navigation is told by
    // asking for documents, text/html first, as no fetch of Page Medic's does.)
    requests.push({ url: req.url, navigation: /^text\/html/.test(req.headers.accept ?? '') });
    if (req.headers['proxy-authorization'] === SIGNED_IN) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Shop</title><h1>Through the proxy</h1>');
      return;
    }
    res.writeHead(407, { 'content-type': 'text/html', 'proxy-authenticate': 'Basic realm="Office proxy"' });
    res.end('<!doctype html><title>407 Proxy Authentication Required</title><h1>Proxy sign-in required</h1>');
  });
  const port = await freePort();
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  return { port, requests, stop: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }) };
}

for (const name of BROWSERS) {
  describe(`the browser's sign-in dialog in ${name}`, () => {
    let site, screen, proxy;
    const visited = []; // every address the tab's main frame showed
    before(async () => {
      screen = await virtualDisplay();
      proxy = await startSigningProxy();
      site = await openSite(name, { display: screen.display, proxyPort: proxy.port });
      site.upstream.handler = staging;
      site.page.on('framenavigated', (frame) => { if (frame === site.page.mainFrame()) visited.push(frame.url()); });
    });
    after(async () => {
      await closeSite(site);
      await proxy?.stop();
      screen?.stop();
    });

    /** Waits (at most 10 s) for the browser's request that the dialog answers to reach `what`. */
    const untilAsked = (asked, what) => until(asked, `the browser asked ${what}`, { every: 50 });

    /**
     * Keys typed (xdotool commands, one after another) until the page shows what `done` waits
     * for: the dialog comes up a moment after the 401, and keys before it go to the page.
     */
    async function typeUntil(commands, done) {
      for (let attempt = 0; attempt < 20; attempt++) {
        screen.focusBrowser();
        for (const command of commands) screen.xdotool(...command);
        try {
          return await waitInPage(site.page, done, null, 1_500);
        } catch { /* the dialog was not up yet: type again */ }
      }
      assert.fail(`the page never showed what ${commands.flat().join(' ')} should bring`);
    }

    it('a sign-in: nothing covers, replaces or retries the dialog, and the visitor signs in through it', async () => {
      const { page, nginx, upstream } = site;
      const path = '/staging/';
      const loading = page.goto(`${nginx.url}${path}`, { waitUntil: 'domcontentloaded' }).then(() => null, (e) => e.message);
      if (name === 'chromium') assert.match(await loading, /ERR_INVALID_AUTH_CREDENTIALS/, "Chromium's blank page under its dialog");
      await untilAsked(() => navigations(upstream, path) > 0, `the site for ${path}`);
      // The name typed into the dialog's first field, sent with Enter.
      await typeUntil([['key', 'ctrl+a'], ['type', 'visitor'], ['key', 'Return']],
        () => document.querySelector('h1')?.textContent === 'Welcome in, visitor');
      await leftAlone(path);
    });

    if (name === 'chromium') {
      it("a sign-in cancelled: the site's own 401 page, and nothing of Page Medic's", async () => {
        const { page, nginx, upstream } = site;
        const path = '/other-realm/';
        const loading = page.goto(`${nginx.url}${path}`, { waitUntil: 'domcontentloaded' }).then(() => null, (e) => e.message);
        assert.match(await loading, /ERR_INVALID_AUTH_CREDENTIALS/, "Chromium's blank page under its dialog");
        await typeUntil([['key', 'Escape']], () => document.querySelector('h1')?.textContent === 'Sign-in required');
        await leftAlone(path);
      });
    }

    // (Before the proxy's sign-in below: a browser that signed in to the proxy sends its
    // credentials unasked from then on.)
    it("a proxy's sign-in cancelled: the proxy's or the browser's own page, and nothing of Page Medic's", async () => {
      const url = 'http://shop.example/cancelled';
      if (name === 'chromium') {
        // Chromium's blank page under its dialog is committed as the dialog comes up; Escape
        // then shows the proxy's own 407 page.
        const loading = site.page.goto(url, { waitUntil: 'domcontentloaded' }).then(() => null, (e) => e.message);
        assert.match(await loading, /ERR_INVALID_AUTH_CREDENTIALS/, "Chromium's blank page under its dialog");
        await typeUntil([['key', 'Escape']], () => document.querySelector('h1')?.textContent === 'Proxy sign-in required');
      } else {
        // Firefox keeps the load open under its dialog, and nothing a test can read says the
        // dialog is up; Escape before it stops the load instead (then it is loaded again).
        // Cancelled, the load ends as the proxy's refusal, under Firefox's page that says so.
        const cancelled = () => visited.some((u) => u.startsWith('about:neterror?e=proxyConnectFailure&u=http%3A//shop.example/cancelled'));
        for (let attempt = 0; attempt < 10 && !cancelled(); attempt++) {
          const asked = proxy.requests.length;
          const loading = site.page.goto(url, { waitUntil: 'domcontentloaded' }).then(() => null, (e) => e.message);
          await untilAsked(() => proxy.requests.length > asked, `the proxy for ${url}`);
          await sleep(300 * (attempt + 1));
          screen.focusBrowser();
          screen.xdotool('key', 'Escape');
          assert.notEqual(await Promise.race([loading, sleep(5_000).then(() => 'loading')]), 'loading', 'the load ended, cancelled or stopped');
        }
        assert.ok(cancelled(), "Firefox's page for the proxy's refusal");
        // What Page Medic would do with it comes a moment later: a page of its own in the tab.
        await sleep(2_000);
        assert.ok(cancelled(), "Firefox's page stays");
      }
      await leftAloneByProxy(url);
    });

    it("a proxy's sign-in: nothing covers, replaces or retries the dialog, and the visitor signs in to the proxy through it", async () => {
      const url = 'http://shop.example/cart';
      const loading = site.page.goto(url, { waitUntil: 'domcontentloaded' }).then(() => null, (e) => e.message);
      if (name === 'chromium') assert.match(await loading, /ERR_INVALID_AUTH_CREDENTIALS/, "Chromium's blank page under its dialog");
      await untilAsked(() => proxy.requests.some((r) => r.url === url), `the proxy for ${url}`);
      await typeUntil([['key', 'ctrl+a'], ['type', 'visitor'], ['key', 'Return']],
        () => document.querySelector('h1')?.textContent === 'Through the proxy');
      await leftAloneByProxy(url);
    });

    /** leftAlone, for the tab's load of `url` through the proxy (which sees every request for it). */
    const leftAloneByProxy = (url) => leftAlone(url, {
      origin: new URL(url).origin, checks: () => proxy.requests.filter((r) => r.url === url && !r.navigation).length,
    });

    /** What Page Medic did about the tab's load of `path` (of the site behind nginx, or `origin`'s): nothing. */
    async function leftAlone(path, { origin = site.nginx.url, checks: asked = () => checks(site.upstream, path) } = {}) {
      const { page, browser } = site;
      assert.deepEqual(visited.filter((u) => /-extension:\/\//.test(u)), [], "Page Medic's page never took the dialog's place");
      assert.equal(await page.$('#page-medic'), null, 'nothing covers the page');
      assert.equal(asked(), 0, "nothing of Page Medic's went to the site");
      const kept = await keptThisSession(browser, name);
      const failures = kept.failures.filter((f) => f.url.startsWith(origin));
      const schedules = kept.schedules.filter((o) => o === origin);
      assert.deepEqual({ failures, schedules }, { failures: [], schedules: [] }, 'no failure kept, no retry scheduled');
    }
  });
}
