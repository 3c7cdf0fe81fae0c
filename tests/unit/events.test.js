// The shell's translation from browser API details to the core's event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventFromResponse, isCandidate, reasonPhrase } from '../../extension/background/events.js';

test('reason phrase from a status line', () => {
  assert.equal(reasonPhrase('HTTP/1.1 502 Bad Gateway'), 'Bad Gateway');
  assert.equal(reasonPhrase('HTTP/2.0 503'), '');
  assert.equal(reasonPhrase(undefined), '');
  assert.equal(reasonPhrase('garbage'), '');
});

test('only error statuses are looked at', () => {
  assert.equal(isCandidate(200), false);
  assert.equal(isCandidate(304), false);
  assert.equal(isCandidate(502), true);
  assert.equal(isCandidate(429), true);
});

test('event from a webRequest response', () => {
  const event = eventFromResponse(
    { url: 'http://a.test/x?q=1', method: 'POST', status: 502, statusLine: 'HTTP/1.1 502 Bad Gateway',
      headers: [{ name: 'Server', value: 'nginx' }, { name: 'X-Bin', binaryValue: [1] }] },
    { body: 'x'.repeat(70000), online: false, browser: 'firefox', now: 5, jitter: 0.25 },
  );
  assert.deepEqual(event.headers, [['Server', 'nginx'], ['X-Bin', '']]);
  assert.equal(event.status_text, 'Bad Gateway');
  assert.equal(event.method, 'POST');
  assert.equal(event.body.length, 65536);
  assert.equal(event.online, false);
  assert.equal(event.now_ms, 5);
  assert.equal(event.jitter, 0.25);
});
