// Tab in the panel (extension/shared/ui.js `nextControl`): the keyboard moves to the next control
// that is shown, Shift+Tab to the one before, round at either end; from outside the controls
// (the frame's body after the page took the keyboard) to the first, or back to the last.
import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.document = { createElement: () => ({}) };
const { nextControl } = await import('../../extension/shared/ui.js');

// A part of the panel holding controls by name; a control in a hidden part is skipped.
function part(...names) {
  const controls = names.map((name) => ({ name, hiddenPart: name.startsWith('hidden:'), closest(selector) {
    assert.equal(selector, '[hidden]');
    return this.hiddenPart ? {} : null;
  } }));
  return {
    controls,
    named: (name) => controls.find((c) => c.name === name),
    querySelectorAll(selector) {
      assert.match(selector, /button:not\(\[hidden\]\)/);
      return controls;
    },
  };
}

test('Tab moves to the next control, and from the last round to the first', () => {
  const p = part('Retry now', 'Cancel', 'Dismiss');
  assert.equal(nextControl(p, p.named('Retry now')).name, 'Cancel');
  assert.equal(nextControl(p, p.named('Cancel')).name, 'Dismiss');
  assert.equal(nextControl(p, p.named('Dismiss')).name, 'Retry now');
});

test('Shift+Tab moves to the control before, and from the first round to the last', () => {
  const p = part('Retry now', 'Cancel', 'Dismiss');
  assert.equal(nextControl(p, p.named('Dismiss'), true).name, 'Cancel');
  assert.equal(nextControl(p, p.named('Retry now'), true).name, 'Dismiss');
});

test('controls in a hidden part are passed over', () => {
  const p = part('Retry now', 'hidden:Clear everything', 'Dismiss');
  assert.equal(nextControl(p, p.named('Retry now')).name, 'Dismiss');
  assert.equal(nextControl(p, p.named('Dismiss'), true).name, 'Retry now');
});

test('from outside the controls: the first, or back, the last; nothing where none is shown', () => {
  const p = part('Retry now', 'Cancel', 'Dismiss');
  assert.equal(nextControl(p, { name: 'body' }).name, 'Retry now');
  assert.equal(nextControl(p, null, true).name, 'Dismiss');
  assert.equal(nextControl(part('hidden:a'), null), null);
  assert.equal(nextControl(part(), null, true), null);
});
