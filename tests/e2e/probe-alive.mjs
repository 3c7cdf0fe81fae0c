import { openSite, closeSite, sleep } from './harness.js';
const name = process.argv[2];
const site = await openSite(name, { nginx: false });
site.upstream.handler = (req, res) => {
  res.writeHead(503, { 'content-type': 'text/html' });
  res.end(req.url.includes('huge') ? `<!doctype html><title>Busy</title><h1>Busy</h1>${'<p>We are very busy.</p>'.repeat(250_000)}` : '<!doctype html><title>Down</title><h1>Bad gateway</h1>');
};
for (const p of ['/huge', '/a', '/huge2']) {
  await site.page.goto(`http://127.0.0.1:${site.upstream.port}${p}`, { waitUntil: 'domcontentloaded' });
  await sleep(4000);
  console.log(p, await site.page.evaluate(() => document.documentElement.dataset.dbg + ' ' + JSON.stringify(document.getElementById('page-medic')?.dataset ?? null)));
}
await closeSite(site);
