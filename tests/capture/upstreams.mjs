// Upstreams that misbehave the way real origins do, on 127.0.0.1, for the capture rig.
import { createServer } from 'node:net';

const PAGE = '<!doctype html><title>Origin</title><h1>The origin is fine</h1>';

/**
 * Each behaviour: what the origin does with a connection. `refuse` has no listener at all.
 * `expect` is what a person who knows the setup would say the visitor should be told; the fixture
 * records it beside the real response, and the core is tested against it.
 */
export const BEHAVIOURS = {
  refuse: { about: 'nothing listens on the origin port (connection refused)', expect: 'origin-down' },
  hang: { about: 'the origin accepts and never answers', expect: 'origin-timeout', serve: () => {} },
  garbage: {
    about: 'the origin answers bytes that are not HTTP',
    expect: 'origin-down',
    serve: (socket) => socket.once('data', () => socket.end('SSH-2.0-OpenSSH_9.2 not http at all\r\n\r\n')),
  },
  cutoff: {
    about: 'the origin closes in the middle of its headers',
    expect: 'origin-down',
    serve: (socket) => socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Half')),
  },
  close: {
    about: 'the origin closes without answering',
    expect: 'origin-down',
    serve: (socket) => socket.once('data', () => socket.destroy()),
  },
  'app-502': {
    about: 'the origin itself answers 502 with its own page',
    expect: 'origin-down',
    passthrough: true,
    serve: (socket) => socket.once('data', () => socket.end(http(502, 'Bad Gateway', {}, '<!doctype html><title>Error</title><p>The application could not reach its database.</p>'))),
  },
  'app-503-retry-after': {
    about: 'the origin answers 503 with Retry-After: 120 (planned downtime)',
    expect: 'site-unavailable',
    passthrough: true,
    serve: (socket) => socket.once('data', () => socket.end(http(503, 'Service Unavailable', { 'Retry-After': '120' }, '<!doctype html><title>Back soon</title><p>We are busy right now. Please come back in two minutes.</p>'))),
  },
  ok: {
    about: 'the origin answers 200',
    expect: 'none',
    passthrough: true,
    serve: (socket) => socket.once('data', () => socket.end(http(200, 'OK', {}, PAGE))),
  },
};

function http(status, reason, headers, body) {
  const lines = [`HTTP/1.1 ${status} ${reason}`, 'Content-Type: text/html; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

async function listen(server, port = 0) {
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  return server.address().port;
}

/** Starts every behaviour; returns { name: port } and a stop function. */
export async function startUpstreams() {
  const servers = [];
  const sockets = new Set();
  const ports = {};
  for (const [name, behaviour] of Object.entries(BEHAVIOURS)) {
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
      behaviour.serve?.(socket);
    });
    ports[name] = await listen(server);
    if (name === 'refuse') {
      // Keep the port number, free the port: connecting to it is refused.
      await new Promise((ok) => server.close(ok));
    } else {
      servers.push(server);
    }
  }
  return {
    ports,
    async stop() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((ok) => s.close(ok))));
    },
  };
}

export async function freePort() {
  const server = createServer();
  const port = await listen(server);
  await new Promise((ok) => server.close(ok));
  return port;
}
