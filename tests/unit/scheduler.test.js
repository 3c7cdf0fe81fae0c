// The retry scheduler and the look at a failed address (scheduler.js), with a fake fetch and clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createScheduler } from '../../extension/background/scheduler.js';
import { readFileSync } from 'node:fs';
import { initSync, sharing } from '../../dist/chrome/core/page_medic.js';
import { memoryStorage } from './fakes.js';

// The real core says how long one request stands for others.
initSync({ module: readFileSync(new URL('../../dist/chrome/core/page_medic_bg.wasm', import.meta.url)) });

function site({ status = 502 } = {}) {
  const clock = { now: 1_000_000 };
  const fetched = [];
  const answer = { status };
  const scheduler = createScheduler({
    sharing: async () => { const [check_ms, answered_ms, look_ms, confirm_ms] = sharing(); return { check_ms, answered_ms, look_ms, confirm_ms }; },
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

test("a site's schedule is read from storage once while the worker runs, and a worker started again finds it", async () => {
  const clock = { now: 1_000_000 };
  const store = memoryStorage();
  let reads = 0;
  const counted = { ...store, get: (k) => { reads += 1; return store.get(k); } };
  const make = () => createScheduler({
    sharing: async () => { const [check_ms, answered_ms, look_ms, confirm_ms] = sharing(); return { check_ms, answered_ms, look_ms, confirm_ms }; },
    store: counted, fetchImpl: async () => ({ status: 502, statusText: '', headers: new Map() }),
    diagnose: async () => ({ verdict: 'origin-down', retry_after_ms: null }),
    nextRetry: async () => ({ auto: true, after_ms: 2000, reason: 'backoff' }),
    now: () => clock.now, random: () => 0.5,
  });
  const first = make();
  first.prefetch('https://a.example/x');
  const s = await first.join('https://a.example/x', diagnosis);
  await first.join('https://a.example/y', diagnosis);
  assert.equal(reads, 1, 'one read for the origin, made by the prefetch');
  // The write is not awaited by join: it lands in order before any later operation reads storage.
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(store.data['origin:https://a.example'], s, 'written through to storage');
  const again = make();
  assert.deepEqual(await again.join('https://a.example/z', diagnosis), s, 'a worker started again joins the stored schedule');
  assert.equal(reads, 2);
});

test('fifty tabs failing on one site share one check per backoff step', async () => {
  let now = 1_000_000;
  const fetched = [];
  const scheduler = createScheduler({
    sharing: async () => { const [check_ms, answered_ms, look_ms, confirm_ms] = sharing(); return { check_ms, answered_ms, look_ms, confirm_ms }; },
    store: memoryStorage(),
    fetchImpl: async (url) => { fetched.push(url); return { status: 502, statusText: 'Bad Gateway', headers: new Map() }; },
    diagnose: async (event) => ({ verdict: event.status >= 500 ? 'origin-down' : 'none', retry_after_ms: null }),
    nextRetry: async (verdict, method, retryAfter, attempt) => ({ auto: true, after_ms: 2000 * 2 ** attempt, reason: 'backoff' }),
    now: () => now,
    random: () => 0.5,
  });
  const diagnosis = { verdict: 'origin-down', retry: { auto: true, after_ms: 1500, reason: 'backoff' } };
  const joined = await Promise.all(Array.from({ length: 50 }, (_, i) => scheduler.join(`https://a.example/page${i}`, diagnosis)));
  assert.equal(new Set(joined.map((s) => s.nextAt)).size, 1, 'every tab follows the same schedule');
  for (let step = 0; step < 3; step += 1) {
    now = (await scheduler.join('https://a.example/x', diagnosis)).nextAt;
    const steps = await Promise.all(Array.from({ length: 50 }, (_, i) => scheduler.due(`https://a.example/page${i}`)));
    assert.equal(fetched.length, step + 1, `one check at step ${step}, not ${fetched.length}`);
    assert.equal(new Set(steps.map((s) => s.nextAt)).size, 1);
  }
});

test('a site that answers and fails again within seconds is flapping: only a confirmed answer stands for other tabs', async () => {
  const { scheduler, fetched, clock, answer } = site({ status: 200 });
  const confirmMs = sharing()[3];
  assert.ok(confirmMs >= 5_000, `the core confirms after ${confirmMs} ms`);
  await scheduler.join('https://a.example/x', diagnosis);
  clock.now += 1000;
  const first = await scheduler.due('https://a.example/x');
  assert.deepEqual(first, { answered: true, confirmed: false, confirmAt: clock.now + confirmMs }, 'the asking tab may load; no one else yet');
  // Another tab's countdown ends before the confirmation is due: it waits for it, asks nothing.
  clock.now += 1000;
  const other = await scheduler.due('https://a.example/x');
  assert.equal(other.answered, undefined);
  assert.equal(other.nextAt, first.confirmAt);
  assert.equal(fetched.length, 1);
  // The site fails again by then: no recovery.
  answer.status = 502;
  clock.now = first.confirmAt;
  const flap = await scheduler.due('https://a.example/x');
  assert.equal(flap.answered, undefined, `a flap is no recovery: ${JSON.stringify(flap)}`);
  assert.equal(fetched.length, 2);
  // It answers again, twice, confirm_ms apart: now it is back, and that stands for the other tabs.
  answer.status = 200;
  clock.now = flap.nextAt;
  assert.equal((await scheduler.due('https://a.example/x')).confirmed, false, 'the first answer after the flap starts over');
  clock.now += confirmMs;
  assert.deepEqual(await scheduler.due('https://a.example/x'), { answered: true, confirmed: true });
  clock.now += 1000;
  assert.deepEqual(await scheduler.due('https://a.example/x'), { answered: true, confirmed: true }, 'shared, without another request');
  assert.equal(fetched.length, 4);
});

test('a page of the site that fails after its first answer makes that answer a flap', async () => {
  const { scheduler, clock } = site({ status: 200 });
  await scheduler.join('https://a.example/x', diagnosis);
  clock.now += 1000;
  const first = await scheduler.due('https://a.example/x');
  assert.equal(first.confirmed, false);
  clock.now += 500;
  const joined = await scheduler.join('https://a.example/y', diagnosis);
  assert.ok(joined.answeredAt == null, 'the answer before the new failure is forgotten');
  assert.equal(joined.nextAt, clock.now + diagnosis.retry.after_ms, "and the new failure's own first decision counts");
  clock.now = first.confirmAt;
  assert.equal((await scheduler.due('https://a.example/x')).confirmed, false, 'the next answer is a first one again');
});

test("a timer that ends a millisecond early (Firefox's do, by the clock) still takes its step and confirms", async () => {
  const { scheduler, fetched, clock } = site({ status: 200 });
  await scheduler.join('https://a.example/x', diagnosis);
  clock.now += 1000;
  const first = await scheduler.due('https://a.example/x');
  assert.equal(first.confirmed, false);
  // The worker's confirming timer, set for confirmAt, ends 1 ms before it by Date.now().
  clock.now = first.confirmAt - 1;
  assert.deepEqual(await scheduler.due('https://a.example/x'), { answered: true, confirmed: true }, 'the other tabs may load now');
  assert.equal(fetched.length, 2);
});
