// The method of each tab's failed main-frame load, where the browser tells it: Firefox's
// webRequest reports every such failure (main frames only, on errors alone). A POST that never got
// its answer is a form's whatever sent it (a subframe's form aimed at the whole tab, a tab whose
// page was loaded before Page Medic, with no content script to tell it), and is never sent again.
// webRequest and webNavigation report apart, so the failure's report is waited for a moment.
// Kept in memory, one per tab: Firefox may report one failed load to webNavigation twice (seen
// with ESR 153, for a POST it sent again on a connection closed under it), and each report gets
// the same answer while it is fresh. The tab's next failed load replaces it.

import { withoutFragment } from '../shared/addresses.js';
import { within } from './failures.js';

export function createFailedRequests({ now = Date.now, freshMs = 10_000 } = {}) {
  const reports = new Map(); // tabId -> { url, method, at }
  const waiting = new Map(); // tabId -> [call with the tab's next report]
  const of = (tabId, target) => {
    const report = reports.get(tabId);
    return report?.url === target && now() - report.at <= freshMs ? report : null;
  };
  return {
    /** webRequest's onErrorOccurred, main frames only. */
    heard({ tabId, url, method }) {
      reports.set(tabId, { url: withoutFragment(url), method, at: now() });
      for (const ok of waiting.get(tabId) ?? []) ok();
      waiting.delete(tabId);
    },

    /** Whether the tab's failed load of `url` was a POST; its report is waited for up to `waitMs`. */
    async wasPost(tabId, url, waitMs = 0) {
      const target = withoutFragment(url);
      const deadline = Date.now() + waitMs;
      // (Another address's report, an earlier load's, is not this one's: waited past.)
      while (!of(tabId, target) && Date.now() < deadline) {
        const next = new Promise((ok) => waiting.set(tabId, [...(waiting.get(tabId) ?? []), () => ok(true)]));
        if (!(await within(next, deadline - Date.now()))) break;
      }
      return of(tabId, target)?.method === 'POST';
    },

    forget(tabId) {
      reports.delete(tabId);
      waiting.delete(tabId);
    },
  };
}
