// Clearing one site's data (the optional browsingData permission), never the whole browser's.

/** What each choice clears: 'cache' keeps the visitor signed in; 'all' adds cookies and storage. */
export const CLEARED = Object.freeze({
  cache: ['cache'],
  all: ['cache', 'cookies', 'localStorage', 'indexedDB', 'serviceWorkers', 'cacheStorage'],
});

/**
 * Clears `what` of `url`'s site. Chrome filters by origin (cookies widen to the registrable
 * domain); Firefox by host name. A type the browser cannot limit to one site is reported, not
 * cleared. `browsingData` is the API (a parameter, so Node tests can pass a fake).
 */
export async function clearSiteData(browsingData, browser, url, what) {
  const { origin, hostname } = new URL(url);
  const filter = browser === 'firefox' ? { hostnames: [hostname] } : { origins: [origin] };
  const cleared = [];
  const notCleared = [];
  for (const type of CLEARED[what] ?? []) {
    try {
      await browsingData.remove(filter, { [type]: true });
      cleared.push(type);
    } catch {
      notCleared.push(type);
    }
  }
  return { cleared, notCleared };
}
