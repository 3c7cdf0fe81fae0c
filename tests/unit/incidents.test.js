// The local incident history: no query string, capped, repaired when damaged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_INCIDENTS, addIncident, incidentOf, incidentsFor, recentFailures } from '../../extension/shared/incidents.js';
import { memoryStorage } from './fakes.js';

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

test("the core's view of recent failures: host, gateway and time of those a gateway answered, lately", async () => {
  const storage = memoryStorage({
    incidents: [
      { origin: 'https://old.example', gateway: 'Cloudflare', at: 1_000 },
      { origin: 'https://shop.example:8443', gateway: 'Cloudflare', at: 700_000 },
      { origin: 'https://offline.example', gateway: null, at: 700_000 },
      { origin: 'not a url', gateway: 'Fastly', at: 700_000 },
      { origin: 'http://127.0.0.2:9000', gateway: 'Fastly', at: 'soon' },
      null,
    ],
  });
  assert.deepEqual(await recentFailures(storage, 800_000), [['shop.example', 'Cloudflare', 700_000]]);
  assert.deepEqual(await recentFailures(memoryStorage({ incidents: 'damaged' }), 1), []);
});

test('failures recorded at the same moment (many tabs of one outage) are all kept', async () => {
  const storage = memoryStorage();
  const d = { verdict: 'origin-down', gateway: { name: 'Cloudflare' } };
  await Promise.all(Array.from({ length: 5 }, (_, i) => addIncident(storage, incidentOf(`https://site${i}.example/`, d, { status: 502, now: i }))));
  assert.deepEqual(storage.data.incidents.map((i) => i.origin).sort(), [0, 1, 2, 3, 4].map((i) => `https://site${i}.example`));
});
