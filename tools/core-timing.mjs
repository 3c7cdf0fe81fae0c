// The core's cost per diagnosis in V8's wasm, through the real boundary, as the background calls
// it (extension/background/core.js: the page as UTF-8 bytes). Used by bench.mjs; run alone it
// compares builds in one process, alternating, which is how small changes can be seen on a noisy
// machine:  node tools/core-timing.mjs dist/chrome /tmp/other-build/chrome
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The median of some numbers (the mean of the middle two for an even count). */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** nginx's 502, its page padded with ordinary text to about `bytes`. */
export function badGateway(bytes) {
  let body = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n';
  while (body.length < bytes - 60) body += '<p class="note">The upstream server did not answer in time; please try again.</p>\n';
  body += '<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';
  return {
    url: 'https://shop.example/cart?id=1', status: 502, status_text: 'Bad Gateway', body, now_ms: 1.7e12, jitter: 0.5,
    headers: [['server', 'nginx/1.22.1'], ['content-type', 'text/html'], ['x-request-id', '4f1c2b8e9d0a7c6b5e4f3a2b1c0d9e8f']],
  };
}

/**
 * A build's core, started, and a diagnosis call as the background makes it. `instance` (a query
 * string) makes its glue a module instance of its own, so that two builds, or two uses, can be
 * loaded side by side in one process.
 */
async function loadBuild(dir, instance) {
  const url = (path) => `${pathToFileURL(join(resolve(dir), path))}?${encodeURIComponent(instance)}`;
  const glue = await import(url('core/page_medic.js'));
  const exports = glue.initSync({ module: readFileSync(join(dir, 'core/page_medic_bg.wasm')) });
  const { utf8Bytes } = await import(url('background/bytes.js'));
  return { exports, call: ({ body, ...rest }) => glue.diagnose(rest, utf8Bytes(body)) };
}

/** Each build's median µs per diagnosis, for a 2 KB and a 64 KiB page: { [dir]: { '2 KB', '64 KiB' } }. */
export async function coreCost(dirs) {
  const builds = [];
  for (const dir of dirs) builds.push({ dir, call: (await loadBuild(dir, dir)).call, result: {} });
  for (const [label, bytes] of [['2 KB', 2048], ['64 KiB', 65536]]) {
    const event = badGateway(bytes);
    for (const b of builds) for (let i = 0; i < 300; i += 1) b.call(event); // V8's top tier compiles the hot wasm
    const samples = builds.map(() => []);
    for (let s = 0; s < 101; s += 1) {
      builds.forEach((b, k) => {
        const t0 = performance.now();
        for (let i = 0; i < 50; i += 1) b.call(event);
        samples[k].push(((performance.now() - t0) / 50) * 1000);
      });
    }
    builds.forEach((b, k) => { b.result[label] = median(samples[k]); });
  }
  return Object.fromEntries(builds.map((b) => [b.dir, b.result]));
}

/**
 * The core's wasm linear memory (bytes) after its first diagnosis and after `count` more, each of a
 * different 64 KiB page: what the background holds besides its JS heap.
 */
export async function coreMemory(dir, count = 1000) {
  const { exports, call } = await loadBuild(dir, 'memory');
  const started = exports.memory.buffer.byteLength;
  const page = badGateway(65536);
  call(page);
  const first = exports.memory.buffer.byteLength;
  for (let i = 0; i < count; i += 1) call({ ...page, body: `${page.body}<!-- ${i} -->`, url: `${page.url}&n=${i}` });
  return { started, first, after: exports.memory.buffer.byteLength, count };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dirs = process.argv.slice(2);
  if (!dirs.length) {
    console.error('usage: node tools/core-timing.mjs BUILD_DIR... (each like dist/chrome)');
    process.exit(2);
  }
  for (const [dir, r] of Object.entries(await coreCost(dirs))) {
    console.log(`${dir}: typical 502 (2 KB) ${r['2 KB'].toFixed(1)} µs, 64 KiB page ${r['64 KiB'].toFixed(1)} µs`);
  }
}
