import { after, before, describe, it } from 'node:test';
import { BROWSERS, openSite, closeSite, panelText, help, keptThisSession, waitFor, personClick, sleep } from './harness.js';

for (const name of BROWSERS) {
  describe(`get form in ${name}`, () => {
    let site;
    before(async () => {
      site = await openSite(name, { nginx: false });
      site.upstream.handler = (req, res) => {
        if (req.url.startsWith('/search?')) {
          res.writeHead(504, { 'content-type': 'text/html' });
          return res.end('<!doctype html><title>504 Gateway Time-out</title><h1>504 Gateway Time-out</h1>');
        }
        if (req.url.startsWith('/order')) { res.writeHead(303, { location: '/thanks' }); return res.end(); }
        if (req.url.startsWith('/thanks')) { res.writeHead(502, { 'content-type': 'text/html' }); return res.end('<h1>502 Bad Gateway</h1>'); }
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>Find</title><form method="get" action="/search" target="_blank"><input name="q" value="shoes"><button id=s>Search</button></form><form method=post action=/order><button id=o>Order</button></form>');
      };
    });
    after(() => closeSite(site));
    for (const id of ['s', 'o']) it(id, async () => {
      const page = site.page;
      await page.goto(`http://127.0.0.1:${site.upstream.port}/`, { waitUntil: 'load' });
      const before = (await site.browser.pages()).length;
      await personClick(page, await page.$('#' + id));
      await sleep(3000);
      const pages = await site.browser.pages();
      const tab = id === 's' ? pages.find((p) => p.url().includes('/search')) : page;
      console.log(id, before, pages.length, tab?.url());
      const { shown, frame } = await help(tab, 20_000);
      await waitFor(frame, () => document.getElementById('title')?.textContent, { timeout: 10_000 });
      console.log(shown, (await panelText(frame)).replace(/\n+/g, ' | ').slice(0, 500));
      const { failures } = await keptThisSession(site.browser, name);
      console.log(JSON.stringify(failures.map((f) => [f.url, f.retryAuto])));
    });
  });
}
