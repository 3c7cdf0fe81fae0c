// The toolbar button's mark (popup-mark.js), with a fake `action` API: set for a kept failure's
// tab alone, and a tab that is gone meanwhile is no error. (That the browsers take it off as the
// tab loads another page is theirs: https.test.js.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPopupMark } from '../../extension/background/popup-mark.js';

test("a kept failure's tab is marked, and only that tab", async () => {
  const calls = [];
  const action = {
    setBadgeText: async (details) => calls.push(['badge', details]),
    setTitle: async (details) => calls.push(['title', details]),
  };
  await createPopupMark({ action, title: () => 'Page Medic can explain this page' }).mark(7);
  assert.deepEqual(calls, [['badge', { tabId: 7, text: '?' }], ['title', { tabId: 7, title: 'Page Medic can explain this page' }]]);
});

test('a browser that refuses (the tab is gone, an argument at once) is no error', async () => {
  const refusing = { setBadgeText: async () => { throw new Error('No tab with id: 3.'); }, setTitle: () => { throw new TypeError('at once'); } };
  await assert.doesNotReject(createPopupMark({ action: refusing, title: () => 't' }).mark(3));
});
