// The background's checks of a failed site (checks.js), with a fake fetch and clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createScheduler } from '../../extension/background/checks.js';
import { memoryStorage } from './fakes.js';

function site({ status = 502 } = {}) {
  const clock = { now: 1_000_000 };
  const fetched = [];
  const answer = { status };
  const scheduler = createScheduler({
    store: memoryStorage(),
    fetchImpl: async (url) => {
      fetched.push(url);
      return { status: answer.status, statusText: '', headers: new Map([['x-request-id', `id-${fetched.length}`]]) };
    },
    diagnose: async (event) => ({ verdict: event.status >= 500 ? 'origin-down' : 'none', retry_after_ms: null }),
    nextRetry: async () => ({ auto: true, after_ms: 2000, reason: 'backoff' }),
    now: () => clock.now,
    random: () => 0.5,
  });
  return { scheduler, fetched, clock, answer };
}
const diagnosis = { verdict: 'origin-down', retry: { auto: true, after_ms: 1000, reason: 'backoff' } };

test('a look is one request per failed address, shared by its tabs, never by another address', async () => {
  const { scheduler, fetched, clock } = site();
  const [a, b] = await Promise.all([scheduler.look('https://a.example/x'), scheduler.look('https://a.example/x')]);
  assert.equal(fetched.length, 1, 'two tabs of one address: one request');
  assert.equal(a, b);
  assert.deepEqual(a.headers, [['x-request-id', 'id-1']], 'the look carries the headers');
  const other = await scheduler.look('https://a.example/y');
  assert.equal(fetched.length, 2, 'another address of the site gets its own look');
  assert.deepEqual(other.headers, [['x-request-id', 'id-2']], "and never another request's id");
  clock.now += 30_000;
  await scheduler.look('https://a.example/x');
  assert.equal(fetched.length, 3, 'a look goes stale after 30 s');
});

test('a check answered before a new failure does not stand for it (no reload into the error)', async () => {
  const { scheduler, fetched, clock, answer } = site({ status: 200 });
  await scheduler.join('https://a.example/x', diagnosis);
  clock.now += 1000;
  assert.equal((await scheduler.due('https://a.example/x')).answered, true, 'the site answered');
  // A moment later a page of the site fails again: its first check must ask the site anew.
  answer.status = 502;
  clock.now += 500;
  const s = await scheduler.join('https://a.example/x', diagnosis);
  clock.now = s.nextAt;
  const step = await scheduler.due('https://a.example/x');
  assert.equal(step.answered, undefined, `the new failure's check asked the site: ${JSON.stringify(step)}`);
  assert.equal(fetched.length, 2);
});
