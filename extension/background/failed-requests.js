// The method of each tab's failed main-frame load, where the browser tells it: Firefox's
// webRequest reports every such failure (main frames only, on errors alone). A POST that never got
// its answer is a form's whatever sent it (a subframe's form aimed at the whole tab, a tab whose
// page was loaded before Page Medic, with no content script to tell it), and is never sent again.
// webRequest and webNavigation report apart, so the failure's report is waited for a moment.
// Kept in memory, one per tab, until the tab's failure takes it.

import { withoutFragment } from '../shared/addresses.js';
import { within } from './failures.js';

export function createFailedRequests() {
  const reports = new Map(); // tabId -> { url, method }
  const waiting = new Map(); // tabId -> [call with the tab's next report]
  return {
    /** webRequest's onErrorOccurred, main frames only. */
    heard({ tabId, url, method }) {
      reports.set(tabId, { url: withoutFragment(url), method });
      for (const ok of waiting.get(tabId) ?? []) ok();
      waiting.delete(tabId);
    },

    /** Whether the tab's failed load of `url` was a POST, once; its report is waited for up to `waitMs`. */
    async wasPost(tabId, url, waitMs = 0) {
      const target = withoutFragment(url);
      const deadline = Date.now() + waitMs;
      // (Another address's report, an earlier load's, is not this one's: waited past.)
      while (reports.get(tabId)?.url !== target && Date.now() < deadline) {
        const next = new Promise((ok) => waiting.set(tabId, [...(waiting.get(tabId) ?? []), () => ok(true)]));
        if (!(await within(next, deadline - Date.now()))) break;
      }
      const report = reports.get(tabId);
      if (report?.url !== target) return false;
      reports.delete(tabId);
      return report.method === 'POST';
    },

    forget(tabId) {
      reports.delete(tabId);
      waiting.delete(tabId);
    },
  };
}
