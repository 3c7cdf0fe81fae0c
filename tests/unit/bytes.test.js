import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utf8Bytes } from '../../extension/background/bytes.js';

const encoded = (text) => [...new TextEncoder().encode(text)];

test('a page becomes its UTF-8 bytes, whatever it is written in', () => {
  for (const text of ['', '502 Bad Gateway', '服务暂不可用 — 502', 'emoji 🚧 and a lone surrogate \ud800', 'x'.repeat(70_000)]) {
    assert.deepEqual([...utf8Bytes(text)], encoded(text));
  }
});

test('the buffer is reused: a shorter page after a longer one gives only its own bytes', () => {
  const long = utf8Bytes('é'.repeat(1000));
  assert.equal(long.length, 2000);
  const short = utf8Bytes('ok');
  assert.deepEqual([...short], encoded('ok'));
  assert.equal(short.buffer, long.buffer, 'no new buffer for a page that fits');
});
