// Forms sent into another tab (form-targets.js): the page tells the form, the browser tells the tab
// it opened, in either order; the pair marks the new tab's page as a form's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFormTargets } from '../../extension/background/form-targets.js';

const ORDER = 'https://shop.example/order';
function setup() {
  const clock = { now: 1_000 };
  const marks = [];
  const targets = createFormTargets({ marked: (tabId, url) => marks.push([tabId, url]), now: () => clock.now, keepMs: 10_000 });
  return { clock, marks, targets };
}

test('the form told first, then the tab the browser opened for it: that tab is marked', () => {
  const { marks, targets } = setup();
  targets.sent(1, ORDER);
  assert.deepEqual(marks, [], 'no tab known yet');
  targets.opened({ sourceTabId: 1, tabId: 7, url: ORDER });
  assert.deepEqual(marks, [[7, ORDER]]);
});

test('the tab told first, then the form: that tab is marked, once', () => {
  const { marks, targets } = setup();
  targets.opened({ sourceTabId: 1, tabId: 7, url: `${ORDER}#done` });
  targets.sent(1, ORDER);
  targets.sent(1, ORDER);
  assert.deepEqual(marks, [[7, ORDER]], 'the fragment aside; a second form waits for its own tab');
  targets.opened({ sourceTabId: 1, tabId: 8, url: ORDER });
  assert.deepEqual(marks, [[7, ORDER], [8, ORDER]]);
});

test("a tab opened by a link, another tab's form, or another address is no form's", () => {
  const { marks, targets } = setup();
  targets.opened({ sourceTabId: 1, tabId: 7, url: 'https://shop.example/help' });
  targets.sent(1, ORDER);
  targets.opened({ sourceTabId: 2, tabId: 8, url: ORDER });
  targets.sent(3, 'https://shop.example/help');
  assert.deepEqual(marks, []);
});

test('what is not paired within a few seconds is forgotten', () => {
  const { clock, marks, targets } = setup();
  targets.sent(1, ORDER);
  targets.opened({ sourceTabId: 2, tabId: 9, url: ORDER });
  clock.now += 10_001;
  targets.opened({ sourceTabId: 1, tabId: 7, url: ORDER });
  targets.sent(2, ORDER);
  assert.deepEqual(marks, []);
});
