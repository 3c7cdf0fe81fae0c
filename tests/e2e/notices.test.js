// What no error page says by itself, told by Page Medic in both real browsers behind a real nginx:
// planned maintenance with the time the site expects to be back (from its Retry-After, in the
// visitor's own zone) and a countdown that aims there; a Retry-After that names a time already
// past; an error a caching proxy kept, named as such, with the next check held until the
// cached copy expires; and a provider's own trouble, told from failures on unrelated sites that
// the same CDN answered (this browser's own history only).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import {
  BROWSERS, buttonByName, checks, closeSite, extensionReady, flapping, launch, openExtensionPage, openSite, overlayState, panelFrame,
  panelText, personClick, sleep, startNginx, statusPage, waitForState, waitFor, until, afterCountdown,
} from './harness.js';

const MAINTENANCE_PAGE = '<!doctype html><title>Service Unavailable</title><h1>Service Unavailable</h1><p>Please come back later.</p>';

/**
 * `ms` as the visitor's clock may show it, in this machine's zone: "15:25" on a 24-hour clock,
 * "03:25 PM" or "3:25 PM" on a 12-hour one (which one depends on the browser's locale, which
 * follows the machine's environment).
 */
const clock = (ms) => {
  const d = new Date(ms);
  const mm = String(d.getMinutes()).padStart(2, '0');
  const h12 = d.getHours() % 12 || 12;
  return new RegExp(`(^|\\D)(${String(d.getHours()).padStart(2, '0')}:${mm}(?!\\s?[AP]M)|0?${h12}:${mm}\\s?${d.getHours() < 12 ? 'AM' : 'PM'})`);
};

for (const name of BROWSERS) {
  describe(`what no error page says, in ${name}`, () => {
    let site;
    before(async () => { site = await openSite(name); });
    after(() => closeSite(site));

    it('planned maintenance says when the site expects to be back, and the countdown aims there', async () => {
      const { upstream, nginx, page } = site;
      // Two and a half minutes from now, as an HTTP date (whole seconds).
      const back = Math.ceil((Date.now() + 150_000) / 1000) * 1000;
      upstream.handler = (req, res) => {
        res.writeHead(503, { 'content-type': 'text/html', 'retry-after': new Date(back).toUTCString() });
        res.end(MAINTENANCE_PAGE);
      };
      try {
        const asked = Date.now();
        await page.goto(`${nginx.url}/maintenance`, { waitUntil: 'domcontentloaded' });
        assert.equal((await overlayState(page)).verdict, 'site-unavailable');
        const waiting = await waitForState(page, 'waiting');
        // The countdown's time left was written at some moment between the page's request and this
        // read, so the retry it aims at is `asked + left` at the earliest and `read + left` at the
        // latest: no more than 5 s before the site's time, nor 1 s after it.
        const read = Date.now();
        const left = Number(waiting.nextRetryMs);
        assert.ok(read + left > back - 5_000 && asked + left <= back + 1_000,
          `the next retry is ${asked + left - back}..${read + left - back} ms from the time the site gave`);
        const text = await panelText(await panelFrame(page));
        assert.match(text, /Planned maintenance — expected back at /);
        assert.match(text, clock(back), `the time the site gave, on the visitor's clock (${clock(back)}), is shown`);
        // The report for the site's support says it too, with the time as an HTTP date.
        const panel = await panelFrame(page);
        await personClick(page, await buttonByName(panel, 'Copy report'));
        await waitFor(panel, () => document.getElementById('report').value.length > 0, { timeout: 10_000 });
        const report = await panel.evaluate(() => document.getElementById('report').value);
        assert.ok(report.includes(`Also seen: planned maintenance (${new Date(back).toUTCString()})`), report);
        await sleep(2_000);
        assert.equal(checks(upstream, '/maintenance'), 0, 'nothing is asked of the site before then');
      } finally {
        upstream.handler = null;
      }
    });

    it('a Retry-After already past is said, and Page Medic keeps to its own schedule', async () => {
      const { upstream, page } = site;
      // A site of its own (another origin): the maintenance above set its site's schedule.
      const nginx = await startNginx(upstream.port);
      upstream.handler = (req, res) => {
        res.writeHead(503, { 'content-type': 'text/html', 'retry-after': 'Sun, 06 Nov 1994 08:49:37 GMT' });
        res.end(MAINTENANCE_PAGE);
      };
      try {
        await page.goto(`${nginx.url}/past`, { waitUntil: 'domcontentloaded' });
        assert.equal((await overlayState(page)).verdict, 'site-unavailable');
        const waiting = await waitForState(page, 'waiting');
        // The policy's first step (10-30 s), neither at once nor never.
        assert.ok(Number(waiting.nextRetryMs) >= 8_000 && Number(waiting.nextRetryMs) <= 30_000, `next retry in ${waiting.nextRetryMs} ms`);
        const text = await panelText(await panelFrame(page));
        assert.match(text, /a time that has already passed/);
        assert.match(text, /Planned maintenance: the site says it is down on purpose/);
        assert.doesNotMatch(text, /expected back at/);
      } finally {
        upstream.handler = null;
        await nginx.stop();
      }
    });

    it('a Retry-After days away is said, and Page Medic neither counts down to it nor asks the site meanwhile', async () => {
      const { upstream, page } = site;
      const nginx = await startNginx(upstream.port);
      upstream.handler = (req, res) => {
        res.writeHead(503, { 'content-type': 'text/html', 'retry-after': String(3 * 86_400) });
        res.end(MAINTENANCE_PAGE);
      };
      try {
        await page.goto(`${nginx.url}/far`, { waitUntil: 'domcontentloaded' });
        assert.equal((await overlayState(page)).verdict, 'site-unavailable');
        const panel = await panelFrame(page);
        await waitForState(page, 'stopped');
        const text = await panelText(panel);
        assert.match(text, /The site asks to be left alone for 3 days — longer than Page Medic waits by itself/);
        assert.doesNotMatch(text, /expected back at/, 'three days away is no time to expect it back');
        assert.ok(await buttonByName(panel, "Tell me when it's back"), 'the watch is offered instead');
        await sleep(2_000);
        assert.equal((await page.$eval('#page-medic', (el) => el.dataset.state)), 'stopped', 'no countdown started meanwhile');
        assert.equal(checks(upstream, '/far'), 0, 'and nothing was asked of the site');
      } finally {
        upstream.handler = null;
        await nginx.stop();
      }
    });

    it('an error a caching proxy kept is named, and the next check waits until its copy expires', async () => {
      const { upstream, browser } = site;
      const cdn = await startNginx(upstream.port, { cache: 40 });
      const page = await browser.newPage();
      try {
        upstream.handler = (req, res) => {
          res.writeHead(503, { 'content-type': 'text/html', 'cache-control': 'public, max-age=45' });
          res.end('<!doctype html><title>Busy</title><h1>Busy</h1><p>Too many visitors.</p>');
        };
        // Someone else's visit puts the error in the proxy's cache; the visitor then gets the copy.
        const first = await fetch(`${cdn.url}/cached`);
        assert.equal(first.headers.get('x-cache-status'), 'MISS');
        // (The browser's own favicon request is no one's business here.)
        const asked = () => upstream.requests.filter((r) => r.url === '/cached').length;
        assert.equal(asked(), 1);
        await page.goto(`${cdn.url}/cached`, { waitUntil: 'domcontentloaded' });
        assert.equal(asked(), 1, 'the visitor was answered from the cache');
        assert.equal((await overlayState(page)).verdict, 'site-unavailable');
        const waiting = await waitForState(page, 'waiting');
        assert.ok(Number(waiting.nextRetryMs) > 40_000, `the copy is fresh for 45 s, but the next check is in ${waiting.nextRetryMs} ms`);
        const text = await panelText(await panelFrame(page));
        assert.match(text, /This error page came from a cache \(x-cache-status: HIT\)/);
        assert.match(text, /in 4\d seconds/);
        // The site recovers meanwhile; the cache still answers with its copy, and nobody asks it.
        upstream.handler = null;
        await sleep(3_000);
        assert.equal(asked(), 1, 'nothing asked before the copy expires');
        assert.equal(cdn.accessLog().filter((r) => r.path === '/cached').length, 2, 'nor of the cache');
      } finally {
        upstream.handler = null;
        await page.close();
        await cdn.stop();
      }
    });
  });
}

/**
 * A CDN edge in trouble, on 127.0.0.1: every site it fronts gets the 502 Cloudflare's edge sends
 * when it cannot reach a site's server (its headers, its branded page and a Ray ID from the FRA
 * data centre), whatever the site.
 */
async function troubledEdge() {
  const server = createServer((req, res) => {
    const ray = `8a1b2c3d4e5f${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')}-FRA`;
    res.writeHead(502, { 'content-type': 'text/html; charset=UTF-8', server: 'cloudflare', 'cf-ray': ray, 'cache-control': 'no-store' });
    res.end(`<!DOCTYPE html><html><head><title>${req.headers.host} | 502: Bad gateway</title></head><body>
      <h1>Bad gateway <span>Error code 502</span></h1><p>The web server reported a bad gateway error.</p>
      <p>Cloudflare Ray ID: <strong>${ray}</strong></p></body></html>`);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { port: server.address().port, stop: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }) };
}

// Three unrelated sites by name, all resolved to 127.0.0.1 by the browser itself (no request
// for a name leaves it) and kept off the recording proxy.
const SITES = ['shop.test', 'news.test', 'blog.test', 'status.shop.test', 'www.shop.test'];
const NAMES = {
  chromiumArgs: ['--host-resolver-rules=MAP *.test 127.0.0.1', '--proxy-bypass-list=*.test'],
  firefoxPrefs: { 'network.dns.localDomains': SITES.join(','), 'network.proxy.no_proxies_on': '.test' },
};

for (const name of BROWSERS) {
  describe(`a provider's own trouble, in ${name}`, () => {
    let edge;
    let browser;
    before(async () => {
      edge = await troubledEdge();
      browser = await launch(name, NAMES);
      await extensionReady(browser, name);
    });
    after(async () => {
      await browser?.close();
      await edge?.stop();
    });

    it('three unrelated sites failing through one CDN within minutes name the CDN, not each site', async () => {
      const options = await openExtensionPage(browser, name, 'pages/options.html');
      const recorded = () => options.evaluate(async () => ((await (globalThis.browser ?? globalThis.chrome).storage.local.get('incidents')).incidents ?? []).length);
      const page = await browser.newPage();
      const before = await recorded();
      try {
        const three = SITES.slice(0, 3);
        for (const [i, site] of three.entries()) {
          await page.bringToFront();
          await page.goto(`http://${site}:${edge.port}/`, { waitUntil: 'domcontentloaded' });
          const state = await overlayState(page);
          assert.equal(state.side, 'site', `${site}: ${JSON.stringify(state)}`);
          const text = await panelText(await panelFrame(page));
          assert.match(text, /Cloudflare/, `${site}: the gateway is named`);
          if (i < three.length - 1) {
            assert.doesNotMatch(text, /itself seems to be having trouble/, `${site}: ${i + 1} site(s) are no provider's trouble`);
            // The next site's diagnosis reads the history: wait until this failure is in it.
            await until(async () => (await recorded()) >= before + i + 1, `${site}: the failure is in the local history`);
            assert.equal(await recorded(), before + i + 1, `${site}: the failure is in the local history once`);
          } else {
            assert.match(text, /Cloudflare itself seems to be having trouble: 3 sites failed through it in this browser in the last 5 minutes \(its data centre FRA answered\)/);
          }
        }
      } finally {
        await page.close();
        await options.close();
      }
    });
  });
}

for (const name of BROWSERS) {
  describe(`a flapping site, in ${name}`, () => {
    let site;
    before(async () => { site = await openSite(name); });
    after(() => closeSite(site));

    it('one answer between failures reloads only the tab that asked, never every tab of the site', async () => {
      const { browser, upstream, nginx, page } = site;
      // The site fails, answers exactly one request (Page Medic's first check), and fails again.
      const flap = flapping('/flap/');
      upstream.handler = flap.handler;
      const other = await browser.newPage();
      try {
        await other.goto(`${nginx.url}/flap/other`, { waitUntil: 'domcontentloaded' });
        assert.equal((await overlayState(other)).verdict, 'origin-down');
        await page.bringToFront();
        await page.goto(`${nginx.url}/flap/front`, { waitUntil: 'domcontentloaded' });
        assert.equal((await overlayState(page)).verdict, 'origin-down');
        const navigations = (path) => upstream.requests.filter((r) => r.url === path && r.mode === 'navigate').length;
        const waiting = await waitForState(page, 'waiting');
        // The front tab's countdown ends, the check finds the site answering: that tab loads again
        // (and meets the error again, the site being down once more).
        await until(() => navigations('/flap/front') >= 2, 'the tab that asked loaded again', { timeout: afterCountdown(waiting), every: 200 });
        assert.equal(navigations('/flap/front'), 2, 'the tab that asked loaded again, once');
        assert.ok(flap.answered(), 'after the one check that found the site answering');
        // Its page failed again: the answer was a flap. Past the time a confirmation would have
        // come (the core's 10 s), the other tab is where it was, with Page Medic's help, and was
        // not pulled into the error.
        assert.equal((await overlayState(page)).verdict, 'origin-down', 'the tab that asked has help again');
        await sleep(12_000);
        assert.equal(navigations('/flap/other'), 1, 'the other tab was not reloaded on a flap');
        assert.equal((await overlayState(other)).verdict, 'origin-down', 'and still has its help');
      } finally {
        upstream.handler = null;
        await other.close();
      }
    });
  });
}

for (const name of BROWSERS) {
  describe(`the site's status page, in ${name}`, () => {
    let upstream;
    let nginx;
    let browser;
    let linked;
    let guessed;
    let inBody;
    before(async () => {
      // One the site names in a Link header (plain HTTP, on a port of its own), and one at
      // status.<site> over HTTPS on the standard port, where visitors look for one without a
      // link (the test runs as root in a network namespace of its own: port 443 is free there).
      linked = await statusPage({
        page: { id: 'x', name: 'Shop', url: 'http://status.shop.test' },
        status: { indicator: 'major', description: 'Partial System Outage' },
        incidents: [{ name: 'Checkout errors', status: 'investigating', impact: 'major', created_at: new Date().toISOString() }],
        scheduled_maintenances: [],
      });
      guessed = await statusPage({
        page: { id: 'x', name: 'Shop', url: 'https://status.shop.test' },
        status: { indicator: 'none', description: 'All Systems Operational' },
        incidents: [],
        scheduled_maintenances: [{ name: 'Database upgrade', status: 'in_progress', scheduled_for: new Date(Date.now() - 600_000).toISOString(), scheduled_until: new Date(Date.now() + 3_600_000).toISOString() }],
      }, { port: 443 });
      inBody = await statusPage({
        page: { id: 'x', name: 'Shop API', url: 'http://status.shop.test' },
        status: { indicator: 'minor', description: 'Degraded Performance' },
        incidents: [{ name: 'Slow checkout API', status: 'identified', impact: 'minor', created_at: new Date().toISOString() }],
        scheduled_maintenances: [],
      });
      ({ upstream, nginx, browser } = await openSite(name, { ...NAMES, https: true, newPage: false }));
    });
    after(async () => {
      await closeSite({ upstream, nginx, browser });
      await linked?.stop();
      await guessed?.stop();
      await inBody?.stop();
    });

    /** The site fails with `status` (and a Link header, if given; and a body of its own); its page's panel. */
    async function failing(status, link, path, [type, body] = ['text/html', '<!doctype html><title>Down</title><h1>Checkout is down</h1>']) {
      upstream.handler = (req, res) => {
        res.writeHead(status, { 'content-type': type, ...(link ? { link } : {}) });
        res.end(body);
      };
      const page = await browser.newPage();
      await page.goto(`https://www.shop.test:${nginx.port}${path}`, { waitUntil: 'domcontentloaded' });
      assert.equal((await overlayState(page)).side, 'site');
      return { page, panel: await panelFrame(page) };
    }

    /** Presses "Check the site's status page" and waits for what it says. */
    async function check(page, panel, said = /^(?!Asking)./) {
      await personClick(page, await buttonByName(panel, "Check the site's status page"));
      await waitFor(panel, (re) => new RegExp(re).test(document.getElementById('status-page-summary')?.textContent ?? ''), { timeout: 20_000 }, said.source);
      return panelText(panel);
    }

    it('is asked only on the click, where the site\'s Link says, and says what it reports', async () => {
      const { page, panel } = await failing(502, `<http://status.shop.test:${linked.port}/>; rel="status"`, '/checkout?cart=7');
      await sleep(1_000);
      assert.equal(linked.requests.length + guessed.requests.length, 0, 'nothing is asked of a status page before the click');
      const text = await check(page, panel);
      const host = `status.shop.test:${linked.port}`;
      assert.ok(text.includes(`The status page (${host}) reports a major outage. (“Partial System Outage”)`), text);
      assert.match(text, /Incident: Checkout errors — investigating, since /);
      assert.ok(await panel.$(`::-p-aria([name="Open the status page (${host})"][role="link"])`), 'a link to the status page itself');
      assert.deepEqual(linked.requests.map((r) => r.url), ['/api/v2/summary.json'], 'one request, for the summary');
      assert.equal(linked.requests[0].cookie, null, 'without cookies');
      assert.equal(guessed.requests.length, 0, 'the site named its status page: no other is asked');

      // The status page goes away: said plainly.
      await linked.stop();
      await check(page, panel, /could not be reached/);
      await page.close();
    });

    it('is looked for at https://status.<site>/ where the site names none', async () => {
      const { page, panel } = await failing(503, null, '/busy');
      const text = await check(page, panel);
      assert.ok(text.includes('The status page (status.shop.test) says all systems are operational: it may not know yet. (“All Systems Operational”)'), text);
      assert.match(text, /Maintenance: Database upgrade — from .+ to .+/);
      assert.deepEqual(guessed.requests.map((r) => [r.host, r.url]), [['status.shop.test', '/api/v2/summary.json']]);
      await page.close();
    });

    it('is the one the error page links to, in a JSON error too, and never another site\'s', async () => {
      const asked = guessed.requests.length;
      const body = JSON.stringify({
        error: 'upstream unavailable',
        help: 'https://help.example.net/status',
        status_page: `http://status.shop.test:${inBody.port}/?from=api`,
      });
      const { page, panel } = await failing(503, null, '/api/cart', ['application/json', body]);
      await sleep(1_000);
      assert.equal(inBody.requests.length, 0, 'nothing is asked before the click');
      const text = await check(page, panel);
      const host = `status.shop.test:${inBody.port}`;
      assert.ok(text.includes(`The status page (${host}) reports a minor problem. (“Degraded Performance”)`), text);
      assert.match(text, /Incident: Slow checkout API — identified, since /);
      assert.deepEqual(inBody.requests.map((r) => r.url), ['/api/v2/summary.json'], 'the linked page\'s summary, once');
      assert.equal(guessed.requests.length, asked, 'the page named its status page: status.<site> is not asked');
      await page.close();
    });
  });
}
