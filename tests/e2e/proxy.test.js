// A proxy that fails, in both real browsers: the browser's proxy (here a closed port on 127.0.0.1)
// refuses, and Page Medic's diagnosis page says the proxy is at fault, on the network's side, and
// points to the extensions that could have set it. And a real forward proxy (Squid) that answers
// with its own error page because it cannot reach the site: Firefox tells Page Medic the page came
// through its proxy (webRequest's proxyInfo), so the visitor is told their proxy answered, on the
// network's side; Chromium tells an extension no such thing, so there the same page reads as the
// site's gateway's. And a proxy that drops every request unanswered: in Firefox, the network
// error of a load that went through the proxy is the proxy's.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { BROWSERS, closeSite, freePort, help, openSite, panelText, diagnosisShown, waitInPage } from './harness.js';
import { startServer } from '../capture/servers.mjs';

for (const name of BROWSERS) {
  describe(`a failing proxy in ${name}`, () => {
    let site;
    before(async () => { site = await openSite(name, { nginx: false, proxyPort: await freePort() }); });
    after(() => closeSite(site));

    it('says the proxy failed and offers the list of extensions that can set it', async () => {
      const { page } = site;
      // Not loopback, so the browser sends it through its proxy (which refuses: nothing leaves).
      await page.goto('http://192.0.2.1:8/account').catch(() => {});
      const host = await diagnosisShown(page, 'proxy-failure');
      assert.equal(host.side, 'network');
      const text = await page.evaluate(() => document.querySelector('.card').innerText);
      assert.match(text, /proxy/i);
      assert.match(text, /Another extension in this browser may be interfering/);
      await page.locator('::-p-aria([name="Show extensions that can change this site"][role="button"])').setTimeout(5_000).waitHandle();
    });
  });
}

for (const name of BROWSERS) {
  describe(`a forward proxy's own error page in ${name}`, () => {
    let site;
    let squid;
    before(async () => {
      squid = await startServer('squid', await freePort(), {}, 'forward');
      site = await openSite(name, { nginx: false, proxyPort: squid.port });
    });
    after(async () => {
      await closeSite(site);
      await squid?.stop();
    });

    it('names the proxy, and whose it is', async () => {
      const { page } = site;
      // Not loopback, so the browser asks Squid for it; nothing listens there, so Squid answers
      // with its own page (ERR_CONNECT_FAIL).
      await page.goto(`http://192.0.2.1:${await freePort()}/shop/cart`, { waitUntil: 'domcontentloaded' }).catch(() => null);
      const { shown, frame } = await help(page);
      assert.equal(shown, 'overlay');
      // (The overlay's host takes the verdict once the panel has it.)
      await waitInPage(page, () => Boolean(document.getElementById('page-medic')?.dataset.verdict));
      const host = await page.evaluate(() => ({ ...document.getElementById('page-medic').dataset }));
      const text = await panelText(frame);
      const answeredBy = await frame.evaluate(() => [...document.querySelectorAll('#facts dt')]
        .find((dt) => dt.textContent === 'Answered by')?.nextElementSibling.textContent);
      const failedHop = await frame.evaluate(() => document.querySelector('#path li.failed')?.firstChild.textContent);
      if (name === 'firefox') {
        assert.equal(host.verdict, 'proxy-failure');
        assert.equal(host.side, 'network');
        assert.equal(answeredBy, 'Squid (your proxy)');
        assert.equal(failedHop, 'The network (your proxy: Squid) ✕');
        assert.ok(!text.includes("The site's gateway (Squid)"), `the proxy is not called the site's: ${text}`);
      } else {
        assert.equal(host.side, 'site', `Chromium cannot tell its proxy answered: ${JSON.stringify(host)}`);
        assert.equal(answeredBy, "Squid (the site's proxy)");
      }
    });
  });
}

for (const name of BROWSERS) {
  describe(`a proxy that drops every request in ${name}`, () => {
    let site;
    let dropping;
    before(async () => {
      dropping = createServer((socket) => socket.once('data', () => socket.destroy()));
      await new Promise((ok) => dropping.listen(0, '127.0.0.1', ok));
      site = await openSite(name, { nginx: false, proxyPort: dropping.address().port });
    });
    after(async () => {
      await closeSite(site);
      await new Promise((ok) => dropping?.close(ok) ?? ok());
    });

    it("says so in the browser that tells the proxy was used", async () => {
      const { page } = site;
      await page.goto('http://192.0.2.1:8/account').catch(() => {});
      const host = await diagnosisShown(page);
      if (name === 'firefox') {
        assert.equal(host.verdict, 'proxy-failure', JSON.stringify(host));
        assert.equal(host.side, 'network');
      } else {
        // Chromium names the dropped answer (ERR_EMPTY_RESPONSE) and not the proxy it came from.
        assert.equal(host.verdict, 'connection-failed', JSON.stringify(host));
        assert.equal(host.side, 'network');
      }
    });
  });
}
