// A failed tab's record: what it keeps of the failure, what a retry carries over, and the retry
// state the panel's countdown runs on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addTried, newFailure, offers, panelInfo, stateOf } from '../../extension/background/records.js';

const diagnosis = { verdict: 'origin-down', actions: ['retry', 'just-me'], retry: { auto: true, after_ms: 2000, reason: 'backoff' } };
const event = { url: 'https://a.example/x?q=1', method: 'GET', status: 502, status_text: 'Bad Gateway', headers: [['set-cookie', 'a=1']], now_ms: 5_000 };

test("a record keeps the failure's facts and time, and no headers", () => {
  const failure = newFailure(event.url, event, diagnosis, null, 9_000);
  assert.deepEqual(failure, {
    url: event.url, at: 5_000, method: 'GET', status: 502, statusText: 'Bad Gateway', error: null, diagnosis,
    retrying: false, cancelled: false, shownDiagnosisPage: false, tried: [], triedAt: {}, historyDue: true,
  });
  assert.equal(newFailure('u', { url: 'u' }, diagnosis, null, 9_000).at, 9_000, 'without the event\'s time, now');
});

test('a retry of Page Medic\'s that failed again keeps what was tried; another failure starts afresh', () => {
  const first = newFailure(event.url, event, diagnosis, null);
  addTried(first, 'retry', 7_000);
  addTried(first, 'retry', 8_000);
  assert.deepEqual(first.tried, ['retry'], 'each thing once');
  assert.deepEqual(first.triedAt, { retry: 7_000 }, 'and when it was first tried');
  first.retrying = true;
  first.shownDiagnosisPage = true;
  const again = newFailure(event.url, event, diagnosis, first);
  assert.deepEqual([again.tried, again.triedAt, again.shownDiagnosisPage], [['retry'], { retry: 7_000 }, true]);
  assert.deepEqual(newFailure('https://a.example/other', event, diagnosis, first).tried, [], 'another address');
  assert.deepEqual(newFailure(event.url, event, diagnosis, { ...first, retrying: false }).tried, [], 'the visitor came back by hand');
});

test("a handler acts only on what the core offered", () => {
  const failure = newFailure(event.url, event, diagnosis, null);
  assert.equal(offers(failure, 'retry'), true);
  assert.equal(offers(failure, 'notify-when-back'), false);
  assert.equal(offers(null, 'retry'), false);
});

test("the countdown's state: ms from now to the schedule's step, or why there is none", () => {
  const failure = newFailure(event.url, event, diagnosis, null);
  assert.deepEqual(stateOf(failure, { auto: true, nextAt: 12_000, attempt: 2, reason: 'backoff' }, 10_000),
    { auto: true, reason: 'backoff', inMs: 2_000, attempt: 2 });
  assert.equal(stateOf(failure, { auto: true, nextAt: 9_000 }, 10_000).inMs, 0, 'a step already due: at once');
  assert.deepEqual(stateOf(failure, null, 10_000), { auto: false, reason: 'backoff', inMs: null, attempt: 0 });
  assert.deepEqual(stateOf({ ...failure, cancelled: true }, { auto: true, nextAt: 12_000 }, 10_000),
    { auto: false, reason: 'cancelled', inMs: null, attempt: 0 });
  const info = panelInfo(failure, { auto: false, reason: 'disabled' }, 10_000);
  assert.deepEqual(Object.keys(info), ['diagnosis', 'url', 'method', 'status', 'error', 'state']);
  assert.equal(info.state.reason, 'disabled');
});
