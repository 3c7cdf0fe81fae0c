// Message types are one table (extension/shared/messages.js): every module uses its names; the
// content script, a classic script that cannot import, spells out only types from the table; the
// background handles every type sent to it, and every type it handles is sent by someone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MSG } from '../../extension/shared/messages.js';

const EXT = resolve(import.meta.dirname, '../../extension');
const sources = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.js')) sources.push([path.slice(EXT.length + 1), readFileSync(path, 'utf8')]);
  }
};
walk(EXT);
const LITERAL = /'((?:cs|ui|popup|bg)-(?:bg|cs)-[a-z-]+)'/g;
const names = Object.keys(MSG);
const types = new Set(Object.values(MSG));

test('the content script spells out only types of the table; every other file uses its names', () => {
  assert.equal(types.size, names.length, 'no type twice');
  for (const [file, text] of sources) {
    const literals = [...text.matchAll(LITERAL)].map((m) => m[1]);
    if (file === 'shared/messages.js') continue;
    if (file === 'content/detect.js') {
      assert.ok(literals.length >= 4, 'the content script reports and listens');
      for (const type of literals) assert.ok(types.has(type), `content/detect.js: ${type} is not in the table`);
    } else {
      assert.deepEqual(literals, [], `${file} spells out a message type`);
    }
  }
});

test('the background handles every type sent to it, and each type it handles is sent by someone', () => {
  const background = sources.find(([f]) => f === 'background/background.js')[1];
  const handled = new Set([...background.matchAll(/async \[MSG\.(\w+)\]\(/g)].map((m) => m[1]));
  const sent = new Set();
  for (const [file, text] of sources) {
    for (const m of text.matchAll(/MSG\.(\w+)/g)) if (!(file === 'background/background.js' && text.includes(`async [MSG.${m[1]}](`))) sent.add(m[1]);
    for (const m of text.matchAll(LITERAL)) sent.add(names.find((n) => MSG[n] === m[1]));
  }
  for (const name of names) {
    if (MSG[name].includes('-bg-')) {
      assert.ok(handled.has(name), `nothing handles ${MSG[name]}`);
      assert.ok(sent.has(name), `nothing sends ${MSG[name]}`);
    }
  }
  for (const name of handled) assert.ok(names.includes(name), `a handler for ${name}, which the table lacks`);
});
