// Real gateways besides nginx, in both real browsers: each stands in front of a site whose server
// refuses connections and answers the visitor in its own way — HAProxy a 503 page without a
// Server header, Apache mod_proxy a 503, Varnish its "Backend fetch failed" 503 with a request id
// (X-Varnish), Squid and Apache Traffic Server their own 502 pages, lighttpd a 503 template that
// opens with an XML declaration (which the browser's HTML parser turns into a comment), H2O a
// plain-text 502 ("connection failed"), nghttpx its own 502 page, Caddy an
// empty 502, which Chromium replaces with its own error page (so Page Medic's diagnosis page takes
// its place) while Firefox shows the blank answer (so the overlay goes over it). In every case the
// visitor is told the site's server is down, on the site's side, and which gateway said so. The
// servers are the capture rig's (tests/capture/servers.mjs). And Varnish as a cache: a 503 the site
// let it keep is named as the cache's copy by its `Age` alone, and the next check waits for it to expire.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, closeSite, freePort, help, openSite, panelText, sleep, waitForState } from './harness.js';
import { SERVERS, startServer } from '../capture/servers.mjs';

const CASES = [
  { server: 'haproxy', status: 503 },
  { server: 'apache', status: 503 },
  { server: 'varnish', status: 503, requestId: /^\d+$/ },
  { server: 'caddy', status: 502, chromiumShows: 'diagnosis page' },
  { server: 'squid', status: 502 },
  { server: 'lighttpd', status: 503 },
  { server: 'trafficserver', status: 502 },
  { server: 'h2o', status: 502 },
  { server: 'nghttpx', status: 502 },
];

for (const name of BROWSERS) {
  describe(`real gateways in ${name}`, () => {
    let site;
    before(async () => { site = await openSite(name, { nginx: false }); });
    after(() => closeSite(site));

    for (const { server, status, requestId, chromiumShows = 'overlay' } of CASES) {
      const gateway = SERVERS[server].gateway;
      it(`${gateway}'s ${status} for a refused site: the site's server is down, ${gateway} named`, async () => {
        const refused = await freePort(); // nothing listens there
        const running = await startServer(server, await freePort(), { site: refused });
        try {
          const url = `http://127.0.0.1:${running.port}/site/shop/cart`;
          // (In Chromium, Caddy's empty answer ends on the browser's own error page: no response.)
          await site.page.goto(url, { waitUntil: 'domcontentloaded' }).catch(() => null);
          const { shown, frame } = await help(site.page);
          assert.equal(shown, name === 'chromium' ? chromiumShows : 'overlay');
          const text = await panelText(frame);
          assert.match(text, /The site's server is not answering/);
          assert.match(text, /This is a problem on the site's side, not yours/);
          assert.ok(text.includes(`The site's gateway (${gateway})`), `the gateway is named: ${text}`);
          assert.ok(text.includes(`HTTP ${status}`), `${gateway}'s status is shown: ${text}`);
          if (requestId) {
            const id = await frame.evaluate(() => [...document.querySelectorAll('#facts dt')]
              .find((dt) => dt.textContent === 'Request ID')?.nextElementSibling.firstChild.textContent);
            assert.match(id ?? '', requestId, 'the request id from X-Varnish is shown');
          }
        } finally {
          await running.stop();
        }
      });
    }

    it("Varnish keeping a 503 the site let it keep: named as a cache's copy by its Age, and the next check waits for it to expire", async () => {
      const { upstream, page } = site;
      upstream.handler = (req, res) => {
        res.writeHead(503, { 'content-type': 'text/html', 'cache-control': 'public, max-age=45' });
        res.end('<!doctype html><title>Busy</title><h1>Busy</h1><p>Too many visitors right now.</p>');
      };
      const cache = await startServer('varnish', await freePort(), { site: upstream.port }, 'cache');
      try {
        const url = `http://127.0.0.1:${cache.port}/site/busy`;
        // Someone else's visit puts the error in the cache; two seconds later the visitor gets its copy.
        assert.equal((await fetch(url)).status, 503);
        const asked = () => upstream.requests.filter((r) => r.url === '/busy').length;
        assert.equal(asked(), 1);
        await sleep(2_000);
        await page.goto(url, { waitUntil: 'domcontentloaded' });
        assert.equal(asked(), 1, 'the visitor was answered from the cache');
        const { frame } = await help(page);
        const text = await panelText(frame);
        const age = /This error page came from a cache \(age: (\d+)\)/.exec(text);
        assert.ok(age && Number(age[1]) >= 2, `named as the cache's copy by its Age alone: ${text}`);
        const waiting = await waitForState(page, 'waiting');
        assert.ok(Number(waiting.nextRetryMs) > 30_000, `the copy is fresh for ${45 - Number(age[1])} s more, but the next check is in ${waiting.nextRetryMs} ms`);
        await sleep(2_000);
        assert.equal(asked(), 1, 'nothing was asked of the site meanwhile');
      } finally {
        upstream.handler = null;
        await cache.stop();
      }
    });
  });
}
