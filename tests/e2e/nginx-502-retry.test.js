// nginx's 502 and Retry, end to end in both real browsers: a real nginx in front of an upstream the test
// controls; upstream down -> nginx's genuine 502 -> Page Medic's overlay with the right verdict ->
// upstream up -> a person clicks Retry -> the real page. A healthy page gets no overlay.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  ARTIFACTS, BROWSERS, buttonByName, checks, navigations, overlayState, panelFrame, panelText, personClick, waitForState,
  openSite, closeSite, helpShown, pageTakesKeyboard, sleep, waitFor, waitInPage, until,
} from './harness.js';

/** The site answers every page with 503, asking for two minutes (no automatic retry comes first). */
const busy = (upstream, html) => {
  upstream.handler = (req, res) => {
    res.writeHead(503, { 'content-type': 'text/html', 'retry-after': '120' });
    res.end(html);
  };
};

/**
 * `url` (a failed page with a field `#q`) loaded, its help on screen, and then the page's script
 * taking the keyboard off the help (a key then goes to the page's document, not the panel's).
 */
async function pageHoldsKeyboard(page, url) {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await pageTakesKeyboard(page, await helpShown(page), '#q');
}

/**
 * Enter, and the page at `path` loaded again (a second load reached the site, and the new
 * document has loaded completely: a navigation begun while the reload's load event is still to
 * come hung Firefox's browsingContext.navigate once in CI, for 180 s, and the browser's next one
 * too). `what` names the step in the assertions.
 */
async function enterReloads(page, upstream, path, what) {
  await page.evaluate(() => { window.beforeEnter = true; });
  await page.keyboard.press('Enter');
  await until(() => navigations(upstream, path) >= 2, `${what}: Enter pressed "Retry now" (the page loaded again)`, { every: 50 });
  assert.equal(navigations(upstream, path), 2, `${what}: the page loaded again once`);
  await until(() => page.evaluate(() => !window.beforeEnter && document.readyState === 'complete').catch(() => false),
    `${what}: the page loaded again`, { every: 50 });
}

for (const name of BROWSERS) {
  describe(`nginx's 502 and Retry in ${name}`, () => {
    let upstream, nginx, browser, page;
    before(async () => ({ upstream, nginx, browser, page } = await openSite(name)));
    after(() => closeSite({ upstream, nginx, browser }));

    it('leaves a healthy page alone', async () => {
      await upstream.up();
      const response = await page.goto(`${nginx.url}/healthy`, { waitUntil: 'load' });
      assert.equal(response.status(), 200);
      // The overlay of a failed page appears well within this time (see the next test's figure).
      await sleep(1500);
      assert.equal(await page.$('#page-medic'), null);
      assert.equal(page.frames().length, 1, 'no frame was added to a healthy page');
    });

    it('explains nginx\'s 502 and gets the visitor back with Retry', async () => {
      await upstream.down();
      const started = Date.now();
      const response = await page.goto(`${nginx.url}/shop/cart?session=secret`, { waitUntil: 'domcontentloaded' });
      assert.equal(response.status(), 502, 'nginx answered 502 for the refused upstream');
      const requestId = response.headers()['x-request-id'];
      assert.match(requestId, /^[0-9a-f]{32}$/, 'nginx sent its request id');

      const state = await overlayState(page);
      console.log(`# ${name}: overlay host in the page ${Date.now() - started} ms after navigation start`);
      assert.equal(state.verdict, 'origin-down');
      assert.equal(state.side, 'site');
      assert.ok(['shown', 'waiting'].includes(state.state), state.state);
      // A 502 from a GET is worth retrying: a countdown is running.
      const waiting = await waitForState(page, 'waiting');
      assert.ok(Number(waiting.nextRetryMs) > 0, `data-next-retry-ms=${waiting.nextRetryMs}`);

      // What a person (or a screen reader) meets: an alert dialog named for what happened,
      // the gateway named, and focus on Retry.
      const panel = await panelFrame(page);
      const dialog = await panel.locator('::-p-aria([role="alertdialog"])').setTimeout(5_000).waitHandle();
      const text = await dialog.evaluate((el) => el.innerText);
      assert.match(text, /server is not answering/i);
      assert.match(text, /nginx/);
      assert.match(text, /not yours/i);
      // The id nginx gave the page the visitor saw: its response head, read back from the
      // browser's cache. Page Medic asked the site nothing: nginx logged one request, the page's.
      const shown = /[0-9a-f]{32}/.exec(text)?.[0];
      assert.equal(shown, requestId, 'the panel shows the request id of the page itself');
      const logged = nginx.accessLog().filter((r) => r.path === '/shop/cart');
      assert.deepEqual(logged.map((r) => [r.method, r.status, r.requestId]), [['GET', 502, requestId]], 'one request reached nginx: the page');
      const retry = await buttonByName(panel, 'Retry now');
      assert.equal(await panel.evaluate(() => document.activeElement?.textContent), 'Retry now', 'focus is on Retry now');

      // The page's own scripts can read the host's attributes but not the panel.
      const pageView = await page.evaluate(() => {
        const host = document.getElementById('page-medic');
        let frameReadable;
        try { frameReadable = Boolean(window.frames[0].document); } catch { frameReadable = false; }
        return { shadow: host.shadowRoot, text: host.textContent, frameReadable };
      });
      assert.deepEqual(pageView, { shadow: null, text: '', frameReadable: false });

      await page.screenshot({ path: join(ARTIFACTS, `nginx-502-${name}.png`) });
      // In an 800×600 window the whole card is in view: no scrollbar cuts its edge.
      assert.deepEqual(await page.evaluate(() => [innerWidth, innerHeight]), [800, 600], 'the window the layout is checked in');
      const card = await panel.evaluate(() => {
        const el = document.querySelector('.card');
        return { scroll: el.scrollHeight, client: el.clientHeight };
      });
      assert.ok(card.scroll <= card.client, `the card fits: ${card.scroll} px of content in ${card.client} px`);

      // The visitor turns the automatic retry off, so only their own click loads the page.
      await personClick(page, await buttonByName(panel, 'Cancel'));
      await waitForState(page, 'stopped');
      await upstream.up();
      await sleep(3000);
      assert.equal(navigations(upstream, '/shop/cart'), 0, 'nothing reloaded the page after Cancel');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), personClick(page, retry)]);
      assert.equal(await page.$eval('h1', (h) => h.textContent), 'The real page');
      assert.equal(await page.$('#page-medic'), null, 'no overlay on the recovered page');
      assert.equal(navigations(upstream, '/shop/cart'), 1, 'Retry loaded the page once');
    });

    it('a page the site will not let the browser keep (no-store) that names no gateway: the gateway named, and its own request id where the browser gives its head', async () => {
      await upstream.up();
      upstream.handler = (req, res) => {
        res.writeHead(502, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
        res.end('Upstream exploded.');
      };
      try {
        const response = await page.goto(`${nginx.url}/kept-nowhere`, { waitUntil: 'domcontentloaded' });
        const requestId = response.headers()['x-request-id'];
        assert.match(requestId, /^[0-9a-f]{32}$/, 'nginx sent its request id');
        const panel = await panelFrame(page);
        await waitFor(panel, () => /nginx/.test(document.body.innerText), { timeout: 10_000, polling: 100 });
        assert.equal(navigations(upstream, '/kept-nowhere'), 1, 'one load');
        if (name === 'firefox') {
          // Firefox gives Page Medic the page's head as it arrives (webRequest, main frames only):
          // the page's own request id, and nothing asked of the site.
          assert.match(await panelText(panel), new RegExp(requestId), `the page's own request id, ${requestId} (looks: ${checks(upstream, '/kept-nowhere')})`);
          assert.equal(checks(upstream, '/kept-nowhere'), 0, 'no look: the head was the browser\'s');
        } else {
          assert.equal(checks(upstream, '/kept-nowhere'), 1, 'one look, for the headers the cache could not give');
        }
      } finally {
        upstream.handler = null;
      }
    });

    it('Enter, pressed as soon as the help appears, presses its primary action: 8 fresh failures in a row', async () => {
      // The site asks for two minutes: no automatic retry comes before the visitor's Enter.
      busy(upstream, '<!doctype html><title>Busy</title><h1>Busy</h1>');
      try {
        for (let round = 0; round < 8; round += 1) {
          const path = `/busy-${round}`;
          await page.goto(`${nginx.url}${path}`, { waitUntil: 'domcontentloaded' });
          assert.equal(navigations(upstream, path), 1, `round ${round}: one load`);
          // What a person waits for: the help on screen. Then Enter at once.
          await helpShown(page);
          await enterReloads(page, upstream, path, `round ${round}`);
        }
      } finally {
        upstream.handler = null;
      }
    });

    it("keeps the keyboard from the moment it covers the page: an error page's autofocus field never gets it", async () => {
      // An error page whose search field asks for focus, and counts every key it is given.
      busy(upstream, `<!doctype html><title>Busy</title><h1>Busy</h1><input id="q" autofocus>
        <script>
          window.pageFocus = 0; window.pageKeys = 0;
          document.getElementById('q').addEventListener('focus', () => { window.pageFocus += 1; });
          addEventListener('keydown', () => { window.pageKeys += 1; }, true);
        </script>`);
      try {
        for (let round = 0; round < 3; round += 1) {
          const path = `/autofocus-${round}`;
          await page.goto(`${nginx.url}${path}`, { waitUntil: 'domcontentloaded' });
          await helpShown(page);
          await page.keyboard.type('abc');
          const seen = await page.evaluate(() => ({ focus: window.pageFocus, keys: window.pageKeys, active: document.activeElement?.id }));
          assert.deepEqual(seen, { focus: 0, keys: 0, active: 'page-medic' }, `round ${round}: the page under the help never had the keyboard`);
          assert.equal(navigations(upstream, path), 1, `round ${round}: the keys pressed nothing`);
        }
        // The page's script takes the keyboard off the help: a key then pressed is still not the
        // page's, and the keyboard is the help's again.
        await pageTakesKeyboard(page, await panelFrame(page), '#q');
        await page.keyboard.press('x');
        await waitInPage(page, () => document.activeElement?.id === 'page-medic');
        assert.deepEqual(await page.evaluate(() => ({ keys: window.pageKeys, value: document.getElementById('q').value })), { keys: 0, value: '' }, 'the stray key never reached the page');
        // Escape, pressed in the panel, dismisses the help; the keyboard is then where the page
        // asked for it.
        const panelNow = await panelFrame(page);
        await waitFor(panelNow, () => document.hasFocus(), { timeout: 5_000 });
        await page.keyboard.press('Escape');
        await waitInPage(page, () => !document.getElementById('page-medic'));
        await page.keyboard.type('shoes');
        assert.equal(await page.evaluate(() => document.getElementById('q').value), 'shoes', 'typing after Escape fills the page\'s field');
      } finally {
        upstream.handler = null;
      }
    });

    it('Escape pressed while the page holds the keyboard still dismisses the help (the key never reaches the page)', async () => {
      busy(upstream, `<!doctype html><title>Busy</title><h1>Busy</h1><input id="q">
        <script>window.pageKeys = 0; addEventListener('keydown', () => { window.pageKeys += 1; }, true);</script>`);
      try {
        const path = '/escape-from-page';
        await pageHoldsKeyboard(page, `${nginx.url}${path}`);
        await page.keyboard.press('Escape');
        await waitInPage(page, () => !document.getElementById('page-medic'));
        assert.deepEqual(await page.evaluate(() => ({ keys: window.pageKeys, active: document.activeElement?.id })), { keys: 0, active: 'q' },
          'the Escape was the help\'s, and the keyboard is the page\'s again');
        assert.equal(navigations(upstream, path), 1, 'nothing was loaded again');
      } finally {
        upstream.handler = null;
      }
    });

    it('Enter pressed while the page holds the keyboard presses the help\'s primary action (the page never sees it)', async () => {
      // The page's field is in a form: an Enter the page saw would send it.
      busy(upstream, '<!doctype html><title>Busy</title><h1>Busy</h1><form action="/searched"><input id="q" name="q"></form>');
      try {
        const path = '/enter-from-page';
        await pageHoldsKeyboard(page, `${nginx.url}${path}`);
        await enterReloads(page, upstream, path, 'the page\'s field had the keyboard');
        assert.equal(navigations(upstream, '/searched'), 0, 'the page\'s form was never sent: the Enter was the help\'s');
      } finally {
        upstream.handler = null;
      }
    });

    it('Tab pressed while the page holds the keyboard moves it through the help from the visitor\'s last control (the page never sees it)', async () => {
      busy(upstream, `<!doctype html><title>Busy</title><h1>Busy</h1><input id="q">
        <script>window.pageKeys = 0; addEventListener('keydown', () => { window.pageKeys += 1; }, true);</script>`);
      try {
        const path = '/tab-from-page';
        await page.goto(`${nginx.url}${path}`, { waitUntil: 'domcontentloaded' });
        const panel = await helpShown(page);
        /** The name of the help's control that has the keyboard. */
        const focusedName = () => panel.evaluate(() => document.activeElement?.textContent.trim());
        /** The help's control that has the keyboard, once it is another than `from`. */
        const movedFrom = (from) => waitFor(panel, (f) => document.activeElement?.textContent.trim() !== f, { timeout: 5_000 }, from).then(focusedName);
        const shiftTab = async () => {
          await page.keyboard.down('Shift');
          await page.keyboard.press('Tab');
          await page.keyboard.up('Shift');
        };
        /** The control that has the keyboard in the help, once it is `name` (and the help has it). */
        const focusedOn = async (name, what) => {
          const on = await waitFor(panel, (n) => document.hasFocus() && document.activeElement?.textContent.trim() === n, { timeout: 5_000 }, name)
            .then(() => name, () => panel.evaluate(() => `${document.hasFocus() ? '' : '(no focus) '}${document.activeElement?.textContent.trim()}`));
          assert.equal(on, name, what);
        };
        // The help's own order, as a person tabs through it while it has the keyboard.
        const first = await waitFor(panel, () => document.hasFocus() && document.activeElement?.classList.contains('primary'), { timeout: 5_000 })
          .then(focusedName);
        await page.keyboard.press('Tab');
        const second = await movedFrom(first);
        await page.keyboard.press('Tab');
        const third = await movedFrom(second);
        await shiftTab();
        await focusedOn(second, 'precondition: Shift+Tab in the help goes back');
        assert.ok(new Set([first, second, third]).size === 3, `precondition: three controls in the help (${first}, ${second}, ${third})`);
        // The page's script takes the keyboard: Tab moves on from the visitor's control, not the first.
        await pageTakesKeyboard(page, panel, '#q');
        await page.keyboard.press('Tab');
        await focusedOn(third, 'Tab, pressed while the page had the keyboard, moved on from the visitor\'s last control');
        await pageTakesKeyboard(page, panel, '#q');
        await shiftTab();
        await focusedOn(second, 'Shift+Tab, pressed while the page had the keyboard, moved back');
        assert.deepEqual(await page.evaluate(() => ({ keys: window.pageKeys, active: document.activeElement?.id })), { keys: 0, active: 'page-medic' },
          'the page saw none of the keys, and the help has the keyboard');
        assert.equal(navigations(upstream, path), 1, 'the keys pressed nothing');
      } finally {
        upstream.handler = null;
      }
    });

    it('a maintenance page that reloads itself is explained and left to its own reloads, which bring the site back', async () => {
      await upstream.up();
      let down = true;
      upstream.handler = (req, res) => {
        res.writeHead(down ? 503 : 200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(down
          ? '<!doctype html><html><head><meta http-equiv="Refresh" content="2"><title>Maintenance</title></head>'
            + '<body><h1>Down for maintenance</h1><p>This page reloads by itself.</p></body></html>'
          : '<!doctype html><title>Shop</title><h1>The real page</h1>');
      };
      try {
        const path = '/refreshing';
        await page.goto(`${nginx.url}${path}`, { waitUntil: 'domcontentloaded' });
        const panel = await panelFrame(page);
        await waitFor(panel, () => document.getElementById('retry-status')?.textContent, { timeout: 10_000 });
        assert.match(await panelText(panel), /This page reloads itself, so Page Medic does not retry it as well/);
        assert.equal((await overlayState(page)).state, 'stopped', 'no countdown of its own');
        // The page's own reloads, each explained again; Page Medic asks the site nothing.
        const before = navigations(upstream, path);
        await until(() => navigations(upstream, path) >= before + 2, 'the page reloaded itself', { timeout: 20_000, every: 200 });
        await waitForState(page, 'stopped');
        assert.equal(checks(upstream, path), 0, "Page Medic added no request of its own to the page's reloads");
        // Back up: the page's next reload is the real page, with nothing over it.
        down = false;
        await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The real page' && !document.getElementById('page-medic'), null, 15_000);
      } finally {
        upstream.handler = null;
      }
    });

    it('a multi-megabyte error page: its head is read back from the cache as it arrives, no request', async () => {
      await upstream.up();
      const chunk = `<p>${'Busy. '.repeat(1000)}</p>`;
      upstream.handler = (req, res) => {
        res.writeHead(503, { 'content-type': 'text/html' });
        res.write('<!doctype html><title>Busy</title><h1>Busy</h1>');
        // About 6 MB, written as the socket takes it.
        let left = 1000;
        const more = () => {
          while (left > 0) {
            left -= 1;
            if (!res.write(chunk)) return res.once('drain', more);
          }
          res.end();
        };
        more();
      };
      try {
        await page.goto(`${nginx.url}/huge-busy`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
        const panel = await panelFrame(page, 30_000);
        // The body names no gateway: "nginx" can only come from the page's own headers.
        await waitFor(panel, () => /nginx/.test(document.body.innerText), { timeout: 30_000, polling: 100 });
        assert.equal(checks(upstream, '/huge-busy'), 0, 'nothing but the page was asked of the site');
      } finally {
        upstream.handler = null;
      }
    });
  });
}
