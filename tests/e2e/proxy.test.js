// A proxy that fails, in both real browsers: the browser's proxy (here a closed port on 127.0.0.1)
// refuses, and Page Medic's diagnosis page says the proxy is at fault, on the network's side, and
// points to the extensions that could have set it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, closeSite, freePort, openSite, waitInPage } from './harness.js';

for (const name of BROWSERS) {
  describe(`a failing proxy in ${name}`, () => {
    let site;
    before(async () => { site = await openSite(name, { nginx: false, proxyPort: await freePort() }); });
    after(() => closeSite(site));

    it('says the proxy failed and offers the list of extensions that can set it', async () => {
      const { page } = site;
      // Not loopback, so the browser sends it through its proxy (which refuses: nothing leaves).
      await page.goto('http://192.0.2.1:8/account').catch(() => {});
      await waitInPage(page, () => document.getElementById('page-medic')?.dataset.verdict === 'proxy-failure'
        && !document.querySelector('.card').hidden);
      const host = await page.evaluate(() => ({ ...document.getElementById('page-medic').dataset }));
      assert.equal(host.side, 'network');
      const text = await page.evaluate(() => document.querySelector('.card').innerText);
      assert.match(text, /proxy/i);
      assert.match(text, /Another extension in this browser may be interfering/);
      await page.locator('::-p-aria([name="Show extensions that can change this site"][role="button"])').setTimeout(5_000).waitHandle();
    });
  });
}
