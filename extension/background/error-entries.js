// Where the browser tells of a failed load before its error page takes the tab's history entry
// (Firefox: webNavigation.onErrorOccurred, then the error page's onCommitted some tens of ms
// later; Chromium commits its error page first), a page sent into the tab before that commit
// takes the failed load's place: Back from it then skips the failed load, and a form's "Send the
// form again" (Back to the form's own entry) lands on the form's page, with nothing sent.
// So Page Medic's page waits for the tab's next commit, up to a limit.
// Kept in memory, one per tab, until the tab commits (whatever address) or closes.

import { withoutFragment } from '../shared/addresses.js';
import { within, deferred } from './failures.js';

export function createErrorEntries() {
  const pending = new Map(); // tabId -> { url, promise, resolve }
  return {
    /** webNavigation's onErrorOccurred: a main frame's failed load, whose error page comes next. */
    failed({ tabId, frameId, url }) {
      if (frameId !== 0 || pending.get(tabId)?.url === withoutFragment(url)) return;
      pending.get(tabId)?.resolve();
      pending.set(tabId, { url: withoutFragment(url), ...deferred() });
    },

    /** webNavigation's onCommitted, main frame: the error page, or whatever the tab went to. */
    committed(tabId) {
      if (!pending.size) return; // (a healthy page's commit: nothing more)
      pending.get(tabId)?.resolve();
      pending.delete(tabId);
    },

    /** Once the tab's failed load of `url` has its entry (or `waitMs` passed). */
    async entered(tabId, url, waitMs) {
      const entry = pending.get(tabId);
      if (entry?.url === withoutFragment(url)) await within(entry.promise, waitMs);
    },

    forget(tabId) {
      pending.get(tabId)?.resolve();
      pending.delete(tabId);
    },
  };
}
