// The visitor's settings: the statuses list's syntax, repair of damaged or old settings, and
// the choices the core takes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULTS, choicesOf, loadOptions, parseStatuses, repair } from '../../extension/shared/options.js';
import { memoryStorage } from './fakes.js';

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

test("the visitor's choices as the core takes them: the statuses listed, the retry limit, the switches, the sites left alone", () => {
  assert.deepEqual(choicesOf(repair({ statuses: '502, 520-522', retryLimit: 0, autoRetry: false, ignoredSites: ['Intranet.example'] })),
    { statuses: [502, 520, 521, 522], retry_limit: 0, auto_retry: false, replace_error_pages: true, ignored_sites: 'intranet.example' });
  assert.deepEqual(choicesOf(repair({})).statuses.length, 3 + 11, 'the defaults: 502, 503, 504 and 520-530');
});
