// The diagnosis handed to the panel without a message (background/handover.js), in both real
// browsers. In Firefox the background is a page, and a diagnosis finished before its panel's
// script starts is found there at once; in Chromium (a service worker, no localStorage) the
// panel always asks. Either way the panel shows the same help, and nothing is left behind in the
// extension's storage, with or without the failed address's query string.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BROWSERS, closeSite, openExtensionPage, openSite, overlayState, panelFrame, panelText, waitFor, waitForState,
} from './harness.js';

/** How the panel came by its diagnosis: { handedOver } from its `page-medic-answer` mark. */
const answerOf = (panel) => waitFor(panel, () => performance.getEntriesByName('page-medic-answer')[0]?.detail ?? null, { timeout: 10_000 });

for (const name of BROWSERS) {
  describe(`the diagnosis handed to the panel in ${name}`, () => {
    let site;

    before(async () => { site = await openSite(name, { upstreamDown: true }); });
    after(() => closeSite(site));

    it('shows the same help however the panel came by it, and leaves nothing behind', async () => {
      const { browser, page, nginx } = site;
      // A diagnosis races its panel's loading: most finish first (handed over), some after (asked
      // for). Firefox must hand one over within these loads (each about 4 in 5 here); Chromium never.
      const ways = [];
      for (let i = 0; i < 8 && !(name === 'firefox' && ways.includes(true)); i += 1) {
        // (Loaded completely, the panel's frame too, before the next navigation: see privacy.test.js.)
        await page.goto(`${nginx.url}/cart?token=query-secret-${i}`, { waitUntil: 'load' });
        assert.equal((await overlayState(page)).verdict, 'origin-down');
        const panel = await panelFrame(page);
        const answer = await answerOf(panel);
        ways.push(answer.handedOver);
        assert.match(await panelText(panel), /The site's server is not answering/, `load ${i} (${answer.handedOver ? 'handed over' : 'asked'})`);
        // The panel counts down to its retry, and the page's overlay says so: the state it held until
        // its help was painted reached the host.
        const waiting = await waitForState(page, 'waiting');
        assert.ok(Number(waiting.nextRetryMs) > 0, 'the countdown reached the overlay host');
      }
      if (name === 'firefox') assert.ok(ways.includes(true), `handed over in none of ${ways.length} loads`);
      else assert.ok(!ways.includes(true), 'a service worker has no localStorage to hand it through');

      // Nothing waits in the extension's localStorage once the panels have their help, and
      // nothing there holds the failed address's query string.
      const options = await openExtensionPage(browser, name, 'pages/options.html');
      const left = await waitFor(options, () => {
        const keys = Object.keys(localStorage);
        return keys.some((k) => k.startsWith('handover:')) ? null : { keys, all: JSON.stringify(localStorage) };
      }, { timeout: 5_000 });
      assert.doesNotMatch(left.all, /query-secret/);
      await options.close();
    });
  });
}
