// Work held until a failed tab's panel is on screen (after-panel.js): done on the panel's word or
// on time, once, and a failing one is logged, never thrown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAfterPanel } from '../../extension/background/after-panel.js';

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

test("held work waits for the tab's panel, and is done once", async () => {
  const after = createAfterPanel({ withinMs: 60_000 });
  const done = [];
  after.hold(1, async () => { done.push('a'); });
  await sleep(10);
  assert.deepEqual(done, [], 'held while the panel loads');
  await after.release(2);
  assert.deepEqual(done, [], "another tab's panel releases nothing of this one");
  await after.release(1);
  assert.deepEqual(done, ['a']);
  await after.release(1);
  assert.deepEqual(done, ['a'], 'once');
});

test('held work is done on time without its panel; a second failure in the tab does the first one\'s at once', async () => {
  const after = createAfterPanel({ withinMs: 30 });
  const done = [];
  after.hold(1, async () => { done.push('first'); });
  after.hold(1, async () => { done.push('second'); });
  assert.deepEqual(done, ['first'], "the earlier failure's work is not dropped");
  await sleep(80);
  assert.deepEqual(done, ['first', 'second'], 'done within the time given');
});

test('work that fails is logged, and its tab goes on', async () => {
  const logged = [];
  const after = createAfterPanel({ withinMs: 60_000, log: (...args) => logged.push(args) });
  after.hold(1, async () => { throw new Error('storage full'); });
  await after.release(1);
  assert.equal(logged.length, 1);
  assert.match(String(logged[0][1]), /storage full/);
});
