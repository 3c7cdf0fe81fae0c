// The site asked only where the core asks (ask-site.js): never for a form, once, and the core's
// second diagnosis only of an answer that is the failure's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnoseAsking } from '../../extension/background/ask-site.js';

function setup({ askSite = true, form = false, answer = { status: 502, headers: [['server', 'nginx']] }, fits = true, lookMs = 0 } = {}) {
  const looked = [];
  const diagnosed = [];
  const deps = {
    url: 'https://shop.example/cart',
    form,
    diagnose: async (event) => {
      diagnosed.push(event);
      return { verdict: event.answer ? 'origin-down' : 'unknown', ask_site: askSite && !event.answer };
    },
    look: (url) => {
      looked.push(url);
      return new Promise((ok) => setTimeout(ok, lookMs, answer));
    },
    lookWaitMs: 50,
    withAnswer: (a) => (fits ? { first: true, answer: a } : null),
  };
  return { deps, looked, diagnosed };
}

test('where the core asks, the site is looked at once and the core diagnoses its answer', async () => {
  const { deps, looked, diagnosed } = setup();
  const { event, diagnosis } = await diagnoseAsking({ first: true }, deps);
  assert.deepEqual(looked, ['https://shop.example/cart']);
  assert.equal(diagnosed.length, 2);
  assert.equal(diagnosis.verdict, 'origin-down');
  assert.deepEqual(event.answer.headers, [['server', 'nginx']], 'the event returned is the one diagnosed');
});

test('where the core does not ask, or the page was a form, nothing is asked of the site', async () => {
  for (const options of [{ askSite: false }, { form: true }]) {
    const { deps, looked, diagnosed } = setup(options);
    const { event, diagnosis } = await diagnoseAsking({ first: true }, deps);
    assert.deepEqual(looked, [], JSON.stringify(options));
    assert.equal(diagnosed.length, 1);
    assert.deepEqual([event, diagnosis.verdict], [{ first: true }, 'unknown']);
  }
});

test("an answer that is not the failure's, none at all, or one too late keeps the first diagnosis", async () => {
  for (const options of [{ fits: false }, { answer: null }, { lookMs: 500 }]) {
    const { deps, looked, diagnosed } = setup(options);
    const { event, diagnosis } = await diagnoseAsking({ first: true }, deps);
    assert.equal(looked.length, 1, JSON.stringify(options));
    assert.equal(diagnosed.length, 1, JSON.stringify(options));
    assert.deepEqual([event, diagnosis.verdict], [{ first: true }, 'unknown']);
  }
});
