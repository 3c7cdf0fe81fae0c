// The visitor's way back, in both real browsers: automatic retry that checks the site before
// reloading and honours Retry-After, never for a form POST, and Page Medic's diagnosis page in
// place of the browser's own error page for network errors, with a Back button that is no trap;
// the visitor's own settings (a retry limit, the browser's error pages left in place).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import {
  BROWSERS, afterCountdown, buttonByName, checks, freePort, keptThisSession, navigations, openExtensionPage, overlayState, pageTakesKeyboard, panelFrame,
  panelText, personClick, pressBack, waitForState, waitInPage, openSite, closeSite, sleep, startNginx, startUpstream, waitFor
} from './harness.js';

/**
 * A shop whose form posts to /order and gets `status` with `headers` and `body`; every other
 * address is the form, but /next, which is another page. `posts` counts the forms sent.
 */
function orderShop(upstream, status, headers, body) {
  const shop = { posts: 0 };
  upstream.handler = (req, res) => {
    if (req.method === 'POST') {
      shop.posts += 1;
      req.resume();
      res.writeHead(status, { 'content-type': 'text/html', ...headers });
      res.end(body);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(req.url.startsWith('/next')
      ? '<!doctype html><title>Next</title><h1>Another page</h1>'
      : '<!doctype html><title>Order</title><form method="post" action="/order"><input name="item" value="42"><button>Order</button></form>');
  };
  return shop;
}

for (const name of BROWSERS) {
  describe(`the way back in ${name}`, () => {
    let upstream, nginx, browser, page;
    before(async () => ({ upstream, nginx, browser, page } = await openSite(name)));
    after(() => closeSite({ upstream, nginx, browser }));

    it('retries by itself, checking the site first, and shows the page once it answers', async () => {
      await upstream.down();
      await page.goto(`${nginx.url}/auto/retry?q=1`, { waitUntil: 'domcontentloaded' });
      assert.equal((await overlayState(page)).verdict, 'origin-down');
      const waiting = await waitForState(page, 'waiting');
      assert.ok(Number(waiting.nextRetryMs) >= 500, `next retry in ${waiting.nextRetryMs} ms`);
      const panel = await panelFrame(page);
      assert.match(await panelText(panel), /Trying again in \d+ s/);

      await upstream.up();
      // No click: the countdown ends, the background checks the site, and the tab reloads.
      await waitFor(page, () => document.querySelector('h1')?.textContent === 'The real page', { timeout: afterCountdown(waiting), polling: 100 });
      assert.equal(await page.$('#page-medic'), null);
      assert.ok(checks(upstream, '/auto/retry') >= 1, 'the background checked the site before reloading');
      assert.equal(navigations(upstream, '/auto/retry'), 1, 'the tab was reloaded once, after the site answered');
    });

    it('says so when its own check finds the site still down, and counts down again', async () => {
      // A site of its own (another origin): the retry schedule this leaves running is its alone.
      const down = await startUpstream();
      await down.down();
      const proxy = await startNginx(down.port);
      const tab = await browser.newPage();
      try {
        await tab.goto(`${proxy.url}/still/down?q=1`, { waitUntil: 'domcontentloaded' });
        assert.equal((await overlayState(tab)).verdict, 'origin-down');
        const waiting = await waitForState(tab, 'waiting');
        const loadedAt = await tab.evaluate(() => performance.timeOrigin);
        const panel = await panelFrame(tab);
        assert.match(await panelText(panel), /Trying again in \d+ s/);
        assert.doesNotMatch(await panelText(panel), /still does not answer/, 'nothing was checked yet');
        // No click: the countdown ends, the background's check fails, and the next countdown says so.
        await waitFor(panel, () => /^The site still does not answer\. Trying again in \d+ s/.test(document.getElementById('retry-status')?.textContent),
          { timeout: afterCountdown(waiting), polling: 100 });
        assert.equal(await tab.evaluate(() => performance.timeOrigin), loadedAt, 'the failing page was not loaded again');
        assert.equal((await overlayState(tab)).state, 'waiting');
      } finally {
        await tab.close();
        await proxy.stop();
        await down.stop();
      }
    });

    it('waits as long as Retry-After says', async () => {
      await upstream.up();
      upstream.handler = (req, res) => {
        // Longer than the schedule's first step (10-30 s): Retry-After decides.
        res.writeHead(503, { 'content-type': 'text/html', 'retry-after': '40' });
        res.end('<!doctype html><title>Busy</title><h1>Busy</h1><p>Come back soon.</p>');
      };
      try {
        await page.goto(`${nginx.url}/busy`, { waitUntil: 'domcontentloaded' });
        assert.equal((await overlayState(page)).verdict, 'site-unavailable');
        const waiting = await waitForState(page, 'waiting');
        // Retry-After is read from the page's own response head (the browser's cache): nothing
        // is sent to learn it, and nothing before it has passed.
        assert.ok(Number(waiting.nextRetryMs) > 37_000, `Retry-After: 40 but the next retry is in ${waiting.nextRetryMs} ms`);
        assert.match(await panelText(await panelFrame(page)), /Trying again in (39|40) s/);
        await sleep(3000);
        assert.equal(checks(upstream, '/busy'), 0, 'nothing was sent to the site before Retry-After');
      } finally {
        upstream.handler = null;
      }
    });

    it('never sends a form again by itself', async () => {
      await upstream.up();
      const shop = orderShop(upstream, 502, {},
        '<!doctype html><title>Bad gateway</title><h1>The order service is down</h1>');
      try {
        await page.goto(`${nginx.url}/form`, { waitUntil: 'load' });
        await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.click('button')]);
        const state = await overlayState(page);
        assert.equal(state.verdict, 'origin-down');
        const stopped = await waitForState(page, 'stopped');
        assert.equal(stopped.nextRetryMs, undefined);
        const panel = await panelFrame(page);
        const text = await panelText(panel);
        assert.match(text, /form submission/i);
        // Firefox gives Page Medic the form's own answer's head (webRequest): its gateway is named,
        // with nothing asked of the site. (Elsewhere the cache holds no form's answer.)
        if (name === 'firefox') assert.match(text, /nginx/);
        await buttonByName(panel, 'Send the form again');
        // An Enter meant for the page (a field of its own had the keyboard) is not the visitor's
        // press of that button: it sends nothing.
        await page.evaluate(() => document.body.append(Object.assign(document.createElement('input'), { id: 'field' })));
        await pageTakesKeyboard(page, panel, '#field');
        await page.keyboard.press('Enter');
        // Nothing that would ask for the form's address again behind the visitor's back.
        for (const name of ['Is it just me?', "Tell me when it's back"]) {
          assert.equal(await panel.$(`::-p-aria([name="${name}"][role="button"])`), null, `no "${name}" for a form`);
        }
        // Past the latest first step of any retry schedule (10-30 s after a failure) and every
        // retry's own check of the site: the form went out once.
        await sleep(35_000);
        assert.equal(shop.posts, 1, 'the server received exactly one POST');
        assert.equal(upstream.requests.filter((r) => r.url.startsWith('/order')).length, 1, 'nor a background check of it');
        assert.equal((await page.$eval('#page-medic', (el) => el.dataset.state)), 'stopped');
      } finally {
        upstream.handler = null;
      }
    });

    it("leaves the browser's question before a form is sent again to the visitor", async () => {
      await upstream.up();
      // A form's answer no cache may keep: going back to it, the browser must ask.
      const seen = upstream.requests.length;
      const shop = orderShop(upstream, 200, { 'cache-control': 'no-store' },
        '<!doctype html><title>Ordered</title><h1>Thank you for your order</h1><a href="/next">Go on</a>');
      try {
        await page.goto(`${nginx.url}/form`, { waitUntil: 'load' });
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('button')]);
        assert.equal(await page.$eval('h1', (h) => h.textContent), 'Thank you for your order');
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('a')]);
        assert.equal(await page.$eval('h1', (h) => h.textContent), 'Another page');
        // Back to the form's answer: the browser asks before it sends the form again.
        await pressBack(page);
        const question = name === 'chromium' ? /ERR_CACHE_MISS/ : /^about:neterror\?e=notCached/;
        const where = async () => page.evaluate(() => `${document.documentURI} ${document.documentElement.textContent}`).catch((e) => `(${e.message})`);
        await waitInPage(page, () => /ERR_CACHE_MISS|about:neterror/.test(`${document.documentURI} ${document.documentElement.textContent}`));
        assert.match(await where(), question, "the browser's own page");
        await sleep(4000);
        const still = await where();
        assert.doesNotMatch(still, /-extension:\/\//, "Page Medic's page did not take the question's place");
        assert.match(still, question, 'the question is still there');
        assert.equal(await page.evaluate(() => document.querySelectorAll('#page-medic, iframe[src*="-extension:"]').length).catch(() => 0), 0, 'no cover over it');
        assert.equal(shop.posts, 1, 'the form went out once');
        assert.equal(upstream.requests.slice(seen).filter((r) => r.url.startsWith('/order')).length, 1, 'nothing asked for its address again');
      } finally {
        upstream.handler = null;
      }
    });

    it('shows its diagnosis page for a refused connection, returns when the site is back, and Back is no trap', async () => {
      const port = await freePort();
      const start = `${nginx.url}/before`;
      await upstream.up();
      await page.goto(start, { waitUntil: 'load' });
      const failing = `http://127.0.0.1:${port}/down?x=1`;
      await page.goto(failing).catch(() => {}); // the browser's own error page is replaced
      await waitFor(page, () => document.getElementById('page-medic')?.dataset.verdict, { timeout: 15_000, polling: 100 });
      const host = await page.$eval('#page-medic', (el) => ({ ...el.dataset }));
      assert.equal(host.verdict, 'connection-failed');
      assert.equal(host.side, 'network');
      // (Read the address from the document: Firefox's WebDriver BiDi does not report navigations
      // to extension pages, so page.url() can lag behind.)
      const href = () => page.evaluate(() => location.href);
      assert.match(await href(), /panel\/panel\.html$/);
      const dialog = await page.locator('::-p-aria([role="alertdialog"])').setTimeout(5_000).waitHandle();
      assert.match(await dialog.evaluate((el) => el.innerText), /Could not connect/);
      const waiting = await waitForState(page, 'waiting');

      // The site comes back: the page checks it and returns to the URL by itself.
      const site = createServer((req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>Back</title><h1>The site is back</h1>');
      });
      await new Promise((ok) => site.listen(port, '127.0.0.1', ok));
      try {
        await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The site is back', undefined, afterCountdown(waiting));
        assert.equal(await href(), failing);

        // Back leads towards where the visitor came from, never into Page Medic's page again.
        for (let i = 0; i < 3 && (await href()) !== start; i += 1) {
          await pressBack(page);
          await sleep(1000);
          assert.doesNotMatch(await href(), /panel\/panel\.html/, 'Back returned to the diagnosis page');
        }
        assert.equal(await href(), start);
      } finally {
        site.closeAllConnections(); // the browser's keep-alive connections would hold close() open
        await new Promise((ok) => site.close(ok));
      }
    });

    it("Retry now on its diagnosis page checks the site first: still down, it stays; back, the page loads", async () => {
      const port = await freePort();
      const failing = `http://127.0.0.1:${port}/retry-by-hand`;
      const tab = await browser.newPage();
      const site = createServer((req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>Back</title><h1>Back by hand</h1>');
      });
      try {
        await tab.goto(failing).catch(() => null); // refused: nothing listens there yet
        await waitFor(tab, () => document.getElementById('page-medic')?.dataset.verdict, { timeout: 15_000, polling: 100 });
        const href = () => tab.evaluate(() => location.href);
        assert.match(await href(), /panel\/panel\.html$/, "Page Medic's diagnosis page");
        const entries = await tab.evaluate(() => history.length);
        await personClick(tab, await buttonByName(tab.mainFrame(), 'Retry now'));
        // Said, and kept in front of the countdown that goes on.
        await waitInPage(tab, () => /^The site still does not answer\. Trying again in \d+ s/.test(document.getElementById('retry-status')?.textContent));
        assert.match(await href(), /panel\/panel\.html$/, 'still down: the diagnosis page stays');
        assert.equal(await tab.evaluate(() => history.length), entries, 'no error entry stacked into the history');
        await new Promise((ok) => site.listen(port, '127.0.0.1', ok));
        // A site's check is shared for 2 s (the core's Sharing::check_ms): clicks sooner than
        // that get the same answer, and the site one request.
        await sleep(2_500);
        await personClick(tab, await buttonByName(tab.mainFrame(), 'Retry now'));
        await waitInPage(tab, () => document.querySelector('h1')?.textContent === 'Back by hand');
        assert.equal(await href(), failing);
      } finally {
        await tab.close();
        site.closeAllConnections();
        await new Promise((ok) => site.close(ok));
      }
    });

    it("keeps to the visitor's retry limit from the first decision: 0 means no automatic retry", async () => {
      // The visitor sets the limit to 0 in Page Medic's options, as a person does.
      const options = await openExtensionPage(browser, name, 'pages/options.html');
      const field = await options.waitForSelector('#retryLimit');
      await field.click();
      await options.keyboard.down('Control');
      await options.keyboard.press('a');
      await options.keyboard.up('Control');
      await options.keyboard.type('0');
      await personClick(options, await buttonByName(options, 'Save'));
      await waitInPage(options, () => (globalThis.browser ?? globalThis.chrome).storage.sync.get('options')
        .then(({ options: o }) => o?.retryLimit === 0));
      await options.close();
      await upstream.down();
      // A fresh tab (the last test left this one on Page Medic's own page, from which Firefox's
      // driver does not follow a navigation).
      const tab = await browser.newPage();
      try {
        await tab.goto(`${nginx.url}/no-retries`, { waitUntil: 'domcontentloaded' });
        assert.equal((await overlayState(tab)).verdict, 'origin-down');
        const panel = await panelFrame(tab);
        assert.match(await panelText(panel), /stopped trying/);
        assert.equal((await waitForState(tab, 'stopped')).state, 'stopped');
        const before = checks(upstream, '/no-retries');
        await sleep(4000);
        assert.equal(checks(upstream, '/no-retries'), before, 'no check: nothing is retried');
      } finally {
        await tab.close();
        await upstream.up();
      }
    });

    it("leaves the browser's error page in place when the visitor turns replacing off, and reloads nothing", async () => {
      const options = await openExtensionPage(browser, name, 'pages/options.html');
      const box = await options.waitForSelector('#replaceErrorPages');
      assert.equal(await box.evaluate((el) => el.checked), true, 'on until the visitor turns it off');
      await personClick(options, box);
      await personClick(options, await buttonByName(options, 'Save'));
      await waitInPage(options, () => (globalThis.browser ?? globalThis.chrome).storage.sync.get('options')
        .then(({ options: o }) => o?.replaceErrorPages === false));
      // (Left open: in Firefox an extension page opens only by way of Page Medic's own page.)
      const port = await freePort();
      const tab = await browser.newPage();
      try {
        await tab.goto(`http://127.0.0.1:${port}/refused`).catch(() => null); // nothing listens there
        const browsersPage = () => /^(chrome-error:|about:neterror)/.test(document.documentURI);
        await waitInPage(tab, browsersPage);
        await sleep(4000);
        assert.equal(await tab.evaluate(browsersPage), true, "the browser's own error page is still there");
        assert.equal(await tab.evaluate(() => document.querySelectorAll('#page-medic, iframe').length), 0, 'no cover over it');
        // Kept for the toolbar popup, and the core's decision says nothing reloads it.
        const { failures, schedules } = await keptThisSession(browser, name, { from: options });
        const failure = failures.find((f) => f.url.includes(`:${port}/refused`));
        assert.ok(failure, `the failure is kept for the popup: ${JSON.stringify(failures)}`);
        assert.equal(failure.verdict, 'connection-failed', `the browser's error ${failure.error}`);
        assert.equal(failure.retryAuto, false, "the browser's page is not reloaded behind the visitor");
        assert.ok(!schedules.includes(`http://127.0.0.1:${port}`), `no retry schedule for the site: ${schedules}`);
      } finally {
        await tab.close();
        await options.close();
      }
    });
  });
}
