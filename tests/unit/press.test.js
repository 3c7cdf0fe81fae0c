// A key passed on to the panel presses a button (extension/shared/ui.js `press`): only one made
// to be pressed so (`byKey`), and only while the visitor could press it themselves: not while it
// is disabled (its work running), hidden (itself or a part around it), or taken off the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';

// An element that keeps its attributes, its click listeners and its place among its parents.
const element = (parent = null) => ({
  parent, attrs: {}, listeners: [], disabled: false, hidden: false, isConnected: true,
  setAttribute(name, value) { this.attrs[name] = value; },
  addEventListener(type, listener) { if (type === 'click') this.listeners.push(listener); },
  closest(selector) {
    assert.equal(selector, '[hidden]');
    for (let node = this; node; node = node.parent) if (node.hidden) return node;
    return null;
  },
});
globalThis.document = { createElement: () => element() };
const { button, press } = await import('../../extension/shared/ui.js');

function made(byKey) {
  const pressed = [];
  const b = button('Retry now', (it) => pressed.push(it), 'primary', { byKey });
  return { b, pressed };
}

test('a button made to be pressed by a key is pressed, once, and says so', () => {
  const { b, pressed } = made(true);
  assert.equal(press(b), true);
  assert.deepEqual(pressed, [b]);
});

test('a button not made so (its work needs the visitor\'s own press) is never pressed by a key', () => {
  const { b, pressed } = made(false);
  assert.equal(press(b), false);
  assert.deepEqual(pressed, []);
  assert.equal(press(null), false);
  assert.equal(press(undefined), false);
});

test('a button the visitor could not press now is not pressed by a key either', () => {
  const cases = {
    'disabled while its work runs': (b) => { b.disabled = true; },
    hidden: (b) => { b.hidden = true; },
    'in a hidden part of the panel': (b) => { b.parent = { ...element(), hidden: true }; },
    'taken off the page': (b) => { b.isConnected = false; },
  };
  for (const [name, make] of Object.entries(cases)) {
    const { b, pressed } = made(true);
    make(b);
    assert.equal(press(b), false, name);
    assert.deepEqual(pressed, [], name);
  }
});

test('a script\'s click presses nothing; the visitor\'s does', () => {
  const { b, pressed } = made(false);
  for (const listener of b.listeners) listener({ isTrusted: false });
  assert.deepEqual(pressed, []);
  for (const listener of b.listeners) listener({ isTrusted: true });
  assert.deepEqual(pressed, [b]);
});
