// Failed pages' response heads as the browser received them, where it tells Page Medic: Firefox's
// webRequest, main frames only (Page Medic holds that permission in Firefox alone: in Chromium
// holding it slows every request of every page; docs/performance-notes.md). A failed page's head
// is then known at once; elsewhere its content script reads it back from the browser's cache,
// which in Firefox answers only around the page's load event.
// Kept in memory, one per tab, until the tab's diagnosis takes it; never a cookie.

import { withoutFragment } from '../shared/addresses.js';
import { within } from './failures.js';
import { throughProxy } from './events.js';

const NEVER_KEPT = new Set(['set-cookie', 'set-cookie2']);

/** A status line's reason phrase ("HTTP/1.1 502 Bad Gateway" -> "Bad Gateway"; HTTP/2 has none). */
const reasonOf = (statusLine) => /^\S+\s+\d{3}\s*(.*)$/.exec(statusLine ?? '')?.[1] ?? '';

export function createHeads() {
  const heads = new Map(); // tabId -> { url, head }
  const waiting = new Map(); // tabId -> [call with the tab's next head]
  return {
    /** webRequest's onHeadersReceived, main frames only: keeps an error's head, drops the tab's older one. */
    heard({ tabId, url, method, statusCode, statusLine, responseHeaders, proxyInfo }) {
      if (!(statusCode >= 400)) {
        if (heads.size) heads.delete(tabId);
        return;
      }
      const headers = (responseHeaders ?? [])
        .filter((h) => typeof h?.name === 'string' && typeof h.value === 'string' && !NEVER_KEPT.has(h.name.toLowerCase()))
        .map((h) => [h.name.toLowerCase(), h.value]);
      // (Through the browser's proxy: a proxy's own error page is then the visitor's side.)
      const viaProxy = throughProxy(proxyInfo);
      // (And the request's method: a GET's answer is no form's, whatever led to it.)
      heads.set(tabId, { url: withoutFragment(url), head: { status: statusCode, statusText: reasonOf(statusLine), headers, viaProxy, method } });
      for (const ok of waiting.get(tabId) ?? []) ok();
      waiting.delete(tabId);
    },

    /**
     * The head of the tab's page at `url`, once ({ status, statusText, headers, viaProxy, method }), or null. The
     * browser's report of it may come a moment after the page's own (they travel apart): it is
     * waited for up to `waitMs`.
     */
    async take(tabId, url, waitMs = 0) {
      if (heads.get(tabId)?.url !== withoutFragment(url) && waitMs > 0) {
        // (A waiter left by a wait that ended goes with the tab's next head, or the tab.)
        await within(new Promise((ok) => waiting.set(tabId, [...(waiting.get(tabId) ?? []), ok])), waitMs);
      }
      const kept = heads.get(tabId);
      heads.delete(tabId);
      return kept && kept.url === withoutFragment(url) ? kept.head : null;
    },

    forget(tabId) {
      heads.delete(tabId);
      waiting.delete(tabId);
    },
  };
}
