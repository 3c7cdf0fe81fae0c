// Loading failed tabs again, with fake tabs and the real failure records: a site that answers
// again brings back its other tabs (never a form's, a cancelled one or another site's); a retry
// from outside a tab happens only where the core offered one; clearing a site's data reloads past
// the cache only if something was cleared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFailures } from '../../extension/background/failures.js';
import { createRecovery } from '../../extension/background/recovery.js';
import { clearSiteData } from '../../extension/background/site-data.js';
import { memoryStorage } from './fakes.js';

const ORIGIN = 'chrome-extension://page-medic/';

function rig(tabUrls) {
  const done = [];
  const failures = createFailures({ store: memoryStorage(), ownOrigin: ORIGIN });
  const tabs = {
    reload: async (id, { bypassCache }) => done.push(['reload', id, bypassCache]),
    update: async (id, { url }) => done.push(['go', id, url]),
    goBack: async (id) => done.push(['back', id]),
  };
  const showsOwnPage = async (id) => Boolean(tabUrls[id]?.startsWith(ORIGIN));
  const recovery = createRecovery({ tabs, failures, showsOwnPage, setHostState: async () => {} });
  return { failures, recovery, done };
}
const failure = (url, extra = {}) => ({
  url, tried: [], retrying: false, cancelled: false,
  diagnosis: { verdict: 'origin-down', actions: ['retry'], repeatable: true }, ...extra,
});

test("a site that answers again brings back its other failed tabs, and no one else's", async () => {
  const { failures, recovery, done } = rig({ 1: 'https://a.example/x', 2: `${ORIGIN}panel/panel.html`, 3: 'https://a.example/form', 4: 'https://a.example/y', 5: 'https://b.example/', 6: 'https://a.example/z' });
  await failures.save(1, failure('https://a.example/x'));
  await failures.save(2, failure('https://a.example/down')); // on Page Medic's diagnosis page
  await failures.save(3, failure('https://a.example/form', { diagnosis: { actions: ['retry'], repeatable: false } }));
  await failures.save(4, failure('https://a.example/y', { cancelled: true }));
  await failures.save(5, failure('https://b.example/'));
  await failures.save(6, failure('https://a.example/z'));
  await recovery.recoverSite('https://a.example/anything', 6);
  assert.deepEqual(done, [['reload', 1, false], ['go', 2, 'https://a.example/down']]);
  assert.equal((await failures.load(1)).retrying, true);
  assert.deepEqual((await failures.load(1)).tried, ['retry'], 'the report says it was retried');
});

test('a retry from outside the tab happens only where the core offered one', async () => {
  const { failures, recovery, done } = rig({ 1: 'https://a.example/x', 2: 'https://a.example/cert' });
  await failures.save(1, failure('https://a.example/x'));
  await failures.save(2, failure('https://a.example/cert', { diagnosis: { verdict: 'tls-failure', actions: ['check-connection'] } }));
  assert.equal(await recovery.retryTab(1, 'check-extensions'), true);
  assert.equal(await recovery.retryTab(2), false, "the browser's security warning is never retried");
  assert.equal(await recovery.retryTab(9), false, 'no record, no retry');
  assert.equal(await recovery.retryTab('1'), false, 'not a tab id');
  assert.deepEqual(done, [['reload', 1, false]]);
  assert.deepEqual((await failures.load(1)).tried, ['check-extensions', 'retry']);
});

test("a form's failure on the diagnosis page goes back to the form's own entry, never to its address", async () => {
  const { failures, recovery, done } = rig({ 1: `${ORIGIN}panel/panel.html` });
  const form = failure('https://a.example/order', { method: 'POST', diagnosis: { actions: ['retry'], repeatable: false } });
  await failures.save(1, form);
  assert.deepEqual(await recovery.reloadFailed(1, await failures.load(1), { ownPage: true }), { back: true });
  assert.equal(await recovery.retryTab(1), true, 'the popup\'s "Send the form again"');
  assert.deepEqual(done, [['back', 1]], 'the browser sends it again, or asks: no GET of the form\'s address');
});

test('a caller that knows what the tab shows is not asked again', async () => {
  let asked = 0;
  const failures = createFailures({ store: memoryStorage(), ownOrigin: ORIGIN });
  const done = [];
  const tabs = { reload: async (id) => done.push(['reload', id]), update: async () => {} };
  const recovery = createRecovery({ tabs, failures, showsOwnPage: async () => { asked += 1; return true; }, setHostState: async () => {} });
  await failures.save(1, failure('https://a.example/x'));
  assert.deepEqual(await recovery.reloadFailed(1, await failures.load(1), { ownPage: true }), { go: 'https://a.example/x' });
  assert.deepEqual(await recovery.reloadFailed(1, await failures.load(1), { ownPage: false }), { reloaded: true });
  assert.deepEqual(done, [['reload', 1]]);
  assert.equal(asked, 0);
  assert.deepEqual(await recovery.reloadFailed(1, await failures.load(1)), { go: 'https://a.example/x' }, 'else the tab is asked');
  assert.equal(asked, 1);
});

test("clearing a site's data: only that site, by origin in Chrome and host in Firefox, and a reload past the cache", async () => {
  const calls = [];
  const browsingData = {
    remove: async (filter, types) => {
      if (types.serviceWorkers) throw new Error('not for one site');
      calls.push([filter, Object.keys(types)[0]]);
    },
  };
  const chrome = await clearSiteData(browsingData, 'chrome', 'https://shop.example:8443/cart', 'all');
  assert.deepEqual(chrome.notCleared, ['serviceWorkers'], 'what cannot be limited to the site is said, not cleared');
  assert.ok(calls.every(([filter]) => JSON.stringify(filter) === '{"origins":["https://shop.example:8443"]}'));
  calls.length = 0;
  const firefox = await clearSiteData(browsingData, 'firefox', 'https://shop.example:8443/cart', 'cache');
  assert.deepEqual([firefox.cleared, calls], [['cache'], [[{ hostnames: ['shop.example'] }, 'cache']]]);
  assert.deepEqual(await clearSiteData(browsingData, 'chrome', 'https://a.example/', 'everything'), { cleared: [], notCleared: [] });

  const { failures, recovery, done } = rig({ 1: 'https://a.example/x' });
  await failures.save(1, failure('https://a.example/x'));
  assert.deepEqual(await recovery.afterClearing(1, await failures.load(1), 'cache', { cleared: [], notCleared: ['cache'] }),
    { cleared: [], notCleared: ['cache'] });
  assert.deepEqual(done, [], 'nothing cleared: no reload');
  const result = await recovery.afterClearing(1, await failures.load(1), 'all', { cleared: ['cookies'], notCleared: [] });
  assert.deepEqual([result.reloaded, done], [true, [['reload', 1, true]]]);
  assert.deepEqual((await failures.load(1)).tried, ['clear-cache', 'clear-site-data', 'retry']);
});
