// Turns what the browser APIs report into the core's event (see README: the event contract).
// Plain functions of their arguments, so Node tests can call them.

/** Statuses worth a look: every error the core can say something about. */
export function isCandidate(status) {
  return status >= 400;
}

/** The reason phrase from a status line such as "HTTP/1.1 502 Bad Gateway". */
export function reasonPhrase(statusLine) {
  const match = /^\S+\s+\d{3}\s?(.*)$/.exec(statusLine ?? '');
  return match ? match[1] : '';
}

const headerPairs = (headers) => (headers ?? []).map(({ name, value }) => [String(name), String(value ?? '')]);

/** The core's event for a main-frame response the browser observed. */
export function eventFromResponse(response, { body, online, browser, now, jitter }) {
  return {
    url: response.url,
    method: response.method,
    status: response.status,
    status_text: reasonPhrase(response.statusLine),
    headers: headerPairs(response.headers),
    body: typeof body === 'string' ? body.slice(0, 65536) : undefined,
    online: online !== false,
    browser,
    now_ms: now,
    jitter,
  };
}

/** The core's event for a navigation that failed (with the response, when there was one). */
export function eventFromError(url, error, { response, online, browser, now, jitter }) {
  return {
    url,
    method: response?.method ?? 'GET',
    status: response?.status,
    status_text: response ? reasonPhrase(response.statusLine) : undefined,
    headers: headerPairs(response?.headers),
    error,
    online: online !== false,
    browser,
    now_ms: now,
    jitter,
  };
}

/** The core's event for a background check's answer (a fetch Response's parts). */
export function eventFromCheck(url, { status, statusText, headers }, { now, jitter }) {
  return { url, method: 'GET', status, status_text: statusText, headers: [...headers], now_ms: now, jitter };
}
