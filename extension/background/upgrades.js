// Addresses the browser itself upgraded to https on the way (its HTTPS-Only mode, HSTS), where it
// tells Page Medic: Firefox's webRequest, main frames only, reports such an upgrade as a redirect
// with no response (status 0) from an http:// address to the same https:// one; a site's own
// redirect comes with its response's status. The core is told (the event's `upgraded`): where
// HTTPS-Only's page offers the http site, that page is the browser's to show.
//
// webRequest and webNavigation report apart, so the redirect's report may come after the https
// address's failure. webNavigation tells first that a redirect is on its way (the http load ends
// as aborted), and then the answer waits for the report, up to `waitMs`.
// Kept in memory, one per tab, until the tab commits another address, its next redirect, or its
// end; nothing stored.

import { withoutFragment } from '../shared/addresses.js';
import { within } from './failures.js';

/** The same address over https, for an http:// one (else null). */
const secure = (url) => (/^http:/i.test(url ?? '') ? `https:${withoutFragment(url).slice(5)}` : null);

export function createUpgrades() {
  const redirects = new Map(); // tabId -> { to, browsers: whether the browser made it }
  const expected = new Map(); // tabId -> { to, arrived: Promise, ok: call when a report comes }
  return {
    /** webRequest's onBeforeRedirect, main frames only. */
    heard({ tabId, url, redirectUrl, statusCode }) {
      redirects.set(tabId, { to: redirectUrl, browsers: !(statusCode > 0) && redirectUrl === secure(url) });
      expected.get(tabId)?.ok();
      expected.delete(tabId);
    },

    /** webNavigation's onErrorOccurred: a main frame's http:// load that ended may have been redirected. */
    ended({ tabId, frameId, url }) {
      const to = frameId === 0 ? secure(url) : null;
      if (!to || redirects.get(tabId)?.to === to) return;
      let ok;
      const arrived = new Promise((done) => { ok = done; });
      expected.set(tabId, { to, arrived, ok });
    },

    /** Whether the browser upgraded the tab's load to `url` (an https:// address) on the way. */
    async upgradedTo(tabId, url, waitMs = 0) {
      const target = withoutFragment(url);
      const waiting = expected.get(tabId);
      if (waiting?.to === target && redirects.get(tabId)?.to !== target) await within(waiting.arrived, waitMs);
      const redirect = redirects.get(tabId);
      return redirect?.to === target && redirect.browsers;
    },

    /** The tab committed `url`: an upgrade to another address speaks no more for it. */
    committed(tabId, url) {
      if (redirects.size && redirects.get(tabId)?.to !== withoutFragment(url)) redirects.delete(tabId);
    },

    forget(tabId) {
      redirects.delete(tabId);
      expected.get(tabId)?.ok();
      expected.delete(tabId);
    },
  };
}
