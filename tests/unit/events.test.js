// The shell's translation from what the browser reports to the core's event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { eventFromError, eventFromPage, headOf, methodOf, reportOf } from '../../extension/background/events.js';

const look = { status: 502, statusText: 'Bad Gateway', headers: [['Server', 'nginx'], ['X-Request-Id', 'abc']] };

test('a page whose cached response failed the same way takes its headers', () => {
  const event = eventFromPage({ url: 'http://a.test/x?q=1', status: 502, at: 5, form: false }, look,
    { body: 'x'.repeat(70000), online: false, browser: 'firefox', jitter: 0.25 });
  assert.deepEqual(event.headers, look.headers);
  assert.equal(event.status_text, 'Bad Gateway');
  assert.equal(event.method, 'GET');
  assert.equal(event.body.length, 65536);
  assert.equal(event.online, false);
  assert.equal(event.now_ms, 5, "the failure's own time, not the diagnosis's");
  assert.equal(event.jitter, 0.25);
});

test("the browser's word that its proxy answered goes with the head it came with, and only then", () => {
  const at = { url: 'http://a.test/x', status: 502, at: 1, form: false };
  const facts = { body: '', browser: 'firefox', jitter: 0 };
  assert.equal(eventFromPage(at, look, { ...facts, viaProxy: true }).via_proxy, true);
  assert.equal(eventFromPage(at, look, facts).via_proxy, undefined);
  assert.equal(eventFromPage(at, { ...look, status: 200 }, { ...facts, viaProxy: true }).via_proxy, undefined, 'not with a head that answered otherwise');
  assert.equal(eventFromPage(at, null, { ...facts, viaProxy: true }).via_proxy, undefined, 'nor with none');
  assert.equal(eventFromPage(at, look, { ...facts, viaProxy: 'yes' }).via_proxy, undefined, 'only a true boolean');
});

test('a cached response that answered otherwise does not speak for the page', () => {
  const event = eventFromPage({ url: 'http://a.test/', status: 503, at: 1, form: false }, { ...look, status: 200 },
    { body: '', browser: 'chrome', jitter: 0 });
  assert.deepEqual(event.headers, []);
  assert.equal(event.status, 503);
  assert.equal(event.status_text, undefined);
});

test('a page\'s response head is taken only in its shape, and only so much of it', () => {
  for (const bad of [null, undefined, 'x', {}, { status: '502', headers: [] }, { status: 502, headers: 'Server: x' }, { status: 502.5, headers: [] }]) {
    assert.equal(headOf(bad), null, JSON.stringify(bad));
  }
  const head = headOf({
    status: 502, statusText: { toString: () => 'x' },
    headers: [['Server', 'nginx'], ['x'], ['a', 1], 'b: c', ['big', 'v'.repeat(9000)], ...Array.from({ length: 300 }, (_, i) => [`h${i}`, 'v'])],
  });
  assert.equal(head.status, 502);
  assert.equal(head.statusText, '', 'a status text that is no string is dropped');
  assert.deepEqual(head.headers[0], ['Server', 'nginx']);
  assert.equal(head.headers[1][0], 'h0', 'malformed and oversized headers are left out');
  assert.equal(head.headers.length, 256);
});

test("the page's own refresh goes to the core as the page said it, only so much of it, and only as text", () => {
  const at = { url: 'http://a.test/', status: 503, at: 1, form: false };
  assert.equal(eventFromPage(at, null, { refresh: '30; url=/', browser: 'chrome', jitter: 0 }).refresh, '30; url=/');
  assert.equal(eventFromPage(at, null, { refresh: `5;${' '.repeat(5000)}`, browser: 'chrome', jitter: 0 }).refresh.length, 1024);
  for (const none of [undefined, null, 30, { toString: () => '5' }]) {
    assert.equal(eventFromPage(at, null, { refresh: none, browser: 'chrome', jitter: 0 }).refresh, undefined, String(none));
  }
});

test('a form submission is a POST: never sent again by itself', () => {
  assert.equal(methodOf(true), 'POST');
  assert.equal(methodOf(false), 'GET');
  const event = eventFromPage({ url: 'http://a.test/pay', status: 502, at: 1, form: true }, null, { browser: 'chrome', jitter: 0 });
  assert.equal(event.method, 'POST');
  assert.deepEqual(event.headers, []);
});

test('a network error with the answer the browser would not render', () => {
  const event = eventFromError('http://a.test/', 'net::ERR_HTTP_RESPONSE_CODE_FAILURE',
    { response: look, form: false, online: true, browser: 'chrome', now: 9, jitter: 0.5 });
  assert.equal(event.status, 502);
  assert.equal(event.error, 'net::ERR_HTTP_RESPONSE_CODE_FAILURE');
  assert.deepEqual(event.headers, look.headers);
  const bare = eventFromError('http://a.test/', 'net::ERR_CONNECTION_REFUSED', { response: null, form: true, now: 1 });
  assert.equal(bare.status, undefined);
  assert.equal(bare.method, 'POST');
});

test("a failure's report input is the stored diagnosis and the failure's own time, never a new diagnosis", () => {
  const failure = {
    url: 'https://shop.example/a?x=1', at: 1_700_000_000_000, method: 'GET', status: 502, statusText: 'Bad Gateway',
    error: null, tried: ['retry', 'just-me'], triedAt: { retry: 1_700_000_030_000 },
    diagnosis: {
      verdict: 'cdn-failure', gateway: { name: 'Amazon CloudFront', kind: 'cdn' }, request_id: 'abc==', data_centre: 'FRA56',
      request_ids: ['x-amz-cf-id: abc=='], notices: [{ kind: 'cached', seen: 'x-cache: Hit from cloudfront' }],
    },
  };
  assert.deepEqual(reportOf(failure), {
    url: 'https://shop.example/a?x=1', status: 502, status_text: 'Bad Gateway', error: null, at_ms: 1_700_000_000_000,
    tried: ['retry', 'just-me'], tried_at: [1_700_000_030_000, NaN], verdict: 'cdn-failure', gateway: 'Amazon CloudFront',
    data_centre: 'FRA56', request_id: 'abc==', request_ids: ['x-amz-cf-id: abc=='],
    notices: [{ kind: 'cached', seen: 'x-cache: Hit from cloudfront' }],
  });
  assert.equal(reportOf({ url: 'x', diagnosis: { verdict: 'offline', gateway: null } }).gateway, undefined);
});

test("every field of the core's event is one the shell can send (a field only fixtures set is a feature no visitor gets)", () => {
  const source = readFileSync(new URL('../../src/event.rs', import.meta.url), 'utf8');
  const struct = source.slice(source.indexOf('pub struct Event {'));
  const fields = [...struct.slice(0, struct.indexOf('\n}')).matchAll(/^ {4}pub (\w+):/gm)].map((m) => m[1]);
  assert.ok(fields.length > 10 && fields.includes('url') && fields.includes('via_proxy'), `read the Event struct: ${fields}`);
  const response = { status: 502, statusText: 'Bad Gateway', headers: [['server', 'nginx']] };
  const sent = [
    eventFromPage({ url: 'http://a.test/', status: 502, at: 1, form: false }, response,
      { body: 'x', refresh: '5', online: true, browser: 'firefox', jitter: 0.5, recent: [['a.test', 'nginx', 1]], viaProxy: true }),
    eventFromError('http://a.test/', 'Error code 2152398861', {
      response, lookFailed: true, upgraded: true, form: true, online: false, browser: 'firefox', now: 1, jitter: 0.5,
      blockers: 2, errorName: 'NS_ERROR_CONNECTION_REFUSED', viaProxy: true, proxySignIn: true,
    }),
  ];
  const keys = new Set(sent.flatMap((event) => Object.keys(event).filter((k) => event[k] !== undefined)));
  assert.deepEqual(fields.filter((f) => !keys.has(f)), [], 'fields of src/event.rs no event the shell makes carries');
});
