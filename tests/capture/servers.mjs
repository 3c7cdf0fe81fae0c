// Real Debian servers as reverse proxies (and forward proxies) for the capture rig. Each entry
// writes its configuration into a scratch directory and starts the server in the foreground.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT_USER = process.getuid?.() === 0;
const TIMEOUT_S = 2; // every proxy gives up on a silent origin after this long
const ident = (name) => name.replaceAll('-', '_');
const version = (cmd, args, pattern) => {
  let out;
  try {
    out = execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    out = `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
  return (pattern.exec(out) ?? [null, 'unknown'])[1];
};

export const SERVERS = {
  nginx: {
    gateway: 'nginx',
    version: () => `nginx/${version('nginx', ['-v'], /nginx\/(\S+)/)}`,
    modes: ['reverse'],
    start(dir, port, ports) {
      const locations = Object.entries(ports).map(([name, p]) =>
        `location /${name}/ { proxy_pass http://127.0.0.1:${p}/; }`).join('\n    ');
      writeFileSync(join(dir, 'nginx.conf'), `
${ROOT_USER ? 'user root;' : ''}
worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/b; proxy_temp_path ${dir}/p; fastcgi_temp_path ${dir}/f; uwsgi_temp_path ${dir}/u; scgi_temp_path ${dir}/s;
  proxy_connect_timeout ${TIMEOUT_S}s; proxy_read_timeout ${TIMEOUT_S}s;
  server {
    listen 127.0.0.1:${port};
    ${locations}
  }
}`);
      return ['nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;']];
    },
  },

  haproxy: {
    gateway: 'HAProxy',
    version: () => `HAProxy/${version('haproxy', ['-v'], /HAProxy version (\S+)/)}`,
    modes: ['reverse'],
    start(dir, port, ports) {
      const names = Object.keys(ports);
      writeFileSync(join(dir, 'haproxy.cfg'), `
defaults
  mode http
  timeout connect ${TIMEOUT_S}s
  timeout client 10s
  timeout server ${TIMEOUT_S}s
frontend fe
  bind 127.0.0.1:${port}
${names.map((n) => `  use_backend be_${ident(n)} if { path_beg /${n}/ }`).join('\n')}
${names.map((n) => `backend be_${ident(n)}\n  http-request set-path %[path,regsub(^/${n}/,/)]\n  server origin 127.0.0.1:${ports[n]}`).join('\n')}
`);
      return ['haproxy', ['-db', '-f', join(dir, 'haproxy.cfg')]];
    },
  },

  varnish: {
    gateway: 'Varnish',
    version: () => `varnish/${version('varnishd', ['-V'], /varnish-(\S+)/)}`,
    // (Also `startServer('varnish', port, ports, 'cache')`, for the e2e suite: Varnish as a cache
    // that keeps what the site lets it keep, its default; the rig passes everything through.)
    modes: ['reverse'],
    start(dir, port, ports, mode) {
      const names = Object.keys(ports);
      const vcl = join(dir, 'default.vcl');
      writeFileSync(vcl, `vcl 4.1;
${names.map((n) => `backend ${ident(n)} { .host = "127.0.0.1"; .port = "${ports[n]}"; .connect_timeout = ${TIMEOUT_S}s; .first_byte_timeout = ${TIMEOUT_S}s; .between_bytes_timeout = ${TIMEOUT_S}s; }`).join('\n')}
sub vcl_recv {
${names.map((n) => `  if (req.url ~ "^/${n}/") { set req.backend_hint = ${ident(n)}; set req.url = regsub(req.url, "^/${n}/", "/"); }`).join('\n')}
  return (${mode === 'cache' ? 'hash' : 'pass'});
}
${mode === 'cache' ? `import std;
sub vcl_backend_response {
  # Varnish keeps no 5xx by itself; sites that shield their servers keep one as long as it says.
  if (beresp.status >= 500 && beresp.http.Cache-Control ~ "max-age=[0-9]") {
    set beresp.ttl = std.duration(regsub(beresp.http.Cache-Control, "^.*max-age=([0-9]+).*$", "\\1s"), 0s);
  }
}` : ''}
`);
      chmodSync(dir, 0o755);
      return ['varnishd', ['-F', '-a', `127.0.0.1:${port}`, '-f', vcl, '-n', join(dir, 'work'), '-s', 'malloc,16m', '-T', 'none']];
    },
  },

  apache: {
    gateway: 'Apache',
    version: () => `Apache/${version('apache2', ['-v'], /Apache\/(\S+)/)}`,
    modes: ['reverse', 'forward'],
    start(dir, port, ports, mode) {
      const mods = ['mpm_event', 'authz_core', 'proxy', 'proxy_http'];
      const routes = mode === 'forward'
        ? 'ProxyRequests On\n<Proxy "*">\n  Require all granted\n</Proxy>'
        : Object.entries(ports).map(([n, p]) => `ProxyPass "/${n}/" "http://127.0.0.1:${p}/"`).join('\n');
      writeFileSync(join(dir, 'apache2.conf'), `
ServerRoot ${dir}
Listen 127.0.0.1:${port}
${mods.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`).join('\n')}
${ROOT_USER ? 'User www-data\nGroup www-data' : ''}
PidFile ${dir}/apache2.pid
ErrorLog ${dir}/error.log
ServerName 127.0.0.1
DefaultRuntimeDir ${dir}
Mutex file:${dir} default
ProxyTimeout ${TIMEOUT_S}
${routes}
`);
      return ['apache2', ['-f', join(dir, 'apache2.conf'), '-DFOREGROUND']];
    },
  },

  squid: {
    gateway: 'Squid',
    version: () => `squid/${version('squid', ['-v'], /Version (\S+)/)}`,
    modes: ['reverse', 'forward'],
    start(dir, port, ports, mode) {
      const names = Object.keys(ports);
      const reverse = `http_port 127.0.0.1:${port} accel defaultsite=127.0.0.1 no-vhost
${names.map((n) => `cache_peer 127.0.0.1 parent ${ports[n]} 0 no-query originserver name=${ident(n)}
acl path_${ident(n)} urlpath_regex ^/${n}/
cache_peer_access ${ident(n)} allow path_${ident(n)}
cache_peer_access ${ident(n)} deny all`).join('\n')}
never_direct allow all`;
      const forward = `http_port 127.0.0.1:${port}`;
      chmodSync(dir, 0o777);
      writeFileSync(join(dir, 'squid.conf'), `
${mode === 'forward' ? forward : reverse}
http_access allow all
cache deny all
pid_filename ${dir}/squid.pid
cache_log ${dir}/cache.log
access_log none
coredump_dir ${dir}
connect_timeout ${TIMEOUT_S} seconds
read_timeout ${TIMEOUT_S} seconds
forward_timeout ${TIMEOUT_S * 2} seconds
dns_nameservers 127.0.0.1
dns_timeout ${TIMEOUT_S} seconds
shutdown_lifetime 0 seconds
`);
      return ['squid', ['-N', '-f', join(dir, 'squid.conf')]];
    },
  },

  caddy: {
    gateway: 'Caddy',
    version: () => `Caddy/${version('caddy', ['version'], /v?(\d+\.\d+\.\d+)/)}`,
    modes: ['reverse'],
    env: (dir) => ({ HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir }),
    start(dir, port, ports) {
      writeFileSync(join(dir, 'Caddyfile'), `{
  admin off
  auto_https off
}
http://127.0.0.1:${port} {
${Object.entries(ports).map(([n, p]) => `  handle_path /${n}/* {
    reverse_proxy 127.0.0.1:${p} {
      transport http {
        dial_timeout ${TIMEOUT_S}s
        response_header_timeout ${TIMEOUT_S}s
      }
    }
  }`).join('\n')}
}
`);
      return ['caddy', ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile']];
    },
  },

  lighttpd: {
    gateway: 'lighttpd',
    version: () => `lighttpd/${version('lighttpd', ['-v'], /lighttpd\/(\S+)/)}`,
    modes: ['reverse'],
    start(dir, port, ports) {
      mkdirSync(join(dir, 'www'), { recursive: true });
      writeFileSync(join(dir, 'lighttpd.conf'), `
server.document-root = "${dir}/www"
server.bind = "127.0.0.1"
server.port = ${port}
server.modules = ("mod_proxy")
server.errorlog = "${dir}/error.log"
${Object.entries(ports).map(([n, p]) => `$HTTP["url"] =~ "^/${n}/" {
  proxy.server = ("" => (("host" => "127.0.0.1", "port" => ${p}, "connect-timeout" => ${TIMEOUT_S}, "read-timeout" => ${TIMEOUT_S})))
  proxy.header = ("map-urlpath" => ("/${n}/" => "/"))
}`).join('\n')}
`);
      return ['lighttpd', ['-D', '-f', join(dir, 'lighttpd.conf')]];
    },
  },

  h2o: {
    gateway: 'H2O',
    version: () => `h2o/${version('h2o', ['--version'], /h2o version (\S+)/)}`,
    modes: ['reverse'],
    start(dir, port, ports) {
      const paths = Object.entries(ports).map(([n, p]) => `      /${n}:
        proxy.reverse.url: http://127.0.0.1:${p}/`).join('\n');
      writeFileSync(join(dir, 'h2o.conf'), `${ROOT_USER ? 'user: root\n' : ''}listen:
  host: 127.0.0.1
  port: ${port}
pid-file: ${dir}/h2o.pid
error-log: ${dir}/error.log
proxy.timeout.io: ${TIMEOUT_S * 1000}
hosts:
  default:
    paths:
${paths}
`);
      return ['h2o', ['-c', join(dir, 'h2o.conf')]];
    },
  },

  nghttpx: {
    gateway: 'nghttpx',
    version: () => `nghttpx/${version('nghttpx', ['--version'], /nghttpx nghttp2\/(\S+)/)}`,
    modes: ['reverse'],
    start(dir, port, ports) {
      // A backend a path pattern (a pattern ending in / matches the path below it), and the
      // catch-all every nghttpx needs. nghttpx passes the path on as it came.
      writeFileSync(join(dir, 'nghttpx.conf'), `frontend=127.0.0.1,${port};no-tls
${Object.entries(ports).map(([n, p]) => `backend=127.0.0.1,${p};/${n}/;proto=http/1.1`).join('\n')}
backend=127.0.0.1,${ports.ok ?? Object.values(ports)[0]};;proto=http/1.1
backend-connect-timeout=${TIMEOUT_S}s
backend-read-timeout=${TIMEOUT_S}s
workers=1
pid-file=${dir}/nghttpx.pid
errorlog-file=${dir}/error.log
`);
      return ['nghttpx', ['--conf', join(dir, 'nghttpx.conf')]];
    },
  },

  tinyproxy: {
    gateway: 'tinyproxy',
    version: () => `tinyproxy/${version('tinyproxy', ['-v'], /tinyproxy (\S+)/)}`,
    modes: ['forward'],
    start(dir, port) {
      // Debian's own settings (its error page, the Via name), on a port and scratch files of its own.
      chmodSync(dir, 0o777);
      writeFileSync(join(dir, 'tinyproxy.conf'), `${ROOT_USER ? 'User nobody\nGroup nogroup\n' : ''}Port ${port}
Listen 127.0.0.1
Timeout ${TIMEOUT_S}
DefaultErrorFile "/usr/share/tinyproxy/default.html"
LogFile "${dir}/tinyproxy.log"
PidFile "${dir}/tinyproxy.pid"
MaxClients 16
Allow 127.0.0.1
ViaProxyName "tinyproxy"
`);
      return ['tinyproxy', ['-d', '-c', join(dir, 'tinyproxy.conf')]];
    },
  },

  privoxy: {
    gateway: 'Privoxy',
    version: () => `Privoxy/${version('privoxy', ['--version'], /Privoxy version (\S+)/)}`,
    modes: ['forward'],
    start(dir, port) {
      // Debian's templates and actions, on a port and log of its own.
      writeFileSync(join(dir, 'config'), `confdir /etc/privoxy
templdir /etc/privoxy/templates
logdir ${dir}
actionsfile match-all.action
actionsfile default.action
filterfile default.filter
listen-address 127.0.0.1:${port}
socket-timeout ${TIMEOUT_S}
forwarded-connect-retries 0
`);
      return ['privoxy', ['--no-daemon', join(dir, 'config')]];
    },
  },

  trafficserver: {
    gateway: 'Apache Traffic Server',
    version: () => `ATS/${version('traffic_server', ['--version'], /Traffic Server (\S+)/)}`,
    modes: ['reverse', 'forward'],
    env: (dir) => ({ TS_ROOT: dir }),
    start(dir, port, ports, mode) {
      // A private layout: config, runtime and logs under the scratch directory.
      for (const sub of ['etc/trafficserver', 'var/log/trafficserver', 'var/trafficserver', 'var/cache/trafficserver', 'bin', 'libexec/trafficserver']) {
        mkdirSync(join(dir, sub), { recursive: true });
      }
      cpSync('/etc/trafficserver', join(dir, 'etc/trafficserver'), { recursive: true });
      writeFileSync(join(dir, 'runroot.yaml'), `prefix: ${dir}
exec_prefix: /usr
bindir: /usr/bin
sbindir: /usr/sbin
sysconfdir: ${dir}/etc/trafficserver
datadir: /usr/share/trafficserver
includedir: /usr/include
libdir: /usr/lib/x86_64-linux-gnu/trafficserver
libexecdir: /usr/lib/trafficserver/modules
localstatedir: ${dir}/var
runtimedir: ${dir}/var/trafficserver
logdir: ${dir}/var/log/trafficserver
cachedir: ${dir}/var/cache/trafficserver
`);
      const records = readFileSync('/etc/trafficserver/records.config', 'utf8')
        .split('\n').filter((l) => !/proxy\.config\.(http\.server_ports|url_remap\.remap_required|admin\.user_id)\b/.test(l)).join('\n');
      writeFileSync(join(dir, 'etc/trafficserver/records.config'), `${records}
CONFIG proxy.config.http.server_ports STRING ${port}:ipv4:ip-in=127.0.0.1
CONFIG proxy.config.url_remap.remap_required INT ${mode === 'forward' ? 0 : 1}
CONFIG proxy.config.admin.user_id STRING #-1
CONFIG proxy.config.http.connect_attempts_timeout INT ${TIMEOUT_S}
CONFIG proxy.config.http.connect_attempts_max_retries INT 0
CONFIG proxy.config.http.connect_attempts_max_retries_dead_server INT 0
CONFIG proxy.config.http.transaction_no_activity_timeout_out INT ${TIMEOUT_S}
CONFIG proxy.config.http.cache.http INT 0
CONFIG proxy.config.dns.nameservers STRING 127.0.0.1
CONFIG proxy.config.dns.resolv_conf STRING NULL
CONFIG proxy.config.hostdb.lookup_timeout INT ${TIMEOUT_S}
CONFIG proxy.config.http.insert_response_via_str INT 0
`);
      writeFileSync(join(dir, 'etc/trafficserver/storage.config'), `${dir}/var/cache/trafficserver 64M\n`);
      writeFileSync(join(dir, 'etc/trafficserver/remap.config'), mode === 'forward' ? '' :
        Object.entries(ports).map(([n, p]) => `map http://127.0.0.1:${port}/${n}/ http://127.0.0.1:${p}/`).join('\n') + '\n');
      writeFileSync(join(dir, 'etc/trafficserver/ip_allow.yaml'), `ip_allow:
  - apply: in
    ip_addrs: 0/0
    action: allow
  - apply: out
    ip_addrs: 0/0
    action: allow
`);
      return ['traffic_server', ['--run-root', join(dir, 'runroot.yaml')]];
    },
  },
};

async function waitForPort(port, proc, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`exited with ${proc.exitCode}`);
    const open = await new Promise((ok) => {
      const s = connect(port, '127.0.0.1', () => { s.destroy(); ok(true); });
      s.on('error', () => ok(false));
    });
    if (open) return;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`not listening on ${port} after ${timeoutMs} ms`);
}

/**
 * Starts one of SERVERS on `port` (127.0.0.1) in a scratch directory, routing /NAME/ to each of
 * `ports` (reverse mode), and waits until it listens. `stop()` kills it and removes its files.
 * Throws, with what it printed, when it does not come up.
 */
export async function startServer(name, port, ports, mode = 'reverse') {
  const server = SERVERS[name];
  const dir = mkdtempSync(join(tmpdir(), `page-medic-${name}-`));
  const [cmd, args] = server.start(dir, port, ports, mode);
  // A process group of its own, so that stopping it stops its workers too (Apache's children
  // would otherwise live on, holding the pipes below open).
  const proc = spawn(cmd, args, { cwd: dir, env: { ...process.env, ...server.env?.(dir) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  proc.stdout.on('data', (d) => { output += d; });
  proc.stderr.on('data', (d) => { output += d; });
  const stop = async () => {
    const exited = new Promise((ok) => (proc.exitCode !== null || proc.signalCode !== null ? ok() : proc.once('exit', ok)));
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await exited;
    // varnishd's worker leaves the group.
    if (name === 'varnish') await new Promise((ok) => spawn('pkill', ['-9', '-f', join(dir, 'work')]).once('exit', ok));
    proc.stdout.destroy();
    proc.stderr.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, proc);
  } catch (error) {
    await stop();
    throw new Error(`${name} did not start: ${error.message}; log: ${output.slice(-1000)}`);
  }
  // Some servers accept before their routes are ready.
  await new Promise((ok) => setTimeout(ok, 500));
  return { port, stop };
}
