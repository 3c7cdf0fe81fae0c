// The method of each tab's failed main-frame load, where the browser tells it: Firefox's
// webRequest reports every such failure (main frames only, on errors alone). A POST that never got
// its answer is a form's whatever sent it (a subframe's form aimed at the whole tab, a tab whose
// page was loaded before Page Medic, with no content script to tell it), and is never sent again.
// The same report names the failure where webNavigation gives only its number (`Error code
// 2152398861` is `NS_ERROR_CONNECTION_REFUSED`): a name the visitor, and the site's support, can
// look up, which the core tells beside the number; and it says whether the load went through the
// browser's proxy, which alone was then reached, and whether the browser had asked its visitor to
// sign in to that proxy for it (`signInAsked(tabId, requestId)`: proxy-sign-ins.js), which ends
// as the proxy's refusal where the visitor cancels.
// webRequest and webNavigation report apart, so the failure's report is waited for a moment.
// Kept in memory, one per tab: Firefox may report one failed load to webNavigation twice (seen
// with ESR 153, for a POST it sent again on a connection closed under it), and each report gets
// the same answer while it is fresh. The tab's next failed load replaces it.

import { withoutFragment } from '../shared/addresses.js';
import { within } from './failures.js';
import { throughProxy } from './events.js';

/** webNavigation's word for a failure it gives as a number only (decimal or hex). */
const NUMBER_ONLY = /^Error code (0x[0-9a-f]+|[0-9]+)$/i;
/** How far apart the two reports of one failure may be (the browser's times of them). */
const SAME_FAILURE_MS = 2000;

export function createFailedRequests({ now = Date.now, freshMs = 10_000, signInAsked = async () => false } = {}) {
  const reports = new Map(); // tabId -> { url, method, error, timeStamp, requestId, viaProxy, at }
  const waiting = new Map(); // tabId -> [call with the tab's next report]
  const of = (tabId, target) => {
    const report = reports.get(tabId);
    return report?.url === target && now() - report.at <= freshMs ? report : null;
  };
  /** The tab's fresh report for `url`, waited for up to `waitMs`; or null. */
  async function reportOf(tabId, url, waitMs) {
    const target = withoutFragment(url);
    const deadline = Date.now() + waitMs;
    // (Another address's report, an earlier load's, is not this one's: waited past.)
    while (!of(tabId, target) && Date.now() < deadline) {
      const next = new Promise((ok) => waiting.set(tabId, [...(waiting.get(tabId) ?? []), () => ok(true)]));
      if (!(await within(next, deadline - Date.now()))) break;
    }
    return of(tabId, target);
  }
  return {
    /** webRequest's onErrorOccurred, main frames only. */
    heard({ tabId, url, method, error, timeStamp, requestId, proxyInfo }) {
      reports.set(tabId, { url: withoutFragment(url), method, error, timeStamp, requestId, viaProxy: throughProxy(proxyInfo), at: now() });
      for (const ok of waiting.get(tabId) ?? []) ok();
      waiting.delete(tabId);
    },

    /** Whether the tab's failed load of `url` was a POST; its report is waited for up to `waitMs`. */
    async wasPost(tabId, url, waitMs = 0) {
      return (await reportOf(tabId, url, waitMs))?.method === 'POST';
    },

    /**
     * What webRequest told of the tab's failed load of `url`, where webNavigation gave only its
     * number as `error` (Firefox; at the browser's `timeStamp`): `name`, what it called the
     * failure (`NS_ERROR_...`), else null — whether it is told, and how, is the core's
     * (`error_name`); `viaProxy`, whether the load went through the browser's proxy; and
     * `proxySignIn`, whether the browser asked its visitor to sign in to that proxy for it.
     */
    async toldOf(tabId, url, error, timeStamp, waitMs = 0) {
      const report = NUMBER_ONLY.test(String(error ?? '').trim()) ? await reportOf(tabId, url, waitMs) : null;
      const same = typeof timeStamp !== 'number' || typeof report?.timeStamp !== 'number'
        || Math.abs(report.timeStamp - timeStamp) <= SAME_FAILURE_MS;
      const told = same ? report : null;
      const proxySignIn = told != null && (await signInAsked(tabId, told.requestId).catch(() => false)) === true;
      return { name: typeof told?.error === 'string' ? told.error : null, viaProxy: told?.viaProxy === true, proxySignIn };
    },

    forget(tabId) {
      reports.delete(tabId);
      waiting.delete(tabId);
    },
  };
}
