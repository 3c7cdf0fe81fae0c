// The capture rig: starts real Debian servers on 127.0.0.1 as reverse proxies (and forward
// proxies) in front of misbehaving upstreams, records each real response, and writes
// tests/fixtures/captured.json, which `cargo test` runs through the core.
//
//   ./build.sh capture                 # all servers, inside a network namespace of its own
//   node tests/capture/capture.mjs nginx squid    # some servers
//
// Each case records the response as the server sent it, the server's version, what the upstream
// did, and what the visitor should be told (`expect`): the behaviour's verdict, or a per-server
// override below with its reason. Expectations are never read back from the core.
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { BEHAVIOURS, startUpstreams, freePort } from './upstreams.mjs';
import { SERVERS, startServer } from './servers.mjs';

const OUT = resolve(import.meta.dirname, '../fixtures/captured.json');

/**
 * Where the evidence a browser gets cannot tell two behaviours apart, the fixture expects what
 * the evidence supports, and says why.
 */
const OVERRIDES = {
  'varnish/reverse/hang': ['origin-down', "Varnish's synthetic page says 'Backend fetch failed' for refusals and timeouts alike"],
  'apache/reverse/hang': ['origin-down', "Apache answers 502 'Error reading from remote server' for a silent origin and a closed connection alike"],
  'apache/reverse/garbage': ['none', 'Apache passes a non-HTTP answer on as HTTP/0.9 with status 200: the browser shows the bytes, and nothing says the load failed'],
  'privoxy/forward/dns': ['none', "Privoxy answers a name that does not resolve with its own 404 'No such domain', which explains itself; a 4xx is the site's own answer to Page Medic unless the visitor chose to be helped with it"],
  'squid/reverse/garbage': ['none', 'Squid passes a non-HTTP answer on as HTTP/0.9 with status 200: the browser shows the bytes, and nothing says the load failed'],
};

/** Whose side each verdict is on, as the diagnosis contract defines it. */
const SIDE = {
  'origin-down': 'site', 'origin-timeout': 'site', 'site-unavailable': 'site', 'proxy-failure': 'network', none: undefined,
};

/** Forward-proxy cases: the proxy on the visitor's side cannot reach the site, or passes its answer on. */
const FORWARD_CASES = {
  refuse: { expect: 'proxy-failure', generated: true },
  hang: { expect: 'proxy-failure', generated: true },
  dns: { expect: 'proxy-failure', generated: true, about: "the site's name does not resolve (.invalid)" },
  'app-502': { expect: 'origin-down', generated: false },
  ok: { expect: 'none', generated: false },
};

function fetchRaw(port, path, host) {
  return new Promise((ok) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false, timeout: 15_000,
      headers: { host, 'user-agent': 'Mozilla/5.0 (page-medic capture rig)', accept: 'text/html' } }, (res) => {
      const chunks = [];
      let size = 0;
      res.on('data', (c) => { if (size < 65536) { chunks.push(c); size += c.length; } });
      res.on('end', () => ok({
        status: res.statusCode,
        status_text: res.statusMessage,
        headers: pairs(res.rawHeaders),
        body: Buffer.concat(chunks).toString('utf8').slice(0, 65536),
      }));
      res.on('error', (e) => ok({ error: e.message }));
    });
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', (e) => ok({ error: e.message }));
    req.end();
  });
}

const pairs = (raw) => raw.reduce((out, v, i) => (i % 2 ? out[out.length - 1].push(v) : out.push([v]), out), []);

async function captureServer(name, upstreams, cases, notes) {
  const server = SERVERS[name];
  const version = server.version();
  for (const mode of server.modes) {
    let running = null;
    try {
      running = await startServer(name, await freePort(), upstreams.ports, mode);
      const { port } = running;
      const list = mode === 'forward' ? Object.keys(FORWARD_CASES) : Object.keys(BEHAVIOURS);
      for (const behaviour of list) {
        const forward = mode === 'forward';
        const url = forward
          ? (behaviour === 'dns' ? 'http://no-such-host.invalid/page?x=1' : `http://127.0.0.1:${upstreams.ports[behaviour]}/page?x=1`)
          : `http://127.0.0.1:${port}/${behaviour}/page?x=1`;
        const res = await fetchRaw(port, forward ? url : new URL(url).pathname + new URL(url).search, new URL(url).host);
        const id = `${name}/${mode}/${behaviour}`;
        if (res.error) {
          notes.push(`${id}: no HTTP response (${res.error}); a browser would show its own error page`);
          continue;
        }
        const spec = forward ? FORWARD_CASES[behaviour] : { expect: BEHAVIOURS[behaviour].expect, generated: !BEHAVIOURS[behaviour].passthrough };
        const [verdict, reason] = OVERRIDES[id] ?? [spec.expect, null];
        const expect = { verdict, ...(SIDE[verdict] ? { side: SIDE[verdict] } : {}) };
        if (spec.generated && verdict !== 'none') {
          expect.gateway = { name: server.gateway, kind: forward ? 'forward-proxy' : 'reverse-proxy' };
          const xid = res.headers.find(([n]) => n.toLowerCase() === 'x-varnish')?.[1]?.split(' ')[0];
          expect.request_id = xid ?? null;
        }
        cases.push({
          id,
          source: `captured from ${version} as a ${mode} proxy; upstream: ${forward && FORWARD_CASES[behaviour].about || BEHAVIOURS[behaviour].about}`,
          ...(reason ? { note: reason } : {}),
          event: { url, method: 'GET', ...res, via_proxy: forward },
          expect,
        });
        console.log(`${id}: ${res.status} ${res.status_text} -> expect ${verdict}`);
      }
    } catch (error) {
      notes.push(`${name}/${mode}: could not run (${error.message.slice(0, 400).replace(/\s+/g, ' ')})`);
      console.error(`${name}/${mode}: ${error.message}`);
    } finally {
      await running?.stop();
    }
  }
}

const wanted = process.argv.slice(2);
for (const w of wanted) if (!SERVERS[w]) throw new Error(`unknown server ${w}; known: ${Object.keys(SERVERS).join(', ')}`);
const names = wanted.length ? wanted : Object.keys(SERVERS);
const upstreams = await startUpstreams();
const previous = existsSync(OUT) ? JSON.parse(readFileSync(OUT, 'utf8')) : { cases: [] };
// Re-capturing some servers keeps the other servers' cases.
const cases = previous.cases.filter((c) => !names.includes(c.id.split('/')[0]));
const notes = [];
for (const name of names) await captureServer(name, upstreams, cases, notes);
await upstreams.stop();
cases.sort((a, b) => a.id.localeCompare(b.id));
writeFileSync(OUT, `${JSON.stringify({
  provenance: `Real responses from Debian packages on 127.0.0.1, recorded by tests/capture/capture.mjs (./build.sh capture) on ${new Date().toISOString().slice(0, 10)} (${hostname()}). Each case names its server version and what its upstream did.`,
  notes: [...(previous.notes ?? []).filter((n) => !names.includes(n.split('/')[0])), ...notes],
  cases,
}, null, 2)}\n`);
console.log(`${cases.length} cases written to ${OUT}; ${notes.length} notes`);
for (const n of notes) console.log(`note: ${n}`);
process.exit(0);
