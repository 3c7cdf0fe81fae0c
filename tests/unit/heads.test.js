// Failed pages' heads as the browser gave them (heads.js): kept for the tab's diagnosis, once,
// for the page's own address, without cookies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHeads } from '../../extension/background/heads.js';

const failed = (extra = {}) => ({
  tabId: 3, url: 'https://a.example/p?q=1', method: 'GET', statusCode: 502, statusLine: 'HTTP/1.1 502 Bad Gateway',
  responseHeaders: [{ name: 'Server', value: 'nginx' }, { name: 'Set-Cookie', value: 'sid=secret' }, { name: 'X-Request-Id', value: 'r-1' }],
  ...extra,
});

test("an error's head is kept for its tab's diagnosis, once, with lower-case names and no cookie", async () => {
  const heads = createHeads();
  heads.heard(failed());
  assert.deepEqual(await heads.take(3, 'https://a.example/p?q=1#top'), {
    status: 502, statusText: 'Bad Gateway', headers: [['server', 'nginx'], ['x-request-id', 'r-1']], viaProxy: false, method: 'GET',
  });
  assert.equal(await heads.take(3, 'https://a.example/p?q=1'), null, 'taken once');
});

test("an answer that came through the browser's proxy says so (Firefox's proxyInfo); a direct one does not", async () => {
  const heads = createHeads();
  for (const [proxyInfo, viaProxy] of [
    [{ host: '10.0.0.8', port: 3128, type: 'http' }, true],
    [{ host: '10.0.0.8', port: 1080, type: 'socks' }, true],
    [{ type: 'direct' }, false],
    [null, false],
    [undefined, false],
  ]) {
    heads.heard(failed({ proxyInfo }));
    assert.equal((await heads.take(3, 'https://a.example/p?q=1')).viaProxy, viaProxy, JSON.stringify(proxyInfo));
  }
});

test('an HTTP/2 status line has no reason phrase', async () => {
  const heads = createHeads();
  heads.heard(failed({ statusLine: 'HTTP/2.0 503 ' , statusCode: 503 }));
  assert.equal((await heads.take(3, 'https://a.example/p?q=1')).statusText, '');
});

test("a healthy answer, another address or a closed tab leaves nothing to take", async () => {
  const heads = createHeads();
  heads.heard(failed());
  heads.heard(failed({ statusCode: 200, statusLine: 'HTTP/1.1 200 OK' }));
  assert.equal(await heads.take(3, 'https://a.example/p?q=1'), null, 'the tab moved on to a healthy page');
  heads.heard(failed());
  assert.equal(await heads.take(3, 'https://a.example/other'), null, 'not the head of this page');
  heads.heard(failed());
  heads.forget(3);
  assert.equal(await heads.take(3, 'https://a.example/p?q=1'), null);
  heads.heard(failed({ responseHeaders: [{ name: 'X-Bad', value: 7 }, null] }));
  assert.deepEqual((await heads.take(3, 'https://a.example/p?q=1')).headers, [], 'what is not a header is dropped');
});

test("the browser's report of a head that comes just after the page's own is waited for, briefly", async () => {
  const heads = createHeads();
  heads.heard(failed({ url: 'https://a.example/older' })); // an earlier page's, never taken
  const taken = heads.take(3, 'https://a.example/p?q=1', 5_000);
  setTimeout(() => heads.heard(failed()), 20);
  assert.equal((await taken)?.status, 502, 'the head that came 20 ms later');
  const started = Date.now();
  assert.equal(await heads.take(3, 'https://a.example/p?q=1', 30), null, 'none comes: null once the wait is over');
  assert.ok(Date.now() - started >= 25);
});
