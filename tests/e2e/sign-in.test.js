// The browser's sign-in dialog stays the browser's. A site behind HTTP authentication (a 401 with
// a WWW-Authenticate challenge, through real nginx) makes the browser ask the visitor for a name
// and password. Chromium commits a blank page of its own under its dialog and reports the load as
// failed (ERR_INVALID_AUTH_CREDENTIALS); Firefox keeps the load open under its dialog. Page Medic
// takes neither as a failure: the tab is never sent to its page (which would close the dialog),
// nothing is asked of the site or retried, and the visitor signs in by typing into the browser's
// dialog (real keys on a virtual X display) or, in Chromium, cancels it and reads the site's own
// 401 page. (Firefox's dialog is not cancelled here: a key that reached the page before the dialog
// did would stop its load, and nothing a test can read says the dialog is up.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BROWSERS, checks, closeSite, keptThisSession, navigations, openSite, sleep, virtualDisplay, waitInPage } from './harness.js';

const SIGNED_IN = `Basic ${Buffer.from('visitor:').toString('base64')}`;

/** The site: its pages answer a 401 challenge until the request carries the visitor's name. */
function staging(req, res) {
  if (req.headers.authorization === SIGNED_IN) {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Staging</title><h1>Welcome in, visitor</h1>');
    return;
  }
  const realm = req.url.startsWith('/staging/') ? 'Staging' : 'Other';
  res.writeHead(401, { 'content-type': 'text/html', 'www-authenticate': `Basic realm="${realm}"` });
  res.end('<!doctype html><title>401 Authorization Required</title><h1>Sign-in required</h1>');
}

for (const name of BROWSERS) {
  describe(`the browser's sign-in dialog in ${name}`, () => {
    let site, screen;
    const visited = []; // every address the tab's main frame showed
    before(async () => {
      screen = await virtualDisplay();
      site = await openSite(name, { display: screen.display });
      site.upstream.handler = staging;
      site.page.on('framenavigated', (frame) => { if (frame === site.page.mainFrame()) visited.push(frame.url()); });
    });
    after(async () => {
      await closeSite(site);
      screen?.stop();
    });

    /** With no window manager on the virtual display, the browser's window takes keys once focused. */
    function focusBrowser() {
      const windows = screen.xdotool('search', '--onlyvisible', '--class', 'firefox|chromium').trim().split('\n').filter(Boolean);
      assert.ok(windows.length, 'a browser window on the display');
      screen.xdotool('windowfocus', windows.at(-1));
    }

    /**
     * Keys typed (xdotool commands, one after another) until the page shows what `done` waits
     * for: the dialog comes up a moment after the 401, and keys before it go to the page.
     */
    async function typeUntil(commands, done) {
      for (let attempt = 0; attempt < 20; attempt++) {
        focusBrowser();
        for (const command of commands) screen.xdotool(...command);
        try {
          return await waitInPage(site.page, done, null, 1_500);
        } catch { /* the dialog was not up yet: type again */ }
      }
      assert.fail(`the page never showed what ${commands.flat().join(' ')} should bring`);
    }

    it('a sign-in: nothing covers, replaces or retries the dialog, and the visitor signs in through it', async () => {
      const { page, nginx, upstream } = site;
      const path = '/staging/';
      const loading = page.goto(`${nginx.url}${path}`, { waitUntil: 'domcontentloaded' }).then(() => null, (e) => e.message);
      if (name === 'chromium') assert.match(await loading, /ERR_INVALID_AUTH_CREDENTIALS/, "Chromium's blank page under its dialog");
      while (navigations(upstream, path) === 0) await sleep(50);
      // The name typed into the dialog's first field, sent with Enter.
      await typeUntil([['key', 'ctrl+a'], ['type', 'visitor'], ['key', 'Return']],
        () => document.querySelector('h1')?.textContent === 'Welcome in, visitor');
      await leftAlone(path);
    });

    if (name === 'chromium') {
      it("a sign-in cancelled: the site's own 401 page, and nothing of Page Medic's", async () => {
        const { page, nginx, upstream } = site;
        const path = '/other-realm/';
        const loading = page.goto(`${nginx.url}${path}`, { waitUntil: 'domcontentloaded' }).then(() => null, (e) => e.message);
        assert.match(await loading, /ERR_INVALID_AUTH_CREDENTIALS/, "Chromium's blank page under its dialog");
        await typeUntil([['key', 'Escape']], () => document.querySelector('h1')?.textContent === 'Sign-in required');
        await leftAlone(path);
      });
    }

    /** What Page Medic did about the tab's load of `path`: nothing. */
    async function leftAlone(path) {
      const { page, upstream, browser, nginx } = site;
      assert.deepEqual(visited.filter((u) => /-extension:\/\//.test(u)), [], "Page Medic's page never took the dialog's place");
      assert.equal(await page.$('#page-medic'), null, 'nothing covers the page');
      assert.equal(checks(upstream, path), 0, "nothing of Page Medic's went to the site");
      const kept = await keptThisSession(browser, name);
      const failures = kept.failures.filter((f) => f.url.startsWith(nginx.url));
      const schedules = kept.schedules.filter((origin) => origin === nginx.url);
      assert.deepEqual({ failures, schedules }, { failures: [], schedules: [] }, 'no failure kept, no retry scheduled');
    }
  });
}
