// Whether a tab shows Page Medic's own page (own-page.js), with fake runtime and tabs: by
// runtime.getContexts where the browser has it, since a tab's url may be null for the
// extension's own pages (Chromium 148 without the tabs permission); by the tab's url otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOwnPage } from '../../extension/background/own-page.js';

const ORIGIN = 'chrome-extension://page-medic/';

test("the diagnosis page is known by its context even where the tab's url is hidden (null)", async () => {
  const asked = [];
  const runtime = {
    getContexts: async (filter) => {
      asked.push(filter);
      return filter.tabIds[0] === 7 ? [{ contextType: 'TAB', tabId: 7, frameId: 0, documentUrl: `${ORIGIN}panel/panel.html` }] : [];
    },
  };
  const tabs = { get: async (id) => ({ id, url: null }) };
  const showsOwnPage = createOwnPage({ runtime, tabs, origin: ORIGIN });
  assert.equal(await showsOwnPage(7), true);
  assert.equal(await showsOwnPage(8), false, 'a tab with a web page (or the overlay over one)');
  assert.deepEqual(asked[0], { contextTypes: ['TAB'], tabIds: [7], frameIds: [0] }, 'only the top frame counts: the overlay panel is a subframe');
});

test("without runtime.getContexts, the tab's url tells", async () => {
  const urls = { 1: `${ORIGIN}panel/panel.html`, 2: 'https://a.example/', 3: undefined };
  const showsOwnPage = createOwnPage({ runtime: {}, tabs: { get: async (id) => ({ id, url: urls[id] }) }, origin: ORIGIN });
  assert.deepEqual([await showsOwnPage(1), await showsOwnPage(2), await showsOwnPage(3)], [true, false, false]);
});
