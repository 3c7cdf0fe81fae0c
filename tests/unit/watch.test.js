// "Tell me when it's back" without a browser: the watcher's alarms, its checks through the real
// scheduler, the notification it shows and what its click opens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createScheduler } from '../../extension/background/scheduler.js';
import { createWatcher, watchId } from '../../extension/background/watch.js';
import { initSync, sharing, watchNext } from '../../dist/chrome/core/page_medic.js';
import { memoryStorage } from './fakes.js';

// The real core decides when a watch checks and when it ends.
initSync({ module: readFileSync(new URL('../../dist/chrome/core/page_medic_bg.wasm', import.meta.url)) });
const SLOW_CHECK_MS = 60_000;
const WATCH_FOR_MS = 24 * 60 * 60 * 1000;

function rig({ retry = (attempt) => ({ auto: true, after_ms: 2000 * 2 ** attempt, reason: 'backoff' }) } = {}) {
  const world = { now: 1_000_000, up: false, fetched: [], alarms: new Map(), shown: new Map(), opened: [], back: [] };
  const store = memoryStorage();
  const scheduler = createScheduler({
    sharing: async () => { const [check_ms, answered_ms, look_ms, confirm_ms] = sharing(); return { check_ms, answered_ms, look_ms, confirm_ms }; },
    store,
    fetchImpl: async (url) => {
      world.fetched.push(url);
      return { status: world.up ? 200 : 502, statusText: '', headers: new Map() };
    },
    diagnose: async (event) => ({ verdict: event.status >= 500 ? 'origin-down' : 'none', retry_after_ms: null }),
    nextRetry: async (verdict, method, retryAfter, attempt) => retry(attempt),
    now: () => world.now,
    random: () => 0.5,
  });
  const watcher = createWatcher({
    store,
    alarms: { create: async (name, { when }) => { world.alarms.set(name, when); } },
    notifications: {
      create: async (id, options) => { world.shown.set(id, options); return id; },
      clear: async (id) => world.shown.delete(id),
    },
    scheduler,
    nextCheck: async (since, now, next) => watchNext(since, now, next) ?? null,
    openTab: async (url) => world.opened.push(url),
    onBack: async (url) => world.back.push(url),
    text: (key, [host]) => `${key}(${host})`,
    iconUrl: 'icon.png',
    now: () => world.now,
  });
  /** Lets time pass to the next alarm and fires it, as the browser would. */
  world.fire = async () => {
    const [[name, when]] = [...world.alarms];
    world.alarms.delete(name);
    world.now = Math.max(world.now, when);
    await watcher.onAlarm(name);
  };
  return { world, store, watcher };
}

const diagnosis = { verdict: 'origin-down', retry: { auto: true, after_ms: 1500, reason: 'backoff' } };

test('checks on the schedule, one check per step for every watch of a site, then notifies', async () => {
  const { world, watcher } = rig();
  await Promise.all([1, 2, 3].map((i) => watcher.start(`https://a.example/p${i}?q=1`, diagnosis)));
  assert.deepEqual([...world.alarms.keys()], ['watch:https://a.example'], 'one alarm for the site');
  assert.equal(world.alarms.get('watch:https://a.example'), 1_000_000 + 1500, 'at the first step of the schedule');
  for (let step = 1; step <= 3; step += 1) {
    await world.fire();
    assert.equal(world.fetched.length, step);
    assert.equal(world.shown.size, 0);
  }
  world.up = true;
  await world.fire();
  assert.equal(world.fetched.length, 4);
  assert.equal(world.shown.size, 0, 'one answer is not yet "it\'s back"');
  assert.deepEqual(world.back, [], 'nor are the tabs pulled back on it');
  await world.fire();
  assert.equal(world.fetched.length, 5, 'a second check confirms it');
  const shown = world.shown.get('watch:https://a.example');
  assert.equal(shown.title, 'notify_back_title(a.example)');
  assert.equal(shown.message, 'notify_back_message(a.example)');
  assert.equal(world.alarms.size, 0, 'no more checks once it answered');
  assert.deepEqual(world.back, ['https://a.example/p3?q=1'], 'tabs still open on the site are told');

  await watcher.onClicked('watch:https://a.example');
  assert.deepEqual(world.opened, ['https://a.example/p3?q=1'], 'the click opens the page');
  assert.equal(world.shown.size, 0);
  assert.equal(await watcher.isWatching('https://a.example/p3'), false);
  await watcher.onClicked('watch:https://a.example');
  assert.equal(world.opened.length, 1, 'a second click opens nothing more');
});

test('a site that answers once and fails again is flapping: no "it\'s back", and the watch goes on', async () => {
  const { world, watcher } = rig();
  await watcher.start('https://c.example/', diagnosis);
  world.up = true;
  await world.fire();
  assert.equal(world.fetched.length, 1);
  const confirmAt = world.alarms.get(watchId('https://c.example/'));
  assert.equal(confirmAt - world.now, sharing()[3], "the second check comes the core's confirm_ms after the first answer");
  world.up = false;
  await world.fire();
  assert.equal(world.fetched.length, 2);
  assert.equal(world.shown.size, 0, 'no notification for a flap');
  assert.deepEqual(world.back, []);
  assert.ok(world.alarms.has(watchId('https://c.example/')), 'the watch goes on');
  world.up = true;
  await world.fire();
  await world.fire();
  assert.equal(world.shown.size, 1, 'two answers in a row, confirm_ms apart: it is back');
});

test('keeps checking slowly once the retry schedule gives up, and stops after a day', async () => {
  const { world, watcher } = rig({ retry: () => ({ auto: false, after_ms: null, reason: 'gave-up' }) });
  await watcher.start('https://b.example/', diagnosis);
  await world.fire();
  const next = world.alarms.get(watchId('https://b.example/'));
  assert.equal(next - world.now, SLOW_CHECK_MS);
  let fired = 1;
  while (world.alarms.size && fired < 5000) {
    await world.fire();
    fired += 1;
  }
  assert.equal(world.alarms.size, 0);
  assert.ok(Math.abs(fired - WATCH_FOR_MS / SLOW_CHECK_MS) <= 2, `about one check a minute for a day (${fired})`);
  assert.equal(world.shown.size, 0);
  assert.equal(await watcher.isWatching('https://b.example/'), false);
});

test('other alarms and notifications are not the watcher\'s', async () => {
  const { world, watcher } = rig();
  await watcher.onAlarm('something-else');
  await watcher.onClicked('another-id');
  await watcher.onAlarm('watch:https://never-started.example');
  assert.equal(world.fetched.length, 0);
  assert.equal(world.opened.length, 0);
});
