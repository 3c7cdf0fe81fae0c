// Each tab's failure record, form mark and diagnosis under way (failures.js), with a fake store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFailures } from '../../extension/background/failures.js';
import { memoryStorage } from './fakes.js';

const OWN = 'chrome-extension://pm/';

/** A store that counts its reads. */
function counted(initial) {
  const store = memoryStorage(initial);
  const get = store.get.bind(store);
  store.reads = 0;
  store.get = (key) => { store.reads += 1; return get(key); };
  const remove = store.remove.bind(store);
  store.remove = async (keys) => { for (const k of [keys].flat()) await remove(k); };
  return store;
}

test("a healthy page's navigation reads no storage", async () => {
  const store = counted();
  const failures = createFailures({ store, ownOrigin: OWN });
  await failures.committed(1, 'https://a.example/', false);
  const reads = store.reads;
  for (let i = 0; i < 20; i += 1) await failures.committed(1, `https://a.example/${i}`, false);
  assert.equal(store.reads, reads, 'no read for 20 navigations of a tab with no failure');
});

test('a tab that moves on loses its failure; Page Medic\'s own page and the same address keep it', async () => {
  const store = counted();
  const failures = createFailures({ store, ownOrigin: OWN });
  await failures.save(3, { url: 'https://a.example/x' });
  await failures.committed(3, `${OWN}panel/panel.html`, false);
  await failures.committed(3, 'https://a.example/x', false);
  assert.deepEqual(await failures.load(3), { url: 'https://a.example/x' });
  await failures.committed(3, 'https://a.example/elsewhere', false);
  assert.equal(await failures.load(3), null);
});

test('records made before the worker stopped are still known after it starts again', async () => {
  const store = counted({ 'failure:7': { url: 'https://a.example/x' }, 'form:7': 'https://a.example/x' });
  const failures = createFailures({ store, ownOrigin: OWN });
  assert.equal(await failures.isForm(7, 'https://a.example/x'), true, 'a form mark survives a restart');
  await failures.committed(7, 'https://a.example/y', false);
  assert.equal(await failures.load(7), null, 'and so does the record, until the tab moves on');
  assert.equal(await failures.isForm(7, 'https://a.example/y'), false);
});

test('a form submission is marked for its own address only', async () => {
  const failures = createFailures({ store: counted(), ownOrigin: OWN });
  await failures.committed(2, 'https://a.example/pay', true);
  assert.equal(await failures.isForm(2, 'https://a.example/pay'), true);
  assert.equal(await failures.isForm(2, 'https://a.example/other'), false);
  await failures.committed(2, 'https://a.example/next', false);
  assert.equal(await failures.isForm(2, 'https://a.example/pay'), false, 'gone once the tab moves on');
});

test("a form the page is sending marks its address before any answer, or none, comes", async () => {
  const failures = createFailures({ store: counted(), ownOrigin: OWN });
  await failures.formSent(4, 'https://a.example/order#top');
  assert.equal(await failures.isForm(4, 'https://a.example/order'), true, 'a network error of the address is a form\'s');
  assert.equal(await failures.isForm(4, 'https://a.example/order#x'), true, 'whatever its fragment');
  assert.equal(await failures.isForm(4, 'https://a.example/other'), false);
  await failures.committed(4, 'https://a.example/order', true);
  assert.equal(await failures.isForm(4, 'https://a.example/order'), true, "and so is its answer's page");
  await failures.committed(4, `${OWN}panel/panel.html`, false);
  await failures.committed(4, 'https://a.example/order', false);
  assert.equal(await failures.isForm(4, 'https://a.example/order'), true, "Page Medic's page and a reload of the answer keep it");
  await failures.committed(4, 'https://a.example/next', false);
  assert.equal(await failures.isForm(4, 'https://a.example/order'), false, 'gone once the tab moves on');
});

test("a form sent by GET (a search box) is no form's: its answer is an address like any other", async () => {
  const failures = createFailures({ store: counted(), ownOrigin: OWN });
  failures.getSent(6, 'https://a.example/search#top');
  await failures.committed(6, 'https://a.example/search?q=shoes', true);
  assert.equal(await failures.isForm(6, 'https://a.example/search?q=shoes'), false, "the browser's form_submit is not taken");
  // The mark is for the tab's next commit only.
  await failures.committed(6, 'https://a.example/search?q=boots', true);
  assert.equal(await failures.isForm(6, 'https://a.example/search?q=boots'), true, 'a later form_submit with no GET told is a form');
  // An answer elsewhere than the form's address (a redirect) stays a form's: the safe side.
  failures.getSent(6, 'https://a.example/search');
  await failures.committed(6, 'https://a.example/results?q=shoes', true);
  assert.equal(await failures.isForm(6, 'https://a.example/results?q=shoes'), true);
  // And a form sent by POST to the same address stays a form, whatever was sent by GET before.
  failures.getSent(6, 'https://a.example/pay');
  await failures.formSent(6, 'https://a.example/pay');
  await failures.committed(6, 'https://a.example/pay', true);
  assert.equal(await failures.isForm(6, 'https://a.example/pay'), true);
  // A tab that is gone forgets its mark.
  failures.getSent(6, 'https://a.example/search');
  await failures.forget(6);
  await failures.committed(6, 'https://a.example/search?q=x', true);
  assert.equal(await failures.isForm(6, 'https://a.example/search?q=x'), true);
});

test("a page the browser says it asked for by GET loses its tab's form mark, and only that page", async () => {
  const store = counted();
  const failures = createFailures({ store, ownOrigin: OWN });
  await failures.committed(8, 'https://a.example/thanks', true);
  await failures.notForm(8, 'https://a.example/other');
  assert.equal(await failures.isForm(8, 'https://a.example/thanks'), true, "another page's word leaves the mark");
  await failures.notForm(8, 'https://a.example/thanks#done');
  assert.equal(await failures.isForm(8, 'https://a.example/thanks'), false);
  assert.deepEqual(await store.get('form:8'), {}, 'and it is gone from the store');
});

test('a panel that asks before the page reported gets the diagnosis when it is done', async () => {
  const failures = createFailures({ store: counted(), ownOrigin: OWN });
  const asked = failures.arrival(5, 2000).then((entry) => entry.ready.promise);
  const entry = failures.begin(5, { url: 'https://a.example/', status: 502 });
  assert.equal(failures.underway(5), entry);
  failures.end(5, entry, { diagnosis: { verdict: 'origin-down' } });
  assert.deepEqual(await asked, { diagnosis: { verdict: 'origin-down' } });
  assert.equal(failures.underway(5), null);
  assert.equal(await failures.arrival(6, 10), null, 'nobody waits for ever');
});

test('a newer diagnosis in the tab releases whoever waited on the older one', async () => {
  const failures = createFailures({ store: counted(), ownOrigin: OWN });
  const first = failures.begin(4, { url: 'https://a.example/1', status: 502 });
  const second = failures.begin(4, { url: 'https://a.example/2', status: 503 });
  assert.equal(await first.ready.promise, null);
  failures.end(4, first, { late: true });
  assert.equal(failures.underway(4), second, "the older one's end leaves the newer in place");
});

test('a panel that asks after the diagnosis finished is answered from memory, once, for that address', async () => {
  const store = counted();
  const failures = createFailures({ store, ownOrigin: OWN });
  const done = { failure: { url: 'https://a.example/' }, schedule: { auto: true, nextAt: 5 } };
  const entry = failures.begin(5, { url: 'https://a.example/', status: 502 });
  failures.end(5, entry, { diagnosis: {} }, done);
  const reads = store.reads;
  assert.equal(failures.finished(5, 'https://a.example/other'), null, 'another address gets nothing');
  failures.end(5, failures.begin(5, { url: 'https://a.example/', status: 502 }), { diagnosis: {} }, done);
  assert.deepEqual(failures.finished(5, 'https://a.example/'), { url: 'https://a.example/', ...done });
  assert.equal(store.reads, reads, 'no storage read');
  assert.equal(failures.finished(5, 'https://a.example/'), null, 'once: a later question reads the stored record');

  failures.end(6, failures.begin(6, { url: 'https://b.example/', status: 502 }), { diagnosis: {} }, done);
  await failures.committed(6, 'https://b.example/next', false);
  assert.equal(failures.finished(6, 'https://b.example/'), null, 'gone once the tab moved on');
  failures.end(7, failures.begin(7, { url: 'https://b.example/', status: 502 }), null, null);
  assert.equal(failures.finished(7, 'https://b.example/'), null, 'a page that gets no help leaves nothing');
});

test("a network error's record written while the tab's commit is read is kept, not dropped by it", async () => {
  // The store answers slowly, so the commit's read of the old record and the new record's write
  // overlap, as they may in a browser: webNavigation commits the error page as its error arrives.
  const store = counted({ 'failure:9': { url: 'https://a.example/checkout' } });
  const get = store.get;
  const set = store.set.bind(store);
  store.get = async (key) => { const value = await get(key); await new Promise((ok) => setTimeout(ok, 20)); return value; };
  store.set = async (items) => { await new Promise((ok) => setTimeout(ok, 5)); return set(items); };
  const failures = createFailures({ store, ownOrigin: OWN });
  await failures.isForm(9, 'x'); // the index is read
  const refused = 'http://127.0.0.1:9/';
  await Promise.all([
    failures.committed(9, refused, false),
    failures.save(9, { url: refused }),
  ]);
  assert.deepEqual(await failures.load(9), { url: refused });
  // And in the other order, too.
  await failures.save(9, { url: 'https://a.example/a' });
  await Promise.all([failures.save(9, { url: 'https://a.example/b' }), failures.committed(9, 'https://a.example/b', false)]);
  assert.deepEqual(await failures.load(9), { url: 'https://a.example/b' });
});
