// The shell when its core fails: a generic diagnosis, a log line, and the next call still works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UNKNOWN, guarded } from '../../extension/background/guard.js';

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
