// The background's view of the visitor's settings (settings.js), with a fake storage.sync.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSettings } from '../../extension/background/settings.js';
import { memoryStorage } from './fakes.js';

function fakeSync(initial) {
  const sync = memoryStorage(initial);
  const get = sync.get.bind(sync);
  sync.reads = 0;
  sync.get = (key) => { sync.reads += 1; return get(key); };
  const listeners = [];
  const onChanged = { addListener: (fn) => listeners.push(fn) };
  const change = async (options, area = 'sync') => {
    await sync.set({ options });
    for (const fn of listeners) fn({ options: { newValue: options } }, area);
  };
  return { sync, onChanged, change };
}

test('settings are read once, and again only after they change in storage.sync', async () => {
  const { sync, onChanged, change } = fakeSync({ options: { statuses: '502', retryLimit: 3 } });
  const settings = createSettings({ sync, onChanged });
  assert.deepEqual((await settings.choices()).statuses, [502]);
  assert.equal((await settings.options()).retryLimit, 3);
  await settings.choices();
  assert.equal(sync.reads, 1, 'kept while unchanged');

  await change({ statuses: '503', retryLimit: 3 }, 'local');
  assert.deepEqual((await settings.choices()).statuses, [502], 'another area is not the settings');
  await change({ statuses: '503', retryLimit: 0, ignoredSites: ['a.example'] });
  const choices = await settings.choices();
  assert.deepEqual([choices.statuses, choices.retry_limit, choices.ignored_sites], [[503], 0, 'a.example']);
  assert.equal(sync.reads, 2);
});

test('damaged settings come back repaired, never as an error', async () => {
  const { sync, onChanged } = fakeSync({ options: 'garbage' });
  const warn = console.warn;
  console.warn = () => {};
  try {
    const choices = await createSettings({ sync, onChanged }).choices();
    assert.equal(choices.retry_limit, 30);
    assert.equal(choices.auto_retry, true);
  } finally {
    console.warn = warn;
  }
});
