// A finished diagnosis handed to its panel through the extension's localStorage (Firefox's event
// page has one): background/handover.js gives, shared/handover.js takes. Taken once, dropped when
// no longer wanted, never for a private window, never with the query string, and nothing at all
// where the background has no localStorage (Chromium's service worker).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHandover } from '../../extension/background/handover.js';
import { HANDOVER_PREFIX, isHandoverKey, takeHandover } from '../../extension/shared/handover.js';

/** The Storage interface (localStorage's), over a Map. */
function fakeStorage(entries = []) {
  const map = new Map(entries);
  return {
    map,
    get length() { return map.size; },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => { map.set(k, String(v)); },
    removeItem: (k) => { map.delete(k); },
  };
}

const KEY = '0123456789abcdef0123456789abcdef';
const INFO = {
  diagnosis: { verdict: 'origin-down', side: 'site', request_id: 'abc' },
  url: 'https://shop.test/cart?token=secret#frag', status: 502, method: 'GET', error: null,
  state: { auto: true, inMs: 12_000, reason: null, attempt: 0 },
};

test("the panel takes what was handed to its frame's key, once", () => {
  const storage = fakeStorage();
  assert.equal(createHandover(storage).give(7, KEY, INFO), true);
  const taken = takeHandover(storage, KEY);
  assert.deepEqual(taken.diagnosis, INFO.diagnosis);
  assert.deepEqual(taken.state, INFO.state);
  assert.equal(taken.url, 'https://shop.test/cart', 'without its query string or fragment');
  assert.doesNotMatch(JSON.stringify(taken), /secret|frag/);
  assert.equal(takeHandover(storage, KEY), null, 'taken once');
  assert.equal(storage.length, 0, 'nothing left behind');
});

test('another key, or no key, finds nothing', () => {
  const storage = fakeStorage();
  createHandover(storage).give(7, KEY, INFO);
  assert.equal(takeHandover(storage, 'f'.repeat(32)), null);
  assert.equal(takeHandover(storage, ''), null);
  assert.equal(takeHandover(storage, `${KEY}x`), null);
  assert.equal(storage.length, 1, "the frame's own item is still there for it");
});

test("an item no longer wanted is dropped: the panel asked, its tab closed, or the tab's next failure", () => {
  const storage = fakeStorage();
  const handover = createHandover(storage);
  handover.give(7, KEY, INFO);
  handover.drop(8);
  assert.equal(storage.length, 1, "another tab's drop leaves it");
  handover.drop(7);
  assert.equal(storage.length, 0);
  handover.drop(7); // (again: nothing to do)

  handover.give(7, KEY, INFO);
  handover.give(7, 'a'.repeat(32), INFO);
  assert.deepEqual([...storage.map.keys()], [`${HANDOVER_PREFIX}${'a'.repeat(32)}`], "the tab's earlier item goes");
});

test('nothing is handed over for a private window, a bad key, or without localStorage', () => {
  const storage = fakeStorage();
  const handover = createHandover(storage);
  assert.equal(handover.give(7, KEY, INFO, { incognito: true }), false);
  for (const key of [undefined, null, 42, 'KEY', `${KEY}0`, KEY.toUpperCase(), `../${KEY}`]) {
    assert.equal(handover.give(7, key, INFO), false, String(key));
  }
  assert.equal(storage.length, 0);

  const none = createHandover(null); // Chromium's service worker
  assert.equal(none.give(7, KEY, INFO), false);
  none.drop(7);
  assert.equal(takeHandover(null, KEY), null);
});

test('a background that starts removes what a stopped one left, and nothing else', () => {
  const storage = fakeStorage([[`${HANDOVER_PREFIX}${KEY}`, '{}'], [`${HANDOVER_PREFIX}${'b'.repeat(32)}`, '{}'], ['other', 'kept']]);
  createHandover(storage);
  assert.deepEqual([...storage.map.keys()], ['other']);
});

test('storage that refuses, or an item that is not JSON, means the panel asks (never a throw)', () => {
  const full = { ...fakeStorage(), length: 0, setItem: () => { throw new Error('QuotaExceededError'); } };
  assert.equal(createHandover(full).give(7, KEY, INFO), false);
  const broken = fakeStorage([[`${HANDOVER_PREFIX}${KEY}`, '{not json']]);
  assert.equal(takeHandover(broken, KEY), null);
  const refusing = { getItem: () => { throw new Error('SecurityError'); } };
  assert.equal(takeHandover(refusing, KEY), null);
});

test('keys are 32 hex digits', () => {
  assert.ok(isHandoverKey(KEY));
  assert.ok(!isHandoverKey(KEY.slice(1)));
});
