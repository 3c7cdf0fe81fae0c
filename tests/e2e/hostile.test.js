// Hostile servers: markup, script and bidi tricks in the headers and page of a 502, and a 30 KB
// header. Page Medic shows them as text only; nothing of it runs in Page Medic's panel (a trap is
// set that any such script would trip), and the panel keeps its shape.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BROWSERS, buttonByName, overlayState, panelFrame, panelText, openSite, closeSite, sleep, waitFor,
} from './harness.js';

const ID = '<img/src=x/onerror=parent.postMessage("pwned","*")>';

for (const name of BROWSERS) {
  describe(`a hostile 502 in ${name}`, () => {
    let upstream, browser, page;

    before(async () => {
      ({ upstream, browser, page } = await openSite(name, { nginx: false }));
      upstream.handler = (req, res) => {
        res.writeHead(502, {
          'content-type': 'text/html; charset=utf-8',
          server: '<script>parent.postMessage("pwned","*")</script>',
          'x-request-id': ID,
          'x-padding': 'A'.repeat(30 * 1024),
          // Raw UTF-8 bytes of a right-to-left override, as a server would send them.
          via: Buffer.from('1.1 \u202egnp.live\u202c').toString('latin1'),
        });
        res.end('<!doctype html><title>x</title><h1>Down</h1><p>javascript:alert(1) \u202eevil\u202c</p></style><script>addEventListener("message", (e) => { if (e.data === "pwned") document.documentElement.dataset.pwned = "yes"; });</script>\0\uFFFD');
      };
    });
    after(() => closeSite({ upstream, browser }));

    it('shows the server\'s words as text and runs none of them', async () => {
      // The page sets a trap: any of the server's markup that ran in Page Medic's panel would post to it.
      const response = await page.goto(`http://127.0.0.1:${upstream.port}/hostile`, { waitUntil: 'domcontentloaded' });
      assert.equal(response.status(), 502);
      assert.equal((await overlayState(page)).verdict, 'origin-down');
      const panel = await panelFrame(page);
      const text = await panelText(panel);
      assert.ok(text.includes(ID), 'the request id is shown literally');
      assert.equal(await panel.evaluate(() => document.querySelectorAll('.card img, .card script').length), 0, 'no element came from the server');
      await buttonByName(panel, 'Retry now');
      const box = await panel.evaluate(() => {
        const r = document.querySelector('.card').getBoundingClientRect();
        return { width: r.width, height: r.height, right: r.right, viewport: innerWidth };
      });
      assert.ok(box.width > 200 && box.right <= box.viewport, `the card keeps its shape: ${JSON.stringify(box)}`);
      await sleep(1000);
      assert.equal(await page.evaluate(() => document.documentElement.dataset.pwned ?? 'no'), 'no', 'the trap was not tripped');
      // And the trap works: a message like the one a script would send trips it.
      await page.evaluate(() => postMessage('pwned', '*'));
      await waitFor(page, () => document.documentElement.dataset.pwned === 'yes', { timeout: 5_000 });
    });

    it('cannot be driven by the page: no way to message Page Medic, read its panel or press it', async () => {
      await page.goto(`http://127.0.0.1:${upstream.port}/hostile-2`, { waitUntil: 'domcontentloaded' });
      await overlayState(page);
      const panel = await panelFrame(page);
      await panelText(panel);
      // What a hostile page's own script can try, with a cookie to lose if any of it worked.
      const tried = await page.evaluate(async () => {
        document.cookie = 'keep=me; max-age=600; path=/';
        const host = document.getElementById('page-medic');
        const out = {
          runtime: typeof globalThis.chrome?.runtime?.sendMessage, // no externally_connectable
          browserRuntime: typeof globalThis.browser?.runtime,
          shadow: host.shadowRoot === null ? 'closed' : 'open',
          panelDocument: 'unreadable',
        };
        try {
          out.panelDocument = frames[0].document.body.innerText.slice(0, 20);
        } catch {
          // cross-origin: as it should be
        }
        const fake = { type: 'ui-bg-clear', what: 'all' };
        for (const target of [window, frames[0]]) target?.postMessage(fake, '*');
        host.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: 10, clientY: 10 }));
        host.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
        return out;
      });
      assert.deepEqual(tried, { runtime: 'undefined', browserRuntime: 'undefined', shadow: 'closed', panelDocument: 'unreadable' });
      await sleep(1000);
      assert.equal(await page.evaluate(() => document.cookie), 'keep=me', "the page's fake messages cleared nothing");
      const after = await page.$eval('#page-medic', (el) => ({ ...el.dataset }));
      assert.equal(after.verdict, 'origin-down', 'the overlay is still there, untouched');
      assert.ok(await panel.evaluate(() => !document.querySelector('.card').hidden));
    });
  });
}
