// The panel shows the core's actions through one table (extension/panel/actions.js): every row's
// words exist and its handler is the panel's. (That the table has a row for each of the core's
// actions and no other: tests/shell_tables.rs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ACTIONS } from '../../extension/panel/actions.js';

const ROOT = resolve(import.meta.dirname, '../..');
const panel = readFileSync(join(ROOT, 'extension/panel/panel.js'), 'utf8');

test('every row has its words in every language and a handler the panel defines', () => {
  for (const lang of ['en', 'zh_CN']) {
    const messages = JSON.parse(readFileSync(join(ROOT, `extension/_locales/${lang}/messages.json`), 'utf8'));
    for (const [id, row] of Object.entries(ACTIONS)) {
      for (const key of [row.label, row.resendLabel].filter(Boolean)) assert.ok(messages[key]?.message, `${lang} lacks ${key} (${id})`);
    }
  }
  for (const [id, row] of Object.entries(ACTIONS)) {
    assert.ok(['button', 'section', 'hint', 'link'].includes(row.control), `${id}: ${row.control}`);
    if (row.control === 'button' || row.control === 'section') {
      assert.match(panel, new RegExp(`\\b(function|const) ${row.run}\\b|\\b${row.run}: `), `${id}: the panel has no handler ${row.run}`);
    }
    if (row.open) {
      assert.match(panel, new RegExp(`\\bfunction ${row.open}\\b`), `${id}: the panel has no function ${row.open}`);
      assert.match(panel, new RegExp(`const openers = \\{[^}]*\\b${row.open}\\b`), `${id}: ${row.open} is not among the openers`);
    }
  }
});

test("a button whose work needs the visitor's own press is marked so (a passed-on key never presses it)", () => {
  // The body of the panel's function `name`, up to the next top-level line that closes a block.
  const body = (name) => panel.match(new RegExp(`\\n(?:async )?function ${name}\\b[\\s\\S]*?\\n\\}`))?.[0] ?? '';
  const needsOwnPress = (name, seen = new Set()) => {
    if (seen.has(name)) return false;
    seen.add(name);
    const text = body(name);
    if (/withPermission\(|copyText\(|permissions\.request\(|clipboard\./.test(text)) return true;
    return [...text.matchAll(/\b(\w+)\(/g)].some(([, called]) => called !== name && needsOwnPress(called, seen));
  };
  const marked = [];
  for (const [id, row] of Object.entries(ACTIONS)) {
    if (row.control !== 'button') continue;
    assert.ok(body(row.run) || new RegExp(`\\b${row.run}: `).test(panel), `${id}: ${row.run} found`);
    assert.equal(Boolean(row.ownPress), needsOwnPress(row.run), `${id}: ownPress`);
    if (row.ownPress) marked.push(id);
  }
  assert.deepEqual(marked.sort(), ['notify-when-back', 'report-to-site'], 'the permission and clipboard buttons');
});
