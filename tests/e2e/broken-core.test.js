// The shell survives its core failing, in both real browsers. A copy of the built extension whose
// wasm core is damaged (it cannot start) still puts help over a 502: a generic diagnosis that says
// it does not know why, with Retry, and it keeps doing so for the next failure; Retry brings the
// page back once the site answers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BROWSERS, DIST, buttonByName, closeSite, openSite, overlayState, panelFrame, panelText, personClick, waitInPage,
} from './harness.js';

for (const name of BROWSERS) {
  describe(`a broken core in ${name}`, () => {
    let site;
    let dist;

    before(async () => {
      dist = mkdtempSync(join(tmpdir(), 'page-medic-broken-'));
      for (const browser of ['chrome', 'firefox']) {
        cpSync(join(DIST, browser), join(dist, browser), { recursive: true });
        writeFileSync(join(dist, browser, 'core/page_medic_bg.wasm'), 'not a wasm module');
      }
      site = await openSite(name, { dist });
    });
    after(async () => {
      await closeSite(site);
      rmSync(dist, { recursive: true, force: true });
    });

    it('shows a generic diagnosis, keeps working, and Retry still brings the page back', async () => {
      const { page, upstream, nginx } = site;
      let up = false;
      upstream.handler = (req, res) => {
        res.writeHead(up ? 200 : 502, { 'content-type': 'text/html' });
        res.end(up ? '<!doctype html><title>Shop</title><h1>The real page</h1>' : '<!doctype html><title>502</title><h1>Down</h1>');
      };
      // Two failures, each in a tab of its own (the second after the core has already failed once).
      const second = await site.browser.newPage();
      for (const [path, tab] of [['/first', second], ['/second', page]]) {
        await tab.bringToFront();
        await tab.goto(`${nginx.url}${path}`, { waitUntil: 'domcontentloaded' });
        const state = await overlayState(tab);
        assert.equal(state.verdict, 'unknown', `${path}: a generic diagnosis`);
        const panel = await panelFrame(tab).catch((e) => { throw new Error(`${path}: ${e.message}`); });
        assert.ok((await panelText(panel)).length > 0);
        await buttonByName(panel, 'Retry now');
      }
      up = true;
      const panel = await panelFrame(page).catch((e) => { throw new Error(`last: ${e.message}`); });
      await personClick(page, await buttonByName(panel, 'Retry now'));
      await waitInPage(page, () => document.querySelector('h1')?.textContent === 'The real page');
    });
  });
}
