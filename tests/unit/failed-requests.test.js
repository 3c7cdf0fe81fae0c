// The method of a tab's failed main-frame load (failed-requests.js), as Firefox's webRequest
// reports it: apart from webNavigation's report of the same failure, so either may come first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFailedRequests } from '../../extension/background/failed-requests.js';

const ORDER = 'https://shop.example/order';

test("a POST's failure reported first is a form's, for its tab and address, while it is fresh", async () => {
  let clock = 0;
  const requests = createFailedRequests({ now: () => clock, freshMs: 10_000 });
  requests.heard({ tabId: 3, url: ORDER, method: 'POST' });
  assert.equal(await requests.wasPost(4, ORDER), false, 'another tab');
  assert.equal(await requests.wasPost(3, 'https://shop.example/other'), false, 'another address');
  assert.equal(await requests.wasPost(3, `${ORDER}#paid`), true, 'the fragment aside');
  clock = 10_001;
  assert.equal(await requests.wasPost(3, ORDER), false, 'not an old report');
});

test('the same failure told twice (Firefox 153 may) gets the same answer each time, whichever comes first', async () => {
  const requests = createFailedRequests();
  const first = requests.wasPost(3, ORDER, 1000);
  const second = requests.wasPost(3, ORDER, 1000);
  setTimeout(() => requests.heard({ tabId: 3, url: ORDER, method: 'POST' }), 20);
  assert.deepEqual(await Promise.all([first, second]), [true, true]);
  assert.equal(await requests.wasPost(3, ORDER), true, 'and after');
  // The tab's next failed load is its own.
  requests.heard({ tabId: 3, url: ORDER, method: 'GET' });
  assert.equal(await requests.wasPost(3, ORDER), false);
});

test('a GET is no form', async () => {
  const requests = createFailedRequests();
  requests.heard({ tabId: 3, url: ORDER, method: 'GET' });
  assert.equal(await requests.wasPost(3, ORDER, 50), false);
});

test('a report that comes a moment later is waited for; none at all, for the wait only', async () => {
  const requests = createFailedRequests();
  const asked = requests.wasPost(3, ORDER, 1000);
  requests.heard({ tabId: 3, url: 'https://shop.example/earlier', method: 'GET' });
  setTimeout(() => requests.heard({ tabId: 3, url: ORDER, method: 'POST' }), 20);
  const started = Date.now();
  assert.equal(await asked, true);
  assert.ok(Date.now() - started < 900, 'not the whole wait');
  const started2 = Date.now();
  assert.equal(await requests.wasPost(5, ORDER, 60), false);
  assert.ok(Date.now() - started2 >= 50, 'waited');
});

test("a failure Firefox's webNavigation gave as a number is named by its webRequest report of the same load", async () => {
  const requests = createFailedRequests();
  const asked = requests.toldOf(3, ORDER, 'Error code 2152398861', 5000, 1000);
  setTimeout(() => requests.heard({ tabId: 3, url: ORDER, method: 'GET', error: 'NS_ERROR_CONNECTION_REFUSED', timeStamp: 4990 }), 20);
  assert.deepEqual(await asked, { name: 'NS_ERROR_CONNECTION_REFUSED', viaProxy: false, proxySignIn: false });
  assert.equal((await requests.toldOf(3, ORDER, 'Error code 0x804B000D', 5001)).name, 'NS_ERROR_CONNECTION_REFUSED', 'in hex too');
  // A name needs none; another tab's, another address's or another load's report names nothing.
  assert.equal((await requests.toldOf(3, ORDER, 'NS_ERROR_NET_RESET', 5000)).name, null);
  assert.equal((await requests.toldOf(3, ORDER, 'net::ERR_CONNECTION_REFUSED', 5000)).name, null);
  assert.equal((await requests.toldOf(4, ORDER, 'Error code 2152398861', 5000, 30)).name, null);
  assert.equal((await requests.toldOf(3, 'https://shop.example/other', 'Error code 2152398861', 5000)).name, null);
  assert.equal((await requests.toldOf(3, ORDER, 'Error code 2152398861', 9000)).name, null, 'a report four seconds apart is another load');
});

test("the same report says whether the load went through the browser's proxy (Firefox's proxyInfo)", async () => {
  const requests = createFailedRequests();
  for (const [proxyInfo, viaProxy] of [[{ host: '10.0.0.8', port: 3128, type: 'http' }, true], [{ type: 'direct' }, false], [null, false], [undefined, false]]) {
    requests.heard({ tabId: 3, url: ORDER, method: 'GET', error: 'NS_ERROR_NET_RESET', timeStamp: 5000, proxyInfo });
    assert.equal((await requests.toldOf(3, ORDER, 'Error code 2152398868', 5000)).viaProxy, viaProxy, JSON.stringify(proxyInfo));
  }
  assert.equal((await requests.toldOf(3, ORDER, 'Error code 2152398868', 9000)).viaProxy, false, "another load's report says nothing of this one");
  assert.equal((await requests.toldOf(3, ORDER, 'net::ERR_CONNECTION_RESET', 5000)).viaProxy, false, 'nor of an error given by name');
});

test("webRequest's word for the failure is passed on as it came: whether it is a name to tell is the core's", async () => {
  const requests = createFailedRequests();
  requests.heard({ tabId: 3, url: ORDER, method: 'GET', error: "Peer's Certificate issuer is not recognized.", timeStamp: 5000 });
  assert.equal((await requests.toldOf(3, ORDER, 'Error code 2153390067', 5000)).name, "Peer's Certificate issuer is not recognized.");
  requests.heard({ tabId: 3, url: ORDER, method: 'GET', timeStamp: 5000 });
  assert.equal((await requests.toldOf(3, ORDER, 'Error code 2153390067', 5000)).name, null, 'a report without one names nothing');
});

test("the same report says whether the browser had asked its visitor to sign in to the proxy for that load", async () => {
  const asked = [];
  const requests = createFailedRequests({ signInAsked: async (tabId, requestId) => { asked.push([tabId, requestId]); return requestId === '41'; } });
  requests.heard({ tabId: 3, url: ORDER, method: 'GET', error: 'NS_ERROR_PROXY_CONNECTION_REFUSED', timeStamp: 5000, requestId: '41' });
  assert.equal((await requests.toldOf(3, ORDER, 'Error code 2152398920', 5000)).proxySignIn, true);
  assert.deepEqual(asked, [[3, '41']], "asked of the report's own load");
  requests.heard({ tabId: 3, url: ORDER, method: 'GET', error: 'NS_ERROR_PROXY_CONNECTION_REFUSED', timeStamp: 5000, requestId: '42' });
  assert.equal((await requests.toldOf(3, ORDER, 'Error code 2152398920', 5000)).proxySignIn, false, 'another load was asked');
  assert.equal((await requests.toldOf(3, ORDER, 'Error code 2152398920', 9000)).proxySignIn, false, "another load's report says nothing of this one");
  const failing = createFailedRequests({ signInAsked: async () => { throw new Error('no storage'); } });
  failing.heard({ tabId: 3, url: ORDER, method: 'GET', error: 'NS_ERROR_PROXY_CONNECTION_REFUSED', timeStamp: 5000, requestId: '41' });
  assert.deepEqual(await failing.toldOf(3, ORDER, 'Error code 2152398920', 5000), { name: 'NS_ERROR_PROXY_CONNECTION_REFUSED', viaProxy: false, proxySignIn: false });
});
