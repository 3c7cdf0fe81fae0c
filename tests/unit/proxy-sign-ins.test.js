// Which tab's load the browser asked its visitor to sign in to the proxy for (proxy-sign-ins.js),
// from Firefox's webRequest onAuthRequired: kept in storage.session, so that a background page
// stopped while the dialog is up still knows it when the visitor cancels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProxySignIns } from '../../extension/background/proxy-sign-ins.js';
import { memoryStorage } from './fakes.js';

test("a proxy's challenge is kept for its tab and load, and known to the next background page", async () => {
  const store = memoryStorage();
  const signIns = createProxySignIns({ store });
  await signIns.heard({ tabId: 3, requestId: '41', isProxy: true, url: 'http://shop.example/cart' });
  assert.equal(await signIns.asked(3, '41'), true);
  assert.equal(await signIns.asked(3, '42'), false, "another of the tab's loads");
  assert.equal(await signIns.asked(4, '41'), false, 'another tab');
  assert.equal(await signIns.asked(3, undefined), false, 'a load with no id');
  const next = createProxySignIns({ store });
  assert.equal(await next.asked(3, '41'), true, 'after the background page was stopped');
  await next.heard({ tabId: 3, requestId: '57', isProxy: true });
  assert.equal(await next.asked(3, '41'), false, "the tab's next challenge replaces it");
  assert.equal(await next.asked(3, '57'), true);
  await next.forget(3);
  assert.equal(await next.asked(3, '57'), false, 'a closed tab keeps nothing');
  assert.deepEqual(store.data, {});
});

test("a site's own challenge (a 401), a request of no tab and a report with no id are not a proxy's", async () => {
  const store = memoryStorage();
  const signIns = createProxySignIns({ store });
  await signIns.heard({ tabId: 3, requestId: '41', isProxy: false });
  await signIns.heard({ tabId: 3, requestId: '42' });
  await signIns.heard({ tabId: -1, requestId: '43', isProxy: true });
  await signIns.heard({ tabId: 3, isProxy: true });
  assert.deepEqual(store.data, {});
});

test('a storage area that fails says no, and throws nothing', async () => {
  const broken = { set: async () => { throw new Error('gone'); }, get: async () => { throw new Error('gone'); }, remove: async () => { throw new Error('gone'); } };
  const signIns = createProxySignIns({ store: broken });
  await signIns.heard({ tabId: 3, requestId: '41', isProxy: true });
  assert.equal(await signIns.asked(3, '41'), false);
  await signIns.forget(3);
});
