// A page's text as UTF-8 bytes for the core, written into one buffer that is kept and reused:
// encoding a 64 KiB page into a new array each time cost more than the core's own work on it
// (docs/benchmarks.md). The bytes are valid until the next call.
const utf8 = new TextEncoder();
let buffer = new Uint8Array(0);

export function utf8Bytes(text) {
  // UTF-8 takes at most 3 bytes for each UTF-16 code unit.
  if (buffer.length < text.length * 3) buffer = new Uint8Array(text.length * 3);
  const { written } = utf8.encodeInto(text, buffer);
  return buffer.subarray(0, written);
}
