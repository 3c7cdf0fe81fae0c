// No language lacks a key of another, every message has its words, and every name the code uses
// exists. (Every verdict's headline and detail, every kind of evidence: tests/shell_tables.rs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const LOCALES = join(ROOT, 'extension/_locales');
const locales = Object.fromEntries(
  readdirSync(LOCALES).map((lang) => [lang, JSON.parse(readFileSync(join(LOCALES, lang, 'messages.json'), 'utf8'))]),
);

test('the languages Page Medic ships', () => {
  assert.deepEqual(Object.keys(locales).sort(), ['en', 'zh_CN']);
});

// Every verdict's headline and detail, every kind of evidence: tests/shell_tables.rs.

test('every language has every key of en, and no other', () => {
  const keys = Object.keys(locales.en).sort();
  for (const [lang, messages] of Object.entries(locales)) {
    assert.deepEqual(Object.keys(messages).sort(), keys, `${lang} differs from en`);
    for (const [key, entry] of Object.entries(messages)) {
      assert.match(key, /^[A-Za-z0-9_@]+$/, `${lang}: ${key} is not a valid message name`);
      assert.ok(entry.message.trim(), `${lang}: ${key} is empty`);
    }
  }
});

test('every English message tells translators what it is for', () => {
  for (const [key, entry] of Object.entries(locales.en)) assert.ok(entry.description, `en: ${key} has no description`);
});

test('every message name the extension code uses literally exists', () => {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(js|html)$/.test(entry.name)) files.push(path);
    }
  };
  walk(join(ROOT, 'extension'));
  const used = new Set();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/(?:\bt|getMessage)\(\s*'([A-Za-z0-9_@]+)'/g)) used.add(m[1]);
    for (const m of source.matchAll(/__MSG_([A-Za-z0-9_@]+)__/g)) used.add(m[1]);
  }
  for (const m of readFileSync(join(ROOT, 'extension/manifest.base.json'), 'utf8').matchAll(/__MSG_([A-Za-z0-9_@]+)__/g)) used.add(m[1]);
  assert.ok(used.size >= 4, `found ${[...used]}`);
  for (const key of used) assert.ok(locales.en[key], `the code uses ${key}, which en lacks`);
  for (const side of ['site', 'network', 'browser', 'unknown']) assert.ok(locales.en[`side_${side}`]);
});
