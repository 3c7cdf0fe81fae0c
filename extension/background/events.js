// Turns what the browser reports into the core's event (see README: the event contract).
// Plain functions of their arguments, so Node tests can call them.

/**
 * The method of a failed main-frame load: a page reached by a form submission is taken as a POST
 * (webNavigation does not say which method a form used; one sent by GET is told by its page and
 * is no form: failures.js), so it is never sent again by itself.
 */
export const methodOf = (form) => (form ? 'POST' : 'GET');

/**
 * The headers of a response of the failed address (the page's own, from the cache, or a look),
 * when it failed the same way: only then do they speak for the page the visitor saw. Set-Cookie
 * never reaches a fetch's headers.
 */
function sameFailure(status, look) {
  return look && look.status === status ? look : null;
}

/**
 * Whether a load went through the browser's proxy, from Firefox webRequest's `proxyInfo` (null,
 * or of type `direct`, for none).
 */
export const throughProxy = (proxyInfo) => Boolean(proxyInfo) && proxyInfo.type !== 'direct';

const MAX_HEADERS = 256;
const MAX_HEADER_CHARS = 8192;

/**
 * A failed page's response head as its content script sent it ({ status, statusText, headers }),
 * or null: only what has that shape, at most 256 headers of at most 8 KiB each.
 */
export function headOf(head) {
  if (!head || !Number.isInteger(head.status) || !Array.isArray(head.headers)) return null;
  const text = (s) => typeof s === 'string' && s.length <= MAX_HEADER_CHARS;
  return {
    status: head.status,
    statusText: text(head.statusText) ? head.statusText : '',
    headers: head.headers.filter((h) => Array.isArray(h) && h.length === 2 && text(h[0]) && text(h[1])).slice(0, MAX_HEADERS),
  };
}

/**
 * The core's event for a page that answered with an error: its status (Navigation Timing), the
 * page as parsed, and the headers of its response (`head`); `viaProxy`: the browser said that
 * answer came through its proxy (heads.js).
 */
export function eventFromPage({ url, status, at, form }, head, { body, refresh, online, browser, jitter, recent = [], viaProxy = false }) {
  const same = sameFailure(status, head);
  return {
    url,
    method: methodOf(form),
    status,
    status_text: same?.statusText || undefined,
    headers: same?.headers ?? [],
    via_proxy: (Boolean(same) && viaProxy === true) || undefined,
    body: typeof body === 'string' ? body.slice(0, 65536) : undefined,
    refresh: typeof refresh === 'string' ? refresh.slice(0, 1024) : undefined,
    online: online !== false,
    browser,
    now_ms: at,
    jitter,
    recent,
  };
}

/**
 * The core's event for a navigation that failed, with what a look at the address found: its
 * answer (`response`), or that it failed with a network error too (`lookFailed`); `upgraded`:
 * the browser itself upgraded the address to https on the way; `errorName`: the browser's name
 * for an error it gave as a number only (Firefox's webRequest); `viaProxy`: the load went
 * through the browser's proxy (the same report); `proxySignIn`: the browser asked its visitor to
 * sign in to that proxy for it.
 */
export function eventFromError(url, error, {
  response, lookFailed = false, upgraded = false, form, online, browser, now, jitter, blockers = null, errorName = null, viaProxy = false,
  proxySignIn = false,
}) {
  return {
    url,
    error_name: errorName ?? undefined,
    via_proxy: viaProxy === true || undefined,
    proxy_sign_in: proxySignIn === true || undefined,
    blockers: blockers ?? undefined,
    look_failed: lookFailed || undefined,
    upgraded: upgraded || undefined,
    method: methodOf(form),
    status: response?.status,
    status_text: response?.statusText || undefined,
    headers: response?.headers ?? [],
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

/**
 * The core's input for a failure's support report: the failure as stored when the page failed
 * (what was tried, and when), with what the diagnosis the visitor was shown said.
 */
export function reportOf(failure) {
  const d = failure.diagnosis ?? {};
  const tried = failure.tried ?? [];
  return {
    url: failure.url, status: failure.status, status_text: failure.statusText, error: failure.error,
    at_ms: failure.at, tried, tried_at: tried.map((what) => failure.triedAt?.[what] ?? NaN),
    verdict: d.verdict, gateway: d.gateway?.name, data_centre: d.data_centre, request_id: d.request_id,
    request_ids: d.request_ids ?? [], notices: d.notices ?? [],
  };
}
