// Each failed tab's line in the incident history (history.js): written once its panel is on screen,
// once only, and, when the background is stopped before it wrote it, by the next background as it
// starts. A "background" here is the modules made again over the same two stores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAfterPanel } from '../../extension/background/after-panel.js';
import { createFailures } from '../../extension/background/failures.js';
import { createHistory } from '../../extension/background/history.js';
import { newFailure } from '../../extension/background/records.js';
import { memoryStorage } from './fakes.js';

const OWN = 'chrome-extension://pm/';
const diagnosis = { verdict: 'origin-down', gateway: { name: 'nginx' }, error: null };
const failed = (path, at) => newFailure(`https://a.example${path}?token=secret`, { status: 502, now_ms: at }, diagnosis, null);

/**
 * One background's modules over the browser's storage areas. Its held work waits for its panel's
 * word only: its timer never fires here (a stopped background's timer is gone with it).
 */
function background(session, local, logged = []) {
  const failures = createFailures({ store: session, ownOrigin: OWN });
  const afterPanel = createAfterPanel({ withinMs: 60_000, setTimer: () => null, clearTimer: () => {} });
  const history = createHistory({ local, failures, afterPanel, log: (...line) => logged.push(line) });
  return { failures, afterPanel, history };
}

const lines = (local) => (local.data.incidents ?? []).map((i) => `${i.path} ${i.status} ${i.at}`);

test("a failure's line is written when its panel is on screen, once, and its record stops saying it is due", async () => {
  const session = memoryStorage();
  const local = memoryStorage();
  const first = background(session, local);
  const failure = failed('/x', 5_000);
  await first.failures.save(1, failure);
  first.history.afterPanel(1, failure);
  assert.deepEqual(lines(local), [], 'held while the panel loads');
  await first.afterPanel.release(1);
  assert.deepEqual(lines(local), ['/x 502 5000'], 'the failure\'s own time, no query string');
  assert.equal((await first.failures.load(1)).historyDue, undefined);

  // A background that starts later finds nothing left to write.
  const next = background(session, local);
  await next.history.resume();
  assert.deepEqual(lines(local), ['/x 502 5000']);
});

test('a background stopped before the panel reports leaves the line to the next one, which writes it as it starts', async () => {
  const session = memoryStorage();
  const local = memoryStorage();
  const stopped = background(session, local);
  const failure = failed('/y', 6_000);
  await stopped.failures.save(2, failure);
  stopped.history.afterPanel(2, failure);
  // The worker is stopped here: its held work and timer are gone with it.

  const next = background(session, local);
  await next.history.resume();
  assert.deepEqual(lines(local), ['/y 502 6000']);
  await next.afterPanel.release(2);
  await next.history.resume();
  assert.deepEqual(lines(local), ['/y 502 6000'], 'once');
  assert.equal((await next.failures.load(2)).historyDue, undefined, 'the record no longer says it is due');
  await background(session, local).history.resume();
  assert.deepEqual(lines(local), ['/y 502 6000'], 'a third background writes nothing');
});

test("a record saved again with its old mark (a handler's read before the line was written) makes no second line", async () => {
  const session = memoryStorage();
  const local = memoryStorage();
  const first = background(session, local);
  const failure = failed('/z', 7_000);
  await first.failures.save(3, failure);
  const readEarly = await first.failures.load(3);
  first.history.afterPanel(3, failure);
  await first.afterPanel.release(3);
  readEarly.cancelled = true;
  await first.failures.save(3, readEarly);
  await background(session, local).history.resume();
  assert.deepEqual(lines(local), ['/z 502 7000']);
});

test("a newer failure in the tab keeps its own mark when an older one's line is written", async () => {
  const session = memoryStorage();
  const local = memoryStorage();
  const { failures, history } = background(session, local);
  const older = failed('/a', 1_000);
  await failures.save(4, older);
  const newer = failed('/a', 2_000);
  await failures.save(4, newer);
  await history.now(4, older);
  assert.equal((await failures.load(4)).historyDue, true, "the newer failure's line is still due");
  await history.now(4, newer);
  assert.deepEqual(lines(local), ['/a 502 1000', '/a 502 2000']);
});

test('a line that cannot be written is logged and stays due for the next background', async () => {
  const session = memoryStorage();
  const local = memoryStorage();
  const logged = [];
  local.set = async () => { throw new Error('disk on fire'); };
  const first = background(session, local, logged);
  const failure = failed('/b', 3_000);
  await first.failures.save(5, failure);
  await first.history.now(5, failure);
  assert.match(String(logged[0]?.[1]), /disk on fire/);
  assert.equal((await first.failures.load(5)).historyDue, true);
  const working = memoryStorage();
  await background(session, working).history.resume();
  assert.deepEqual(lines(working), ['/b 502 3000']);
});
