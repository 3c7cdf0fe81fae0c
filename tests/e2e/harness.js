// What the end-to-end tests stand on: real servers on 127.0.0.1 and real browsers with the built
// extension loaded. A browser or server that is missing fails the test; nothing is skipped.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, realpathSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import puppeteer from 'puppeteer-core';
import { Browser as BrowserKind, WEBDRIVER_BIDI_WEBSOCKET_ENDPOINT_REGEX, createProfile, launch as startProcess } from '@puppeteer/browsers';

export const ROOT = resolve(import.meta.dirname, '../..');
export const DIST = join(ROOT, 'dist');
export const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export const CHROMIUM = '/usr/lib/chromium/chromium';
export const FIREFOX = '/usr/lib/firefox-esr/firefox-esr';
// Both, always; BROWSERS=firefox narrows a run while debugging (CI never sets it).
export const BROWSERS = process.env.BROWSERS ? process.env.BROWSERS.split(',') : ['chromium', 'firefox'];

/**
 * A folder of this test file's (certificates, profiles, a home), removed when its process ends
 * (its browsers are closed by then; a profile that outlives them is removed where it is closed).
 */
const madeHere = [];
function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `page-medic-${prefix}-`));
  madeHere.push(dir);
  return dir;
}
process.on('exit', () => {
  for (const dir of madeHere) rmSync(dir, { recursive: true, force: true });
});

/** Pinned so that moz-extension:// URLs are stable across runs. */
export const FIREFOX_EXTENSION_ID = JSON.parse(readFileSync(join(ROOT, 'extension/manifest.firefox.json'), 'utf8'))
  .browser_specific_settings.gecko.id;
export const FIREFOX_UUID = 'd2b3c5a0-6c1e-4f5e-9a37-1f0c0ffee502';

/**
 * An upstream the test controls: serves a real page when up, refuses connections when down.
 * `handler(req, res)` may be replaced to answer otherwise. On `port` where given (80: a site
 * reached without one; binding it needs root, as the suite has).
 */
export async function startUpstream({ port = 0 } = {}) {
  const sockets = new Set();
  const requests = [];
  const upstream = {
    port: 0,
    requests,
    handler(req, res) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html lang="en"><head><title>The shop</title></head><body><h1>The real page</h1></body></html>');
    },
  };
  const defaultHandler = upstream.handler;
  const server = createServer((req, res) => {
    // sec-fetch-mode tells a navigation ('navigate') from Page Medic's background check ('cors').
    requests.push({
      method: req.method, url: req.url, mode: req.headers['sec-fetch-mode'] ?? null,
      // 'prefetch;prerender' for a page the browser prerenders (speculation rules).
      purpose: req.headers['sec-purpose'] ?? null,
      // A browser's navigation asks for documents (text/html first); a fetch asks for anything.
      accept: req.headers.accept ?? null,
    });
    (upstream.handler ?? defaultHandler)(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (port) => new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok(server.address().port));
  });
  upstream.port = await listen(port);
  upstream.up = async () => { if (!server.listening) await listen(upstream.port); };
  upstream.down = async () => {
    if (!server.listening) return;
    const closed = new Promise((ok) => server.close(ok));
    for (const s of sockets) s.destroy();
    await closed;
  };
  upstream.stop = upstream.down;
  return upstream;
}

export async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

async function waitForPort(port, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise((ok) => {
      const s = connect(port, '127.0.0.1', () => { s.destroy(); ok(true); });
      s.on('error', () => ok(false));
    });
    if (open) return;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

/**
 * A test certificate authority and what it signed for this run (openssl): `site` for 127.0.0.1
 * and localhost, signed by `ca` (which the test browsers trust when launched with `https: true`),
 * and `untrusted`, the same names signed by a CA no browser trusts.
 */
let certificates = null;
export function testCertificates() {
  if (certificates) return certificates;
  const dir = tempDir('tls');
  const ssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  writeFileSync(join(dir, 'ca.cnf'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
  writeFileSync(join(dir, 'site.cnf'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n'
    // (*.shop.test: the status page a test site's visitors are sent to, tests/e2e/notices.test.js.)
    + 'extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost,DNS:*.shop.test\n');
  for (const ca of ['ca', 'other-ca']) {
    ssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.csr`, '-subj', `/CN=Page Medic test ${ca}`);
    ssl('x509', '-req', '-in', `${ca}.csr`, '-signkey', `${ca}.key`, '-out', `${ca}.pem`, '-days', '3', '-extfile', 'ca.cnf');
  }
  for (const [name, ca] of [['site', 'ca'], ['untrusted', 'other-ca']]) {
    ssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=127.0.0.1');
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial',
      '-out', `${name}.pem`, '-days', '2', '-extfile', 'site.cnf');
  }
  certificates = {
    dir, ca: join(dir, 'ca.pem'),
    site: { cert: join(dir, 'site.pem'), key: join(dir, 'site.key') },
    untrusted: { cert: join(dir, 'untrusted.pem'), key: join(dir, 'untrusted.key') },
  };
  return certificates;
}

/** An NSS certificate database in `dir` that trusts the test CA for web sites (libnss3-tools). */
function trustingNssDb(dir) {
  mkdirSync(dir, { recursive: true });
  const certutil = (...args) => execFileSync('certutil', ['-d', `sql:${dir}`, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  certutil('-N', '--empty-password');
  certutil('-A', '-n', 'Page Medic test CA', '-t', 'C,,', '-i', testCertificates().ca);
  return dir;
}

/**
 * Debian's nginx as a reverse proxy in front of `upstreamPort`, with its own prefix directory.
 * With `https: true` it speaks TLS with HTTP/2 (the test CA's certificate for 127.0.0.1) and
 * also listens at `untrustedUrl` with a certificate no browser trusts. With `cache: seconds` it
 * is a caching proxy, as a CDN is, that keeps 5xx answers too (as long as their Cache-Control
 * says, else that long) and says in `X-Cache-Status` whether an answer came from its cache.
 */
export async function startNginx(upstreamPort, { https = false, cache = 0 } = {}) {
  const nginx = '/usr/sbin/nginx';
  if (!existsSync(nginx)) throw new Error(`nginx is missing (${nginx}): run ./build.sh test, which installs it`);
  const dir = mkdtempSync(join(tmpdir(), 'page-medic-nginx-'));
  const port = await freePort();
  const untrustedPort = https ? await freePort() : null;
  const tls = https ? testCertificates() : null;
  const user = process.getuid?.() === 0 ? 'user root;' : '';
  const location = `
    location / {
      proxy_pass http://127.0.0.1:${upstreamPort};
      proxy_connect_timeout 2s;
      proxy_read_timeout 5s;${cache ? `
      proxy_cache page_medic;
      proxy_cache_valid 500 502 503 504 ${cache}s;
      add_header X-Cache-Status $upstream_cache_status always;` : ''}
    }`;
  writeFileSync(join(dir, 'nginx.conf'), `
${user}
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  # What each request was and the request id nginx gave its answer (tests read it: accessLog()).
  log_format page_medic '$request_method $uri $status $request_id $http_sec_fetch_mode';
  access_log ${dir}/access.log page_medic;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  ${cache ? `proxy_cache_path ${dir}/cache keys_zone=page_medic:1m;` : ''}
  fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  # nginx's own request id on every answer, its error pages included.
  add_header X-Request-Id $request_id always;
  server {
    listen 127.0.0.1:${port}${https ? ' ssl http2' : ''};
    ${https ? `ssl_certificate ${tls.site.cert}; ssl_certificate_key ${tls.site.key};` : ''}
    ${location}
  }
  ${https ? `server {
    listen 127.0.0.1:${untrustedPort} ssl http2;
    ssl_certificate ${tls.untrusted.cert}; ssl_certificate_key ${tls.untrusted.key};
    ${location}
  }` : ''}
}
`);
  const proc = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise((ok) => proc.once('exit', ok));
  await Promise.race([waitForPort(port), exited.then((code) => { throw new Error(`nginx exited with ${code}; see ${dir}/error.log`); })]);
  return {
    port,
    url: `${https ? 'https' : 'http'}://127.0.0.1:${port}`,
    untrustedUrl: https ? `https://127.0.0.1:${untrustedPort}` : null,
    /** nginx's access log: { method, path, status, requestId, mode } a request. */
    accessLog() {
      const text = existsSync(join(dir, 'access.log')) ? readFileSync(join(dir, 'access.log'), 'utf8') : '';
      return text.split('\n').filter(Boolean).map((line) => {
        const [method, path, status, requestId, mode] = line.split(' ');
        return { method, path, status: Number(status), requestId, mode };
      });
    },
    async stop() {
      // A fast shutdown: a graceful one waits for the browsers' idle keep-alive connections
      // (up to a minute) when a test stops its nginx with the browser still open.
      proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Privacy: every browser these tests launch sends whatever is not for 127.0.0.1 to this recording
 * proxy (browsers never proxy loopback), which answers 502 and keeps the address. Closing a
 * browser fails loudly if anything tried to leave: no telemetry, no lookups, nothing but the site
 * under test. (The suite runs in a network namespace too, where nothing could leave anyway.)
 */
let outside = null;
async function outsideRecorder() {
  if (outside) return outside;
  const seen = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(502).end();
  });
  server.on('connect', (req, socket) => {
    // The socket is this handler's now: a browser that resets it must not crash the test run.
    socket.on('error', () => {});
    seen.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  server.unref();
  outside = { port: server.address().port, seen };
  return outside;
}

/**
 * The browsers' own services (updates, remote settings, accounts), which they reach on their own
 * whatever extensions do and which flags and prefs do not all turn off. Requests to them are the
 * browser's; Page Medic is held to everything else.
 */
const BROWSER_VENDOR = /^(?:CONNECT |[A-Z]+ https?:\/\/)(?:[\w-]+\.)*(?:google\.com|googleapis\.com|gstatic\.com|mozilla\.com|mozilla\.net|mozilla\.org|firefox\.com)(?:[:/]|$)/;

/**
 * Makes `browser.close()` fail if the browser sent anything anywhere but 127.0.0.1, apart from
 * its vendor's services and what a test allowed (`allowOutside`). `browser.outside()` lists what
 * it sent so far, the vendor's services left out.
 */
function failIfAnythingLeft(browser, recorder) {
  const from = recorder.seen.length;
  const allowed = [];
  const close = browser.close.bind(browser);
  browser.outside = () => recorder.seen.slice(from).filter((r) => !BROWSER_VENDOR.test(r));
  browser.allowOutside = (pattern) => allowed.push(pattern);
  browser.close = async () => {
    await close();
    const left = browser.outside().filter((r) => !allowed.some((p) => p.test(r)));
    if (left.length) throw new Error(`requests left 127.0.0.1 (privacy): ${left.join(', ')}`);
  };
  return browser;
}

/** Chromium's id for an extension loaded from a directory: its path's SHA-256, in letters a-p. */
export const chromiumExtensionId = (dir) => [...createHash('sha256').update(realpathSync(dir)).digest('hex').slice(0, 32)]
  .map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');

/**
 * A Chromium profile in which the visitor has already allowed Page Medic's optional `granted`
 * permissions. Chromium asks for them with a native dialog that a test cannot press (Firefox
 * grants them without asking under the pref set below), so the profile starts as that "Allow"
 * leaves it; the extension still asks in the visitor's click, and the browser answers yes.
 */
function chromiumProfile(granted) {
  if (!granted.length) return undefined;
  const dir = tempDir('chromium');
  const set = { api: granted, explicit_host: [], manifest_permissions: [], scriptable_host: [] };
  mkdirSync(join(dir, 'Default'));
  writeFileSync(join(dir, 'Default/Preferences'), JSON.stringify({
    extensions: { settings: { [chromiumExtensionId(join(DIST, 'chrome'))]: { active_permissions: set, granted_permissions: set } } },
  }));
  return dir;
}

/** A home directory whose NSS database trusts the test CA (Chromium's, on Linux). */
function chromiumHome() {
  const home = tempDir('home');
  trustingNssDb(join(home, '.pki/nssdb'));
  return home;
}

/**
 * `start()` again, once, where the browser's process died before it could be driven ("Failed to
 * launch the browser process", no exit code: Chromium 148 crashed so at start once in a CI run,
 * before any test step). Any other error, or a second such death, is the test's.
 */
async function startingOnce(start) {
  try {
    return await start();
  } catch (error) {
    if (!/Failed to launch the browser process/.test(error.message)) throw error;
    console.warn(`the browser died as it started; starting it once more (${error.message.split('\n')[0]})`);
    return start();
  }
}

/**
 * Launches a real browser with the built extension from dist/ loaded. `network: false` leaves
 * puppeteer's network events off (no page.goto response, no request events): the benchmarks
 * measure without the work they cost each request in the browser.
 */
export async function launch(name, {
  lang = null, headless = true, extraExtensions = [], firefoxPrefs = {}, granted = [], pageMedic = true,
  attachWorkers = true, dist = DIST, proxyPort = null, https = false, chromiumArgs = [], firefoxArgs = [], display = null,
  siteIsolation = true, network = true,
} = {}) {
  const recorder = await outsideRecorder();
  // A test of a failing proxy names its own (a closed port); every other browser gets the recorder.
  const proxy = proxyPort ?? recorder.port;
  if (name === 'chromium') {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing (${CHROMIUM}): run ./build.sh test, which installs it`);
    const ext = [...(pageMedic ? [join(dist, 'chrome')] : []), ...extraExtensions].join(',');
    return failIfAnythingLeft(await startingOnce(() => puppeteer.launch({
      executablePath: CHROMIUM,
      // With windows on a virtual X display (virtualDisplay()), where a test needs real input.
      headless: display ? false : headless,
      networkEnabled: network,
      userDataDir: chromiumProfile(granted),
      // DevTools holds a worker it is attached to (it neither idles out nor restarts freely).
      ...(attachWorkers ? {} : { targetFilter: (t) => t.type() !== 'service_worker' }),
      ignoreDefaultArgs: ext ? ['--disable-extensions'] : [],
      args: [
        '--no-sandbox', ...(ext ? [`--load-extension=${ext}`, `--disable-extensions-except=${ext}`] : []),
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--no-first-run', '--disable-quic', '--disable-gpu', `--proxy-server=http://127.0.0.1:${proxy}`,
        ...(lang ? [`--lang=${lang}`] : []), ...chromiumArgs,
      ],
      env: {
        ...process.env, ...(lang ? { LANGUAGE: lang.replace('-', '_') } : {}),
        ...(display ? { DISPLAY: display, WAYLAND_DISPLAY: '' } : {}),
        // Chromium on Linux reads the certificates it trusts from $HOME/.pki/nssdb.
        ...(https ? { HOME: chromiumHome() } : {}),
      },
    })), recorder);
  }
  if (name === 'firefox') {
    if (!existsSync(FIREFOX)) throw new Error(`Firefox ESR is missing (${FIREFOX}): run ./build.sh test, which installs it`);
    const options = {
      browser: 'firefox',
      executablePath: FIREFOX,
      networkEnabled: network,
      // With windows on a virtual X display (virtualDisplay()), where a test needs real input.
      headless: display ? false : headless,
      ...(display ? { env: { ...process.env, DISPLAY: display, WAYLAND_DISPLAY: '' } } : {}),
      args: firefoxArgs,
      // A profile whose certificate store (cert9.db) trusts the test CA.
      ...(https ? { userDataDir: trustingNssDb(tempDir('firefox')) } : {}),
      extraPrefsFirefox: {
        'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_EXTENSION_ID]: FIREFOX_UUID }),
        // Keep Firefox off the network: nothing but 127.0.0.1 in these tests.
        'network.captive-portal-service.enabled': false,
        'network.connectivity-service.enabled': false,
        'app.update.enabled': false,
        'browser.safebrowsing.malware.enabled': false,
        'browser.safebrowsing.phishing.enabled': false,
        // Optional permissions are granted without a doorhanger (which a test cannot press).
        'extensions.webextOptionalPermissionPrompts': false,
        // Everything not for 127.0.0.1 goes to the recording proxy.
        'network.proxy.type': 1,
        'network.proxy.http': '127.0.0.1',
        'network.proxy.http_port': proxy,
        'network.proxy.ssl': '127.0.0.1',
        'network.proxy.ssl_port': proxy,
        'network.proxy.allow_hijacking_localhost': false,
        // Firefox's remote settings: nothing a test needs.
        'services.settings.server': 'http://127.0.0.1:9/v1',
        ...firefoxPrefs,
        ...(process.env.PAGE_MEDIC_DEBUG ? { 'devtools.console.stdout.chrome': true, 'devtools.console.stdout.content': true, 'browser.dom.window.dump.enabled': true } : {}),
      },
      dumpio: Boolean(process.env.PAGE_MEDIC_DEBUG),
    };
    const browser = siteIsolation ? await launchFirefoxIsolated(options) : await puppeteer.launch(options);
    try {
      if (pageMedic) await browser.installExtension(join(dist, 'firefox'));
      for (const extra of extraExtensions) await browser.installExtension(extra);
    } catch (error) {
      // (A browser its caller never gets would run on, and slow whatever runs next.)
      await browser.close().catch(() => {});
      throw error;
    }
    return failIfAnythingLeft(browser, recorder);
  }
  throw new Error(`unknown browser ${name}`);
}

/**
 * Firefox with site isolation on, as visitors run it (the default; `siteIsolation: false` gives
 * puppeteer's own). puppeteer.launch turns it off (`fission.webContentIsolationStrategy` 0: all
 * web content in one process, which its mouse input once needed) and gives no way back, and the
 * tests and the benchmarks would see a Firefox no visitor has (with it on, each site's pages run
 * in a process of their own, an extension frame in a page with them). So Firefox is started
 * here, from a profile with puppeteer's preferences and that one changed, and driven over
 * WebDriver BiDi as puppeteer.launch would. (Every end-to-end test passed both ways on Firefox
 * ESR 140.)
 */
async function launchFirefoxIsolated({ executablePath, headless, env, args, userDataDir, extraPrefsFirefox, dumpio, networkEnabled }) {
  const profile = userDataDir ?? mkdtempSync(join(tmpdir(), 'page-medic-firefox-'));
  await createProfile(BrowserKind.FIREFOX, {
    path: profile,
    preferences: { ...extraPrefsFirefox, 'fission.webContentIsolationStrategy': 1 },
  });
  const process_ = startProcess({
    executablePath, env: env ?? process.env, dumpio,
    args: ['--profile', profile, ...(headless ? ['--headless'] : []), '--remote-debugging-port=0', ...args, 'about:blank'],
  });
  const endpoint = await process_.waitForLineOutput(WEBDRIVER_BIDI_WEBSOCKET_ENDPOINT_REGEX, 30_000);
  const browser = await puppeteer.connect({ browserWSEndpoint: `${endpoint}/session`, protocol: 'webDriverBiDi', networkEnabled });
  const close = browser.close.bind(browser);
  browser.close = async () => {
    await close().catch(() => {});
    await process_.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return browser;
}

/**
 * A virtual X display (Xvfb, from build.sh's packages) for a browser that must run with windows,
 * and real X input on it (xdotool): { display, xdotool(...args), stop() }.
 */
export async function virtualDisplay() {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'inherit', 'pipe'] });
  const number = await new Promise((ok, fail) => {
    let said = '';
    xvfb.stdio[3].on('data', (chunk) => {
      said += chunk;
      if (said.includes('\n')) ok(said.trim());
    });
    xvfb.on('error', (e) => fail(new Error(`Xvfb could not start (${e.message}): run ./build.sh test, which installs it`)));
    xvfb.on('exit', (code) => fail(new Error(`Xvfb exited (${code})`)));
  });
  const display = `:${number}`;
  const xdotool = (...args) => execFileSync('xdotool', args, { env: { ...process.env, DISPLAY: display }, encoding: 'utf8' });
  return {
    display,
    xdotool,
    /**
     * Focuses the browser's window: with no window manager on the display, nothing else does,
     * and keys and popups go to the focused window. (Found by its class: the window under the
     * pointer read as none over Firefox ESR 153.)
     */
    focusBrowser() {
      const windows = xdotool('search', '--onlyvisible', '--class', 'firefox|chromium').trim().split('\n').filter(Boolean);
      assert.ok(windows.length, 'a browser window on the display');
      xdotool('windowfocus', '--sync', windows.at(-1));
    },
    stop: () => xvfb.kill(),
  };
}

/** The overlay host's data-* attributes once it is in the page (the overlay contract). */
export async function overlayState(page, timeout = 10_000) {
  const host = await page.waitForSelector('#page-medic[data-verdict]', { timeout });
  return host.evaluate((el) => ({ ...el.dataset }));
}

/** Waits until the extension's background is running, so the first navigation is watched. */
export async function extensionReady(browser, name) {
  if (name === 'chromium') {
    const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background/background.js'), { timeout: 15_000 });
    const worker = await target.worker();
    if (process.env.PAGE_MEDIC_DEBUG) worker.on('console', (m) => console.log('SW:', m.text()));
    // The worker's target appears before its module has run: wait until its listeners are in.
    const deadline = Date.now() + 15_000;
    const ready = () => worker.evaluate(() => chrome.webNavigation.onCommitted.hasListeners()
      && chrome.webNavigation.onErrorOccurred.hasListeners() && chrome.runtime.onMessage.hasListeners()).catch(() => false);
    while (!(await ready())) {
      if (Date.now() > deadline) throw new Error("Page Medic's service worker did not register its listeners");
      await new Promise((ok) => setTimeout(ok, 50));
    }
  }
  // Firefox: installExtension() resolves once the add-on has started, background included.
}

/** The address of one of Page Medic's own pages in this browser. */
export async function extensionUrl(browser, name, path) {
  if (name === 'firefox') return `moz-extension://${FIREFOX_UUID}/${path}`;
  const worker = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background/background.js'));
  return new URL(`../${path}`, worker.url()).href;
}

/**
 * A new tab. Firefox 140's WebDriver BiDi opens a tab with no reference tab in the most recent
 * window of any kind, which after a notification is Firefox's alert window, and fails there
 * (no tab browser); there the tab is opened beside an existing one.
 */
export async function newTab(browser) {
  try {
    return await browser.newPage();
  } catch (error) {
    if (!/getTabBrowser/.test(error.message)) throw error;
  }
  const { result: tree } = await browser.connection.send('browsingContext.getTree', { maxDepth: 0 });
  const { result: made } = await browser.connection.send('browsingContext.create', { type: 'tab', referenceContext: tree.contexts[0].context });
  for (let i = 0; i < 100; i += 1) {
    const page = (await browser.pages()).find((p) => p.mainFrame()._id === made.context);
    if (page) return page;
    await sleep(50);
  }
  throw new Error('the new tab never reached the test driver');
}

/**
 * Opens one of Page Medic's own pages in a new tab. Firefox's WebDriver BiDi refuses to navigate
 * to moz-extension:// addresses, so there the tab first reaches an extension page the way a
 * visitor does (Page Medic's diagnosis page for a refused connection) and moves on from it.
 */
export async function openExtensionPage(browser, name, path) {
  const page = await newTab(browser);
  const url = await extensionUrl(browser, name, path);
  if (name !== 'firefox') {
    await page.goto(url, { waitUntil: 'load' });
    return page;
  }
  await page.goto(`http://127.0.0.1:${await freePort()}/`).catch(() => {});
  await waitInPage(page, () => location.protocol === 'moz-extension:' && document.readyState === 'complete');
  await page.evaluate((u) => { location.href = u; }, url);
  await waitInPage(page, (u) => location.href === u && document.readyState === 'complete', url);
  return page;
}

/** axe-core's violations for a frame or page (0 is the goal), as "id: help (n nodes)" lines. */
export async function axeViolations(frame) {
  const source = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await frame.evaluate(source);
  const result = await frame.evaluate(async () => {
    // Contrast is judged on what a person sees once the page settles (the card's 160 ms rise
    // moves it into place; an animation a page may have had faded text in).
    await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  return result;
}

/** Page Medic's panel frame inside the overlay (an extension page). */
export async function panelFrame(page, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const isPanel = await frame.evaluate(() => location.pathname.endsWith('/panel/panel.html')).catch(() => false);
      if (isPanel) return frame;
    }
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error('no Page Medic panel frame in the page');
}

/** The panel's frame, once its help is on screen (what a person waits for before reading or a key). */
export async function helpShown(page) {
  const panel = await panelFrame(page);
  await waitFor(panel, () => document.querySelector('.card')?.hidden === false, { timeout: 10_000, polling: 'mutation' });
  return panel;
}

/**
 * Page Medic's help for a failed load, as the visitor gets it: the overlay's panel frame, or
 * Page Medic's diagnosis page in the tab (where the browser showed its own error page).
 */
export async function help(page, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const where = await page.evaluate(() => location.href).catch(() => '');
    if (/^(chrome|moz)-extension:\/\/[^/]+\/panel\/panel\.html/.test(where)) return { shown: 'diagnosis page', frame: page.mainFrame() };
    const frame = await panelFrame(page, 250).catch(() => null);
    if (frame) return { shown: 'overlay', frame };
    await sleep(100);
  }
  throw new Error('Page Medic showed no help for the failed load');
}

/** The panel's text for people (what its status line, buttons and facts say). */
export async function panelText(panel) {
  await waitFor(panel, () => document.querySelector('.card') && !document.querySelector('.card').hidden, { timeout: 10_000 });
  return panel.evaluate(() => document.querySelector('.card').innerText);
}

/**
 * How long a test waits for a countdown it saw (a state with `nextRetryMs`, the time it had left)
 * to end and its page to load: that time and a margin. The first automatic retry comes 10-30 s
 * after a failure (the core's policy), so no fixed wait fits every run.
 */
export const afterCountdown = (waiting, margin = 15_000) => Number(waiting.nextRetryMs) + margin;

/** Waits until the overlay host (or diagnosis page element) shows `state`; returns its data-*. */
export async function waitForState(page, state, timeout = 15_000) {
  await waitFor(page, (s) => document.getElementById('page-medic')?.dataset.state === s, { timeout, polling: 50 }, state);
  return page.$eval('#page-medic', (el) => ({ ...el.dataset }));
}

/**
 * Waits until `fn(...args)`, run in the frame (or page), returns a truthy value, and returns it.
 * It polls with `evaluate`, in whatever document the frame shows then, for two reasons:
 * puppeteer's own waitForFunction makes its function with `Function()`, which Firefox 140 refuses
 * in Page Medic's extension pages (their CSP applies to WebDriver BiDi's scripts too), and
 * Firefox's WebDriver BiDi does not follow navigations from extension pages, so a waitForFunction
 * can keep polling a document that is gone. An evaluation that fails (the frame between two
 * documents) counts as a falsy answer; the error names the last answer.
 */
export async function waitFor(frame, fn, { timeout = 30_000, polling = 100 } = {}, ...args) {
  const deadline = Date.now() + timeout;
  const every = typeof polling === 'number' ? polling : 50;
  let last;
  for (;;) {
    // An evaluation that fails or hangs is no answer (Unanswered), tried again. (The timer is
    // cleared once the evaluation answers: a pending one would keep the test file's process alive
    // until it fired, up to the whole timeout after the test had passed.)
    let timer;
    last = await Promise.race([
      frame.evaluate(fn, ...args).catch((e) => new Unanswered(e.message)),
      new Promise((ok) => { timer = setTimeout(ok, Math.max(deadline - Date.now(), every), new Unanswered('no answer in time')); }),
    ]);
    clearTimeout(timer);
    if (last && !(last instanceof Unanswered)) return last;
    if (Date.now() >= deadline) {
      const said = last instanceof Unanswered ? `(${last.why})` : JSON.stringify(last);
      throw new Error(`waited ${timeout} ms for ${String(fn).slice(0, 200)}; last answer: ${said}`);
    }
    await sleep(every);
  }
}
class Unanswered {
  constructor(why) { this.why = why; }
}

/**
 * Waits until `fn()`, run here in Node (it may be async: a server's log, what a page answers),
 * returns a truthy value, and returns it; after `timeout` ms it fails, naming `what` (a text, or
 * an async function that tells it then) and the last answer. waitFor's twin for what the test
 * itself sees.
 */
export async function until(fn, what, { timeout = 10_000, every = 100 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const answer = await fn();
    if (answer) return answer;
    if (Date.now() >= deadline) {
      const said = typeof what === 'function' ? await what() : what;
      throw new assert.AssertionError({ message: `${said} (not within ${timeout} ms; last answer: ${JSON.stringify(answer)})` });
    }
    await sleep(every);
  }
}

/** Polls `fn(arg)` in whatever document the tab shows until it returns a truthy value. */
export const waitInPage = (page, fn, arg, timeout = 15_000) => waitFor(page, fn, { timeout, polling: 200 }, arg);

/**
 * The browser's Back, as its button goes (not the page's `history.back()`); resolves once another
 * document stands in the tab. That is known by a mark left on the document that was there: the
 * one that comes, new or restored from the back/forward cache, does not carry it. (Puppeteer's own
 * wait for the navigation is not used: Firefox's WebDriver BiDi reports none for a page restored
 * from its cache, so that wait ran out its whole 30 s there.)
 */
export async function pressBack(page, timeout = 15_000) {
  const mark = `back-${Date.now()}-${Math.random()}`;
  await waitInPage(page, (m) => { globalThis.pageMedicTestLeft = m; return true; }, mark);
  page.goBack({ timeout }).catch(() => null);
  await waitInPage(page, (m) => globalThis.pageMedicTestLeft !== m, mark, timeout);
}

/**
 * Page Medic's diagnosis page in the tab (where the browser showed its own error page), once its
 * help is on screen with a verdict (`verdict`: that one); returns its host's data-* (verdict,
 * side, state).
 */
export async function diagnosisShown(page, verdict = null) {
  await waitInPage(page, (v) => {
    const found = document.getElementById('page-medic')?.dataset.verdict;
    return Boolean(found) && (v === null || found === v) && !document.querySelector('.card').hidden;
  }, verdict);
  return page.evaluate(() => ({ ...document.getElementById('page-medic').dataset }));
}

/** A tab (or Page Medic's window) showing an address that contains `fragment`. */
export async function findPage(browser, fragment, timeout = 10_000) {
  // By its document's address: WebDriver BiDi does not report extension pages' URLs.
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const p of await browser.pages()) {
      if ((await p.evaluate(() => location.href).catch(() => '')).includes(fragment)) return p;
    }
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error(`no page at ${fragment}`);
}

export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/**
 * The page's script takes the keyboard off the help, as a page may: focuses its element at
 * `selector`. The help moves the keyboard to itself as its frame is added, when the panel says it
 * runs and when the frame has loaded: the element is focused again until it has kept the keyboard
 * for 250 ms (the last of those moves is then over). Fails unless the page then has the keyboard.
 */
export async function pageTakesKeyboard(page, panel, selector) {
  await waitFor(panel, () => document.readyState === 'complete' && document.hasFocus(), { timeout: 5_000 });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await page.evaluate((s) => document.querySelector(s).focus(), selector);
    await sleep(250);
    if (await page.evaluate((s) => document.activeElement === document.querySelector(s), selector)) return;
  }
  assert.fail(`precondition: the page has the keyboard (${selector} kept losing it to the help for 10 s)`);
}

/** Chromium's own page about service workers, and the running status of Page Medic's. */
export async function workerInternals(browser) {
  const page = await browser.newPage();
  await page.goto('chrome://serviceworker-internals/');
  const read = () => page.evaluate(() => {
    const block = [...document.querySelectorAll('.serviceworker-registration, div')]
      .find((el) => el.querySelector?.('.serviceworker-running-status') && el.textContent.includes('chrome-extension://'));
    return {
      status: block?.querySelector('.serviceworker-running-status .value')?.textContent.trim() ?? null,
      thread: block?.querySelector('.serviceworker-tid span:last-child')?.textContent.trim() ?? null,
    };
  });
  return {
    page,
    /** The worker's state as the page shows it once reloaded (it lists the workers a moment after loading). */
    async status(timeout = 5_000) {
      await page.reload();
      const deadline = Date.now() + timeout;
      let now = await read();
      while (now.status == null && Date.now() < deadline) {
        await sleep(50);
        now = await read();
      }
      return now;
    },
    /** Waits until Page Medic's worker runs (its listeners registered meanwhile). */
    async running(timeout = 15_000) {
      const deadline = Date.now() + timeout;
      while ((await this.status()).status !== 'RUNNING' && Date.now() < deadline) await sleep(200);
    },
    /** Presses Stop, as a person would on that page. */
    stop: () => page.evaluate(() => {
      const stop = [...document.querySelectorAll('.worker-controls cr-button')].find((b) => b.dataset.command === 'stop');
      stop?.click();
      return Boolean(stop);
    }),
  };
}

/** Navigations the upstream served for `path` (not Page Medic's background checks). */
export const navigations = (upstream, path) => upstream.requests.filter((r) => r.url.startsWith(path) && r.mode === 'navigate').length;
export const checks = (upstream, path) => upstream.requests.filter((r) => r.url.startsWith(path) && r.mode !== 'navigate').length;

/** A button found through the accessibility tree (role and accessible name). */
export async function buttonByName(frame, name, timeout = 5_000) {
  return frame.locator(`::-p-aria([name="${name}"][role="button"])`).setTimeout(timeout).waitHandle();
}

/**
 * Where an element is in the tab's viewport, in any frame. Firefox 140's WebDriver BiDi cannot
 * find a frame's element in its parent (browsingContext.locateNodes by 'context', which
 * puppeteer's boundingBox asks for); there the frame's place comes from Gecko's
 * mozInnerScreenX/Y of the frame and of the page.
 */
async function boxOnScreen(page, handle) {
  try {
    return await handle.boundingBox();
  } catch (error) {
    if (!/locateNodes/.test(error.message)) throw error;
  }
  const box = await handle.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x + globalThis.mozInnerScreenX, y: r.y + globalThis.mozInnerScreenY, width: r.width, height: r.height };
  });
  const top = await page.evaluate(() => ({ x: globalThis.mozInnerScreenX, y: globalThis.mozInnerScreenY }));
  return { ...box, x: box.x - top.x, y: box.y - top.y };
}

/**
 * Sets the page's viewport. Puppeteer's setViewport also sends WebDriver BiDi's
 * emulation.setScreenOrientationOverride, which Firefox 140 does not know; there the viewport
 * alone is set, with browsingContext.setViewport.
 */
export async function setViewport(page, { width, height }) {
  try {
    await page.setViewport({ width, height });
  } catch (error) {
    if (!/setScreenOrientationOverride/.test(error.message)) throw error;
    await page.browser().connection.send('browsingContext.setViewport', { context: page.mainFrame()._id, viewport: { width, height } });
  }
}

/** A real (trusted) mouse click at the centre of an element, the way a person clicks. */
export async function personClick(page, handle) {
  // A person scrolls to what they want to press first, and presses it where it stays: once its
  // document's animations have ended (the panel's card rises into place) and two frames have
  // been drawn since (a frame's place on screen, for the click, comes with a drawn frame). A
  // document that draws no frames (a hidden tab) is waited for 2 s at most.
  await handle.evaluate((el) => new Promise((done) => {
    el.scrollIntoView({ block: 'center', inline: 'center' });
    setTimeout(done, 2000);
    const moving = () => el.ownerDocument.getAnimations()
      .some((a) => a.playState === 'running' && a.effect?.getComputedTiming().endTime !== Infinity);
    const settle = () => (moving() ? requestAnimationFrame(settle) : requestAnimationFrame(() => requestAnimationFrame(done)));
    settle();
  }));
  const box = await boxOnScreen(page, handle);
  if (!box) throw new Error('the element has no box on screen');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

/**
 * Installs a browser's machine policy, as an organization does, for this run; returns its removal
 * (also made when the process exits). Chromium reads /etc/chromium/policies/managed/ (a file of
 * this run's); Firefox from Debian's system policy file, /etc/firefox/policies/policies.json (Firefox
 * reads one file only; ESR 153 reads the per-user one, /run/user/<uid>/firefox/, only when run by
 * its own test harness), which the suite's Firefox tests, run one at a time, alone start while it
 * is there. Writing them needs root, as the suite has; a policy file this run did not write is
 * never overwritten.
 */
export function installMachinePolicy(name, policies) {
  const [file, content] = name === 'chromium'
    ? [`/etc/chromium/policies/managed/page-medic-e2e-${process.pid}.json`, policies]
    : ['/etc/firefox/policies/policies.json', { policies }];
  if (existsSync(file)) throw new Error(`${file} exists already: this test will not overwrite a policy it did not write`);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(content));
  } catch (error) {
    throw new Error(`this test writes the browser's machine policy (${file}) and needs root to: ${error.message}`);
  }
  const remove = () => rmSync(file, { force: true });
  process.once('exit', remove);
  return remove;
}

/**
 * What most tests stand on: an upstream the test controls, a real nginx in front of it (unless
 * `nginx: false`), and a browser with Page Medic whose background is ready, with a fresh tab.
 */
export async function openSite(name, { nginx = true, upstreamDown = false, newPage = true, ...launchOptions } = {}) {
  const upstream = await startUpstream();
  if (upstreamDown) await upstream.down();
  // A site whose nginx or browser cannot start (or get ready) leaves nothing running: a server or
  // browser left would keep the test file's process alive until its timeout, long after the error.
  let proxy = null;
  let browser = null;
  try {
    proxy = nginx ? await startNginx(upstream.port, { https: Boolean(launchOptions.https) }) : null;
    browser = await launch(name, launchOptions);
    // (A test that keeps DevTools off the worker waits for it its own way.)
    if (launchOptions.attachWorkers !== false) await extensionReady(browser, name);
    const page = newPage ? await browser.newPage() : null;
    return { upstream, nginx: proxy, browser, page };
  } catch (error) {
    await closeSite({ upstream, nginx: proxy, browser }).catch(() => {});
    throw error;
  }
}

export async function closeSite({ upstream, nginx, browser } = {}) {
  await browser?.close();
  await nginx?.stop();
  await upstream?.stop();
}

/**
 * What Page Medic keeps this session (storage.session): the failures it keeps for the toolbar
 * popup ({ url, verdict, error, retryAuto }) and the origins it has a retry schedule for. Read
 * in a new tab of Page Medic's options page, or in `from`, an extension page already open (in
 * Firefox one opens only by way of Page Medic's diagnosis page: see openExtensionPage).
 */
export async function keptThisSession(browser, name, { from = null } = {}) {
  const options = from ?? await openExtensionPage(browser, name, 'pages/options.html');
  const all = await options.evaluate(async () => Object.entries(await (globalThis.browser ?? globalThis.chrome).storage.session.get(null)));
  if (!from) await options.close();
  return {
    failures: all.filter(([key]) => key.startsWith('failure:'))
      .map(([, f]) => ({ url: f.url, verdict: f.diagnosis?.verdict, error: f.error, retryAuto: f.diagnosis?.retry?.auto })),
    schedules: all.filter(([key]) => key.startsWith('origin:')).map(([key]) => key.slice('origin:'.length)),
  };
}

/**
 * Page Medic's toolbar button as the visitor sees it over a tab: the tab whose failure Page Medic
 * kept for `urlOrTabId` (an address), or that tab (its id); { tabId, badge, title }, read through
 * Page Medic's own page.
 */
export async function toolbarButton(browser, name, urlOrTabId) {
  const options = await openExtensionPage(browser, name, 'pages/options.html');
  try {
    return await options.evaluate(async (which) => {
      const api = globalThis.browser ?? globalThis.chrome;
      let tabId = which;
      if (typeof which === 'string') {
        const kept = Object.entries(await api.storage.session.get(null)).find(([key, f]) => key.startsWith('failure:') && f.url === which);
        if (!kept) throw new Error(`no failure kept for ${which}`);
        tabId = Number(kept[0].slice('failure:'.length));
      }
      return { tabId, badge: await api.action.getBadgeText({ tabId }), title: await api.action.getTitle({ tabId }) };
    }, urlOrTabId);
  } finally {
    await options.close();
  }
}

/**
 * Opens Page Medic's toolbar popup as a click on its button does (Chromium: action.openPopup for
 * the window), once it has its text: over the active tab, or over the tab whose address holds
 * `over`, made active first.
 */
export async function openPopup(browser, over = null) {
  const sw = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background/background.js'));
  await (await sw.worker()).evaluate(async (part) => {
    const [tab] = part == null
      ? await chrome.tabs.query({ active: true, lastFocusedWindow: true })
      : (await chrome.tabs.query({})).filter((t) => (t.url ?? '').includes(part));
    await chrome.tabs.update(tab.id, { active: true });
    await chrome.action.openPopup({ windowId: tab.windowId });
  }, over);
  const popup = await (await browser.waitForTarget((t) => t.url().endsWith('/pages/popup.html'), { timeout: 10_000 })).asPage();
  await waitFor(popup, () => document.getElementById('title').textContent.length > 0);
  return popup;
}

/**
 * A Statuspage status page on 127.0.0.1 (its summary in Statuspage's format), counting requests;
 * with `port: 443` over HTTPS, with the test CA's certificate for *.shop.test, where a site's
 * visitors look for it without a link (https://status.<site>/).
 */
export async function statusPage(summary, { port = 0 } = {}) {
  const requests = [];
  const tls = port === 443 ? testCertificates().site : null;
  const make = tls ? (handler) => createTlsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, handler) : createServer;
  const server = make((req, res) => {
    requests.push({ url: req.url, host: req.headers.host, cookie: req.headers.cookie ?? null });
    if (req.url !== '/api/v2/summary.json') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(summary));
  });
  await new Promise((ok, fail) => server.once('error', fail).listen(port, '127.0.0.1', ok));
  return { port: server.address().port, requests, stop: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }) };
}

/**
 * A flapping site, as an upstream handler: it answers the first of Page Medic's checks of
 * `path...` (a request that is no navigation, nor the browser's favicon request) with the real
 * page, and everything else with a 502. `answered()`: whether that one answer was given.
 */
export function flapping(path) {
  let answers = 1;
  return {
    answered: () => answers === 0,
    handler(req, res) {
      if (req.url.startsWith(path) && req.headers['sec-fetch-mode'] !== 'navigate' && answers > 0) {
        answers -= 1;
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<!doctype html><title>The shop</title><h1>The real page</h1>');
      }
      res.writeHead(502, { 'content-type': 'text/html' });
      return res.end('<!doctype html><title>502</title><h1>The shop is down</h1>');
    },
  };
}
