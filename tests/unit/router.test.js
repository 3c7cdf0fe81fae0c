// Who may send the background which message: a page's content script, Page Medic's pages in a
// tab, the toolbar popup; nobody else, and never one posing as another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRouter, trusted } from '../../extension/background/router.js';

const me = { id: 'page-medic', origin: 'chrome-extension://page-medic/' };
const contentScript = { id: 'page-medic', tab: { id: 7 }, frameId: 0, url: 'https://shop.example/cart' };
const subframeScript = { ...contentScript, frameId: 3 };
const panel = { id: 'page-medic', tab: { id: 7 }, frameId: 1, url: 'chrome-extension://page-medic/panel/panel.html' };
const popup = { id: 'page-medic', url: 'chrome-extension://page-medic/pages/popup.html' };
const otherExtension = { ...panel, id: 'someone-else', url: 'chrome-extension://someone-else/x.html' };

test('each kind of message comes only from its own kind of sender', () => {
  const cases = [
    ['cs-bg-failed', contentScript, true],
    ['cs-bg-failed', subframeScript, false],
    ['cs-bg-failed', panel, false],
    ['cs-bg-form', contentScript, true],
    ['cs-bg-form', subframeScript, false],
    ['cs-bg-form', popup, false],
    ['ui-bg-retry', panel, true],
    ['ui-bg-retry', contentScript, false], // a page cannot press the panel's buttons
    ['ui-bg-retry', popup, false],
    ['popup-bg-status', popup, true],
    ['popup-bg-status', panel, false],
    ['popup-bg-status', contentScript, false],
    ['ui-bg-retry', otherExtension, false],
    ['bg-cs-close', panel, false],
    ['ui-bg-retry', {}, false],
  ];
  for (const [type, sender, allowed] of cases) {
    assert.equal(trusted(type, sender, me), allowed, `${type} from ${JSON.stringify(sender)}`);
  }
  assert.equal(trusted('ui-bg-retry', undefined, me), false);
});

test('a trusted message reaches its handler and its answer (or error) goes back; others get none', async () => {
  const seen = [];
  const route = createRouter({
    'ui-bg-retry': async (message, sender) => { seen.push([message.type, sender.tab.id]); return { reloaded: true }; },
    'ui-bg-cancel': async () => { throw new Error('no failure'); },
  }, me);
  const answer = (message, sender) => new Promise((resolve) => {
    const kept = route(message, sender, resolve);
    if (!kept) resolve('not answered');
  });
  assert.deepEqual(await answer({ type: 'ui-bg-retry' }, panel), { reloaded: true });
  assert.deepEqual(seen, [['ui-bg-retry', 7]]);
  assert.deepEqual(await answer({ type: 'ui-bg-cancel' }, panel), { error: 'Error: no failure' });
  assert.equal(await answer({ type: 'ui-bg-retry' }, contentScript), 'not answered');
  assert.equal(await answer({ type: 'toString' }, panel), 'not answered', 'no inherited property is a handler');
  assert.equal(await answer({ type: 42 }, panel), 'not answered');
  assert.equal(await answer(null, panel), 'not answered');
  assert.equal(seen.length, 1);
});
