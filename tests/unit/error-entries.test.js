// The failed load's entry in the tab's history (error-entries.js): Firefox tells of a failure
// before its error page commits, and Page Medic's page waits for that commit, only for a while.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createErrorEntries } from '../../extension/background/error-entries.js';

const URL = 'http://a.example/order';
const failed = { tabId: 3, frameId: 0, url: URL, error: 'Error code 2152398868' };
/** Whether `promise` has settled after the queued work has run. */
const settled = async (promise) => {
  let done = false;
  promise.then(() => { done = true; });
  await new Promise((ok) => setTimeout(ok, 0));
  return done;
};

test("waits for the tab's commit after its failure, and no longer", async () => {
  const entries = createErrorEntries();
  entries.failed(failed);
  const entered = entries.entered(3, URL, 60_000);
  assert.equal(await settled(entered), false, 'the error page has not committed yet');
  entries.committed(4);
  assert.equal(await settled(entered), false, "another tab's commit is not this tab's");
  entries.committed(3);
  assert.equal(await settled(entered), true);
  assert.equal(await settled(entries.entered(3, URL, 60_000)), true, 'once committed, no wait');
});

test('a commit that came first (the usual case) means no wait at all', async () => {
  const entries = createErrorEntries();
  entries.failed(failed);
  entries.committed(3);
  assert.equal(await settled(entries.entered(3, URL, 60_000)), true);
});

test('waits only for the failure it was told of, and only up to the limit', async () => {
  const entries = createErrorEntries();
  assert.equal(await settled(entries.entered(3, URL, 60_000)), true, 'nothing told: no wait (Chromium commits first)');
  entries.failed({ ...failed, frameId: 2 });
  assert.equal(await settled(entries.entered(3, URL, 60_000)), true, "a subframe's failure has no entry of the tab's");
  entries.failed(failed);
  assert.equal(await settled(entries.entered(3, 'http://a.example/other', 60_000)), true, 'another address');
  const withFragment = entries.entered(3, `${URL}#top`, 60_000);
  assert.equal(await settled(withFragment), false, 'its address, with a fragment');
  const started = Date.now();
  await entries.entered(3, URL, 30);
  assert.ok(Date.now() - started >= 25, 'no commit: the limit ends the wait');
  entries.committed(3);
  assert.equal(await settled(withFragment), true, 'a longer wait ends with the commit');
});

test('a second report of the same failure keeps the wait; a closed tab ends it', async () => {
  const entries = createErrorEntries();
  entries.failed({ ...failed, error: 'Error code 2152398850' });
  const entered = entries.entered(3, URL, 60_000);
  entries.failed(failed);
  assert.equal(await settled(entered), false, 'the same load told twice (aborted, then its error)');
  entries.forget(3);
  assert.equal(await settled(entered), true);
});
