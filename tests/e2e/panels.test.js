// What the visitor sees and can do beyond Retry, in both real browsers: no false alarms, the
// report for the site's support, the saved copy link, the options, and accessibility (axe-core on
// the overlay, the diagnosis page, the popup and the options page: 0 violations); and network
// errors by their names: a refused connection, a name no resolver knows, a redirect loop.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BROWSERS, axeViolations, buttonByName, freePort, helpShown, newTab, openExtensionPage, overlayState, panelFrame, panelText,
  personClick, waitForState, waitInPage, openSite, closeSite, sleep, checks, waitFor,
} from './harness.js';

const page502 = (req, res) => {
  res.writeHead(502, { 'content-type': 'text/html' });
  res.end('<!doctype html><title>Bad gateway</title><h1>Our own 502 page</h1>');
};

const NOWHERE = 'shop.onion';

for (const name of BROWSERS) {
  describe(`panels in ${name}`, () => {
    let upstream, nginx, browser, page;
    // A name that cannot be found: the browsers go to it directly (not through the test's proxy),
    // and look it up nowhere: Chromium by its resolver's rule, Firefox because it never looks up a
    // .onion name (network.dns.blockDotOnion). Each fails as a name no resolver knows.
    before(async () => ({ upstream, nginx, browser, page } = await openSite(name, {
      chromiumArgs: [`--proxy-bypass-list=${NOWHERE}`, `--host-resolver-rules=MAP ${NOWHERE} ~NOTFOUND`],
      firefoxPrefs: { 'network.proxy.no_proxies_on': NOWHERE },
    })));
    after(() => closeSite({ upstream, nginx, browser }));

    it('raises no false alarms: 404, an excluded 500, a failing subframe, an aborted load', async () => {
      await upstream.up();
      upstream.handler = (req, res) => {
        if (req.url.startsWith('/missing')) {
          res.writeHead(404, { 'content-type': 'text/html' });
          return res.end('<!doctype html><title>Not here</title><h1>Our own 404 page</h1>');
        }
        if (req.url.startsWith('/crash')) {
          res.writeHead(500, { 'content-type': 'text/html' });
          return res.end('<!doctype html><title>Oops</title><h1>Our own 500 page</h1><input id="q" autofocus>');
        }
        if (req.url.startsWith('/widget')) return page502(req, res);
        if (req.url.startsWith('/slow')) return; // never answers
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>Home</title><h1>Home</h1><iframe src="/widget"></iframe>');
      };
      try {
        for (const path of ['/missing', '/crash', '/home-with-failing-frame']) {
          await page.goto(`${nginx.url}${path}`, { waitUntil: 'load' });
          await sleep(1500);
          assert.equal(await page.$('#page-medic'), null, `no overlay on ${path}`);
          for (const frame of page.frames()) {
            assert.equal(await frame.$('#page-medic').catch(() => null), null, `no overlay in a frame of ${path}`);
          }
          if (path === '/crash') {
            // Page Medic held the keyboard while it asked whether to help; letting go, it gives it
            // where the page asked for it.
            assert.equal(await page.evaluate(() => document.activeElement?.id), 'q', 'the page\'s autofocus field has the keyboard');
          }
        }
        // A load the visitor abandons (they go elsewhere) is not a failure.
        await page.evaluate((url) => { location.href = url; }, `${nginx.url}/slow`);
        await sleep(300);
        await page.goto(`${nginx.url}/after`, { waitUntil: 'load' });
        await sleep(1500);
        assert.equal(await page.evaluate(() => document.querySelector('h1')?.textContent), 'Home');
        assert.equal(await page.$('#page-medic'), null);
      } finally {
        upstream.handler = null;
      }
    });

    it('gives a report for the site\'s support and a saved-copy link, with no query string', async () => {
      await upstream.down();
      const failedAt = Date.now();
      await page.goto(`${nginx.url}/orders/77?token=secret#top`, { waitUntil: 'domcontentloaded' });
      const state = await overlayState(page);
      assert.equal(state.verdict, 'origin-down');
      // What the panel shows, once it shows it (each fact's own text, without its Copy button).
      const panel = await helpShown(page);
      const facts = await panel.evaluate(() => Object.fromEntries([...document.querySelectorAll('#facts dt')]
        .map((dt) => [dt.textContent, dt.nextElementSibling.firstChild.textContent])));
      assert.match(facts['Request ID'] ?? '', /^[0-9a-f]{32}$/, JSON.stringify(facts));
      // The report is asked for seconds after the failure: its time is still the failure's.
      await sleep(Math.max(0, failedAt + 2500 - Date.now()));
      await personClick(page, await buttonByName(panel, 'Copy report'));
      await waitFor(panel, () => document.getElementById('report').value.length > 0, { timeout: 10_000 });
      const report = await panel.evaluate(() => document.getElementById('report').value);
      assert.match(report, new RegExp(`Page: ${nginx.url.replaceAll('.', '\\.')}/orders/77\\n`));
      assert.match(report, /Response: 502 Bad Gateway/);
      // The report says what the panel said: the same verdict, gateway and request id.
      assert.match(report, new RegExp(`Page Medic's verdict: ${state.verdict}\\n`));
      assert.match(report, new RegExp(`Generated by: ${(facts['Answered by'] ?? '?').split(' (')[0]}\\n`));
      assert.match(report, new RegExp(`Request IDs: x-request-id: ${facts['Request ID']}\\n`));
      const time = report.match(/Time \(UTC\): (\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT)/)?.[1];
      assert.ok(time, report);
      const at = Date.parse(time);
      assert.ok(at >= failedAt - 1000 && at <= failedAt + 1500, `the report's time ${time} is the failure's (${new Date(failedAt).toISOString()}), not the click's`);
      assert.doesNotMatch(report, /secret|token|#top/);
      assert.ok(await panel.$('::-p-aria([name="Copied"][role="button"])') || /Copied|Select the text/.test(await panelText(panel)));

      const link = await panel.locator('::-p-aria([name="Open a saved copy"][role="link"])').setTimeout(5_000).waitHandle();
      const href = await link.evaluate((a) => a.href);
      assert.equal(href, `https://web.archive.org/web/2/${nginx.url}/orders/77`);
      assert.equal(await link.evaluate((a) => a.rel), 'noopener noreferrer');

      assert.deepEqual(await axeViolations(panel), [], 'axe-core on the overlay panel');
      await page.screenshot({ path: `tests/e2e/artifacts/report-${name}.png` });
    });

    it("offers the core's actions in its order, and says why it thinks so", async () => {
      await upstream.down();
      await page.goto(`${nginx.url}/why`, { waitUntil: 'domcontentloaded' });
      assert.equal((await overlayState(page)).verdict, 'origin-down');
      const panel = await panelFrame(page);
      await waitFor(panel, () => document.activeElement?.textContent === 'Retry now', { timeout: 10_000 });
      // Every control a person can see, in the panel's order: the core's actions for nginx's 502
      // of a page that may be asked for again, the primary one first.
      const controls = await panel.evaluate(() => [...document.querySelectorAll('#actions button, #more button, #more a.button')]
        .filter((e) => e.checkVisibility()).map((e) => e.textContent));
      // (Cancel: the automatic retry's countdown runs.)
      assert.deepEqual(controls, ['Retry now', 'Cancel', 'Dismiss', 'Is it just me?', "Tell me when it's back", 'Copy report', 'Open a saved copy']);
      assert.equal(await panel.$('::-p-aria([name="Show extensions that can change this site"])'), null, 'nothing the core did not offer');
      // Legible from its first frame: the card's rise moves it, and no animation of the panel fades
      // its words in (text at partial opacity is help on screen that no one can read yet).
      const fades = await panel.evaluate(() => [...document.styleSheets].flatMap((sheet) => [...sheet.cssRules])
        .filter((rule) => rule instanceof CSSKeyframesRule)
        .map((rule) => ({ name: rule.name, opacity: [...rule.cssRules].some((frame) => frame.style.opacity !== '') })));
      assert.deepEqual(fades, [{ name: 'rise', opacity: false }]);

      // The evidence, behind its disclosure until the visitor opens it.
      const why = await panel.$('#why-label');
      assert.equal(await panel.evaluate(() => document.getElementById('evidence').checkVisibility()), false);
      await personClick(page, why);
      await waitFor(panel, () => document.getElementById('why').open, { timeout: 5_000 });
      const facts = await panel.evaluate(() => [...document.querySelectorAll('#evidence li')].map((li) => li.textContent));
      assert.ok(facts.includes('The site answered HTTP 502 Bad Gateway'), JSON.stringify(facts));
      assert.ok(facts.includes('The answer was made by nginx'), JSON.stringify(facts));
      assert.ok(facts.some((f) => /^Rule: rfc 9110 §15\.6\.3/.test(f)), JSON.stringify(facts));
    });

    it('follows the options: act on 500, no automatic retry, and passes axe-core', async () => {
      const options = await openExtensionPage(browser, name, 'pages/options.html');
      const statuses = await options.locator('::-p-aria([name="HTTP statuses to act on"][role="textbox"])').setTimeout(5_000).waitHandle();
      await personClick(options, statuses);
      await options.keyboard.down('Control');
      await options.keyboard.press('KeyA');
      await options.keyboard.up('Control');
      await options.keyboard.type('500, 502');
      assert.equal(await statuses.evaluate((i) => i.value), '500, 502');
      const auto = await options.locator('::-p-aria([name="Retry failed pages automatically (never form submissions)"][role="checkbox"])').waitHandle();
      await personClick(options, auto);
      await personClick(options, await buttonByName(options, 'Save'));
      await waitFor(options, () => document.getElementById('saved').textContent === 'Saved.');
      assert.deepEqual(await axeViolations(options), [], 'axe-core on the options page');

      try {
        await upstream.up();
        upstream.handler = (req, res) => {
          res.writeHead(500, { 'content-type': 'text/html' });
          res.end('<!doctype html><title>Oops</title><h1>Our own 500 page</h1>');
        };
        await page.bringToFront();
        const response = await page.goto(`${nginx.url}/crash-now`, { waitUntil: 'domcontentloaded' });
        assert.equal(response.status(), 500);
        const state = await overlayState(page).catch(async (error) => {
          throw new Error(`${error.message}; page: ${await page.evaluate(() => document.body?.innerText).catch((e) => e.message)}; requests: ${JSON.stringify(upstream.requests.slice(-3))}`);
        });
        assert.equal(state.verdict, 'server-error');
        await waitForState(page, 'stopped');
        const panel = await panelFrame(page);
        assert.match(await panelText(panel), /Automatic retry is off in Page Medic's options/);
      } finally {
        upstream.handler = null;
        await options.bringToFront();
        await options.evaluate(() => (globalThis.browser ?? globalThis.chrome).storage.sync.remove('options'));
        await options.close();
      }
    });

    it('leaves a site the visitor listed alone (no cover, no request, no record), and helps it once it is off the list', async () => {
      const options = await openExtensionPage(browser, name, 'pages/options.html');
      const sites = await options.locator('::-p-aria([name="Sites to leave alone"][role="textbox"])').setTimeout(5_000).waitHandle();
      await personClick(options, sites);
      await options.keyboard.type('127.0.0.1');
      await personClick(options, await buttonByName(options, 'Save'));
      await waitFor(options, () => document.getElementById('saved').textContent === 'Saved.');
      const recordOf = (u) => options.evaluate(async (u) => {
        const api = globalThis.browser ?? globalThis.chrome;
        return Object.values(await api.storage.session.get(null)).find((f) => f?.url === u) ?? null;
      }, u);
      try {
        await upstream.up();
        upstream.handler = page502;
        const url = `${nginx.url}/left-alone`;
        await page.bringToFront();
        const response = await page.goto(url, { waitUntil: 'load' });
        assert.equal(response.status(), 502);
        // A server error is covered at document_start; the core's no takes the cover away.
        await waitInPage(page, () => !document.getElementById('page-medic'));
        assert.equal(await page.evaluate(() => document.querySelector('h1')?.textContent), 'Our own 502 page');
        assert.equal(checks(upstream, '/left-alone'), 0, 'nothing was asked of the site');
        assert.equal(await recordOf(url), null, 'no failure kept');

        // The same page, the site off the list: help (so the page above was left alone by choice).
        await options.bringToFront();
        await options.evaluate(() => (globalThis.browser ?? globalThis.chrome).storage.sync.remove('options'));
        await page.bringToFront();
        const helped = `${nginx.url}/left-alone-no-more`;
        await page.goto(helped, { waitUntil: 'domcontentloaded' });
        assert.ok((await overlayState(page)).verdict, 'the overlay names a verdict');
        await waitFor(options, async (u) => {
          const api = globalThis.browser ?? globalThis.chrome;
          return Object.values(await api.storage.session.get(null)).some((f) => f?.url === u);
        }, { timeout: 10_000, polling: 100 }, helped);
      } finally {
        upstream.handler = null;
        await options.evaluate(() => (globalThis.browser ?? globalThis.chrome).storage.sync.remove('options'));
        await options.close();
      }
    });

    it("leaves the browser's own error page when the visitor asks, and keeps the failure for the popup", async () => {
      const options = await openExtensionPage(browser, name, 'pages/options.html');
      const replace = await options.locator(`::-p-aria([name="Replace the browser's network error pages with Page Medic's diagnosis"][role="checkbox"])`).setTimeout(5_000).waitHandle();
      assert.equal(await replace.evaluate((box) => box.checked), true, 'on by default');
      await personClick(options, replace);
      await personClick(options, await buttonByName(options, 'Save'));
      await waitFor(options, () => document.getElementById('saved').textContent === 'Saved.');
      try {
        const url = `http://127.0.0.1:${await freePort()}/refused`;
        await page.bringToFront();
        await page.goto(url).catch(() => null); // the browser's own error page
        // The failure's record says which way Page Medic went (it marks a replaced page before
        // replacing it), so the test waits for the record, not for time.
        const record = async () => options.evaluate(async (u) => {
          const api = globalThis.browser ?? globalThis.chrome;
          return Object.values(await api.storage.session.get(null)).find((f) => f?.url === u) ?? null;
        }, url);
        const deadline = Date.now() + 15_000;
        let failure = null;
        while (!(failure = await record()) && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 200));
        if (!failure) {
          // What there was instead, for whoever reads a failure of this test.
          const stored = await options.evaluate(async () => Object.keys(await (globalThis.browser ?? globalThis.chrome).storage.session.get(null)));
          const where = await page.evaluate(() => location.href).catch((e) => e.message);
          assert.fail(`the failure is not kept for the toolbar popup; storage.session holds ${JSON.stringify(stored)}; the tab shows ${where}`);
        }
        assert.equal(failure.diagnosis.verdict, 'connection-failed');
        assert.equal(failure.shownDiagnosisPage, false, "Page Medic's page did not take the browser's place");
        assert.doesNotMatch(await page.evaluate(() => location.href).catch(() => url), /-extension:\/\//);
      } finally {
        await options.evaluate(() => (globalThis.browser ?? globalThis.chrome).storage.sync.remove('options'));
        await options.close();
      }
    });

    it("a refused connection's page shows the browser's error by a name a person can look up", async () => {
      const tab = await newTab(browser);
      try {
        await tab.goto(`http://127.0.0.1:${await freePort()}/`).catch(() => {});
        await waitInPage(tab, () => document.getElementById('page-medic')?.dataset.verdict === 'connection-failed');
        const text = await panelText(tab.mainFrame());
        // Firefox's webNavigation gives a number only; its webRequest names the same failure.
        const error = name === 'firefox' ? 'NS_ERROR_CONNECTION_REFUSED (Error code 2152398861)' : 'net::ERR_CONNECTION_REFUSED';
        assert.ok(text.includes(error), `the panel says:\n${text}`);
        // Why Page Medic thinks so says the same.
        const panel = tab.mainFrame();
        await personClick(tab, await panel.$('#why-label'));
        await waitFor(panel, () => document.getElementById('why').open, { timeout: 5_000 });
        const facts = await panel.evaluate(() => [...document.querySelectorAll('#evidence li')].map((li) => li.textContent));
        assert.ok(facts.includes(`The browser reported ${error}`), JSON.stringify(facts));
      } finally {
        await tab.close();
      }
    });

    it("a name that cannot be found is told as the site's address, its error named, and retried by itself", async () => {
      const tab = await newTab(browser);
      try {
        await tab.goto(`http://${NOWHERE}/cart`).catch(() => {});
        await waitInPage(tab, () => document.getElementById('page-medic')?.dataset.verdict === 'dns-failure');
        const text = await panelText(tab.mainFrame());
        assert.match(text, /The site's address could not be found/);
        assert.match(text, /Side: the network between you and the site/);
        const error = name === 'firefox' ? 'NS_ERROR_UNKNOWN_HOST (Error code 2152398878)' : 'net::ERR_NAME_NOT_RESOLVED';
        assert.ok(text.includes(error), `the panel says:\n${text}`);
        // A name may come back (a resolver's outage, a network that changed): Page Medic tries again.
        await waitFor(tab.mainFrame(), () => /Trying again in \d+ s/.test(document.getElementById('retry-status').textContent), { timeout: 10_000 });
      } finally {
        await tab.close();
      }
    });

    it('a site that sends the browser round in circles is told as its stored data, which the visitor can clear', async () => {
      // A login loop, as a stale cookie makes one: the site redirects between two addresses.
      upstream.handler = (req, res) => {
        res.writeHead(302, { location: req.url.startsWith('/account') ? '/login' : '/account' });
        res.end();
      };
      const tab = await newTab(browser);
      try {
        await tab.goto(`${nginx.url}/account`).catch(() => {});
        await waitInPage(tab, () => document.getElementById('page-medic')?.dataset.verdict === 'stale-site-data');
        const text = await panelText(tab.mainFrame());
        assert.match(text, /This site's stored data is in the way/);
        assert.match(text, /Side: this browser/);
        const error = name === 'firefox' ? 'NS_ERROR_REDIRECT_LOOP' : 'net::ERR_TOO_MANY_REDIRECTS';
        assert.ok(text.includes(error), `the panel says:\n${text}`);
        // What clears it comes first (site-data.test.js clears a site's data to the end).
        const first = await tab.mainFrame().evaluate(() => document.querySelector('#actions button')?.textContent);
        assert.equal(first, "Clear this site's data…");
        await personClick(tab, await buttonByName(tab.mainFrame(), "Clear this site's data…"));
        await waitFor(tab.mainFrame(), () => document.getElementById('clear').checkVisibility(), { timeout: 5_000 });
        assert.match(await panelText(tab.mainFrame()), /clears what this browser keeps for 127\.0\.0\.1 only/);
      } finally {
        upstream.handler = null;
        await tab.close();
      }
    });

    it('diagnosis page and popup pass axe-core', async () => {
      const port = await freePort();
      await page.bringToFront();
      await page.goto(`http://127.0.0.1:${port}/`).catch(() => {});
      // axe-core only once the diagnosis page is what a person sees.
      await waitInPage(page, () => document.getElementById('page-medic')?.dataset.verdict === 'connection-failed');
      assert.ok(await page.evaluate(() => !document.querySelector('.card').hidden), 'the diagnosis page shows its help');
      assert.deepEqual(await axeViolations(page), [], 'axe-core on the diagnosis page');
      await page.screenshot({ path: `tests/e2e/artifacts/diagnosis-${name}.png` });

      const popup = await openExtensionPage(browser, name, 'pages/popup.html');
      await waitFor(popup, () => document.getElementById('title').textContent.length > 0);
      assert.deepEqual(await axeViolations(popup), [], 'axe-core on the popup');
      await popup.close();
    });
  });
}
