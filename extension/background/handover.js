// A finished diagnosis handed to its panel before the panel asks, where the background is a page
// (Firefox's event page): through the extension origin's localStorage, which the panel's frame
// reads synchronously as its script starts, with no message's round trip. The key is a random
// one the page's content script put in the frame's address (its fragment, which no request
// carries) and sent with its first report; the page cannot read it (the frame is in a closed
// shadow root, and another origin), and a wrong key finds nothing. What is handed over is what
// the panel would be answered with (`panelInfo`), its address without query string or fragment.
// Each item lives until its panel takes it, asks instead, or reports its state, or its tab moves
// on or closes; a background that was stopped meanwhile removes what it left when it starts again.
// Never for a private window's tab: this storage is not private browsing's.
// Where the background is a service worker (Chromium), there is no localStorage: nothing is
// handed over and the panel asks (ui-bg-diagnosis), as everywhere when no item waits.

import { siteAndPath } from '../shared/addresses.js';
import { HANDOVER_PREFIX, isHandoverKey } from '../shared/handover.js';

export function createHandover(storage = globalThis.localStorage ?? null) {
  const given = new Map(); // tabId -> the key of its item not taken yet
  if (storage) {
    for (let i = storage.length - 1; i >= 0; i -= 1) {
      const key = storage.key(i);
      if (key?.startsWith(HANDOVER_PREFIX)) storage.removeItem(key);
    }
  }
  return {
    /** Hands `info` to the panel of `tabId` whose frame carries `key`, where it can. */
    give(tabId, key, info, { incognito = false } = {}) {
      this.drop(tabId);
      if (!storage || incognito || !isHandoverKey(key) || !info) return false;
      try {
        storage.setItem(HANDOVER_PREFIX + key, JSON.stringify({ ...info, url: siteAndPath(info.url) }));
      } catch {
        return false; // (storage full or refused: the panel asks)
      }
      given.set(tabId, key);
      return true;
    },

    /** The tab's item is no longer wanted (taken, asked for instead, or its tab gone). */
    drop(tabId) {
      const key = given.get(tabId);
      if (key === undefined) return;
      given.delete(tabId);
      storage.removeItem(HANDOVER_PREFIX + key);
    },
  };
}
