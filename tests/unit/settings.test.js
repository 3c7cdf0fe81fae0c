// The shell's plain parts: settings repair, the incident history's cap and privacy, the retry
// scheduler's one-check-per-site rule, and which extensions can change a site.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULTS, isIgnored, loadOptions, parseStatuses, repair } from '../../extension/shared/options.js';
import { UNKNOWN, guarded } from '../../extension/background/guard.js';
import { MAX_INCIDENTS, addIncident, incidentOf, incidentsFor } from '../../extension/shared/incidents.js';
import { canChange, patternMatchesHost } from '../../extension/shared/extensions.js';
import { createScheduler } from '../../extension/background/checks.js';
import { memoryStorage } from './fakes.js';

/** storage.local / storage.session as the extension APIs shape them, in memory. */
test('statuses parse from numbers and ranges; nonsense is dropped', () => {
  assert.deepEqual([...parseStatuses('502, 503 520-523')], [502, 503, 520, 521, 522, 523]);
  assert.deepEqual([...parseStatuses('abc, 99, 700, 5000-5001')], []);
  assert.equal(parseStatuses(DEFAULTS.statuses).size, 14);
});

test('corrupt or old-format settings are repaired to the defaults, field by field', () => {
  assert.deepEqual(repair(undefined), { ...DEFAULTS });
  assert.deepEqual(repair('garbage'), { ...DEFAULTS });
  const fixed = repair({ statuses: 'none', autoRetry: 'yes', retryLimit: -3, ignoredSites: [' Example.COM ', 7, ''], replaceErrorPages: false });
  assert.deepEqual(fixed, { ...DEFAULTS, ignoredSites: ['example.com'], replaceErrorPages: false });
  assert.equal(isIgnored('https://shop.example.com/x', fixed.ignoredSites), true);
  assert.equal(isIgnored('https://notexample.com/x', fixed.ignoredSites), false);
  assert.equal(isIgnored('not a url', fixed.ignoredSites), false);
});

test('the incident history keeps no query string, is capped, and drops the oldest first', async () => {
  const storage = memoryStorage({ incidents: [null, { bogus: true }] });
  const d = { verdict: 'origin-down', gateway: { name: 'nginx' } };
  for (let i = 0; i < MAX_INCIDENTS + 5; i += 1) {
    await addIncident(storage, incidentOf(`https://a.example/p${i}?token=secret#x`, d, { status: 502, now: i }));
  }
  const all = storage.data.incidents;
  assert.equal(all.length, MAX_INCIDENTS);
  assert.equal(all[0].at, 5, 'the oldest went first');
  assert.ok(!JSON.stringify(all).includes('secret') && !JSON.stringify(all).includes('#x'));
  assert.equal((await incidentsFor(storage, 'https://a.example'))[0].path, `/p${MAX_INCIDENTS + 4}`);
});

test('fifty tabs failing on one site share one check per backoff step', async () => {
  let now = 1_000_000;
  const fetched = [];
  const scheduler = createScheduler({
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

test('extensions that can change a site', () => {
  assert.equal(patternMatchesHost('<all_urls>', 'a.example'), true);
  assert.equal(patternMatchesHost('*://*.example/*', 'shop.a.example'), true, 'any depth of subdomain');
  assert.equal(patternMatchesHost('*://*.example.org/*', 'a.example'), false);
  assert.equal(patternMatchesHost('*://*.a.example/*', 'shop.a.example'), true);
  assert.equal(patternMatchesHost('https://a.example/*', 'b.example'), false);
  assert.equal(canChange({ hostPermissions: [], permissions: ['declarativeNetRequest'] }, 'a.example'), true);
  assert.equal(canChange({ hostPermissions: ['https://b.example/*'], permissions: [] }, 'a.example'), false);
  assert.equal(canChange({ hostPermissions: [], permissions: ['proxy'] }, 'a.example'), true, 'a proxy-setting extension can reroute any site');
});

test('damaged settings are repaired with a log line; good ones silently', async () => {
  const logged = [];
  const log = (...args) => logged.push(args);
  assert.deepEqual(await loadOptions(memoryStorage({ options: { statuses: 42, autoRetry: 'yes' } }), log), { ...DEFAULTS });
  assert.equal(logged.length, 1);
  assert.match(logged[0][0], /repaired/);
  await loadOptions(memoryStorage({ options: { ...DEFAULTS } }), log);
  await loadOptions(memoryStorage({}), log);
  assert.equal(logged.length, 1, 'nothing to say about good or absent settings');
});

test('a damaged history is repaired with a log line; a full storage drops the oldest first', async () => {
  const logged = [];
  const log = (...args) => logged.push(args);
  const d = { verdict: 'origin-down', gateway: null };
  const storage = memoryStorage({ incidents: 'not a list' });
  await addIncident(storage, incidentOf('https://a.example/x', d, { status: 502, now: 1 }), log);
  assert.equal(storage.data.incidents.length, 1);
  assert.match(logged[0][0], /damaged/);

  // A storage area that holds at most 10 incidents, the way a full quota refuses a write.
  const small = memoryStorage();
  const set = small.set;
  small.set = async (items) => {
    if (items.incidents?.length > 10) throw new Error('QUOTA_BYTES quota exceeded');
    return set(items);
  };
  for (let i = 0; i < 10; i += 1) await addIncident(small, incidentOf(`https://a.example/p${i}`, d, { status: 502, now: i }), log);
  await addIncident(small, incidentOf('https://a.example/new', d, { status: 502, now: 99 }), log);
  const kept = small.data.incidents;
  assert.equal(kept.at(-1).path, '/new', 'the new incident is kept');
  assert.ok(kept.length <= 10 && kept[0].at > 0, `the oldest went first: ${kept.map((i) => i.at)}`);
  assert.ok(logged.some(([line]) => /full/.test(line)));
  small.set = async () => { throw new Error('disk on fire'); };
  await assert.rejects(addIncident(small, incidentOf('https://a.example/y', d, { now: 100 }), log), /disk on fire/, 'other errors are not swallowed');
});

test('a failing core gives a generic diagnosis and a log line, and the next call works', async () => {
  const logged = [];
  let fail = true;
  const diagnose = guarded(async (event) => {
    if (fail) throw new Error('RuntimeError: unreachable');
    return { verdict: 'origin-down', url: event.url };
  }, (...args) => logged.push(args));
  const d = await diagnose({ url: 'https://a.example/' });
  assert.equal(d.verdict, 'unknown');
  assert.deepEqual(d.actions, ['retry']);
  assert.equal(d.retry.auto, false);
  d.actions.push('mutated');
  assert.deepEqual(UNKNOWN.actions, ['retry'], 'each caller gets its own copy');
  assert.match(logged[0][0], /core failed/);
  fail = false;
  assert.equal((await diagnose({ url: 'https://a.example/' })).verdict, 'origin-down');
});
