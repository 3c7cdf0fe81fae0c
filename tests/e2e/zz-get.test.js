import { after, before, describe, it } from 'node:test';
import { BROWSERS, openSite, closeSite, panelText, help, keptThisSession, waitFor, personClick } from './harness.js';

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
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>Find</title><form method="get" action="/search"><input name="q" value="shoes"><button>Search</button></form>');
      };
    });
    after(() => closeSite(site));
    it('search', async () => {
      const page = site.page;
      await page.goto(`http://127.0.0.1:${site.upstream.port}/`, { waitUntil: 'load' });
      await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), personClick(page, await page.$('button'))]);
      const { shown, frame } = await help(page, 20_000);
      await waitFor(frame, () => document.getElementById('title')?.textContent, { timeout: 10_000 });
      console.log(shown, (await panelText(frame)).replace(/\n+/g, ' | '));
      const { failures } = await keptThisSession(site.browser, name);
      console.log(JSON.stringify(failures.map((f) => [f.url, f.retryAuto, f.form])));
    });
  });
}
