// Asking for an optional permission in Page Medic's own window (permission-window.js), with fakes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPermissionWindow } from '../../extension/background/permission-window.js';
import { memoryStorage } from './fakes.js';

function setup(granted) {
  const store = memoryStorage();
  const opened = [];
  const asker = createPermissionWindow({
    store,
    windows: { create: async (options) => opened.push(options) },
    permissions: { contains: async ({ permissions }) => permissions.every((p) => granted.has(p)) },
    pageUrl: (path) => `moz-extension://pm/${path}`,
  });
  return { store, opened, asker };
}

test('the request waits while the window asks, and is taken up once, when granted', async () => {
  const granted = new Set();
  const { store, opened, asker } = setup(granted);
  assert.deepEqual(await asker.ask('browsingData', 4, 'https://shop.example/a?secret=1', { what: 'all' }), { askedElsewhere: true });
  assert.equal(opened.length, 1);
  assert.equal(opened[0].url, 'moz-extension://pm/pages/grant.html?permission=browsingData&host=shop.example', 'the host only, never the query');
  assert.equal(opened[0].type, 'popup');
  assert.deepEqual(store.data.pending, { permission: 'browsingData', tabId: 4, what: 'all' });

  granted.add('browsingData');
  assert.deepEqual(await asker.take(), { permission: 'browsingData', tabId: 4, what: 'all' });
  assert.equal(await asker.take(), null, 'once');
});

test('a request whose permission was refused is dropped', async () => {
  const { store, asker } = setup(new Set());
  await asker.ask('notifications', 2, 'https://shop.example/');
  assert.equal(await asker.take(), null);
  assert.equal(store.data.pending, undefined);
});
