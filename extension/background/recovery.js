// Loading failed tabs again: one tab (a retry, a hard reload, after clearing its site's data) or
// every tab of a site that answers again. Browser APIs and the failure records are parameters,
// so Node tests can run this with fakes.
import { addTried, offers } from './records.js';

export function createRecovery({ tabs, failures, showsOwnPage, setHostState, log = console.warn }) {
  /**
   * Loads the failed URL again in its tab: the overlay's page is reloaded; Page Medic's diagnosis
   * page is told to replace itself with the URL (so no extra history entry is left behind).
   * `ownPage`: whether the tab shows the diagnosis page, where the caller asked already.
   * A request that may not be made again without the visitor (a form's POST) is the browser's to
   * make: from the diagnosis page the tab goes back to its own entry, where the browser sends the
   * form again or asks first. Loading its address would only ask for it (a GET), no form sent.
   */
  async function reloadFailed(tabId, failure, { bypassCache = false, ownPage = null } = {}) {
    failure.retrying = true;
    addTried(failure, 'retry');
    await failures.save(tabId, failure);
    if (ownPage ?? (await showsOwnPage(tabId))) return failure.diagnosis?.repeatable ? { go: failure.url } : { back: true };
    await setHostState(tabId, { state: 'retrying', nextRetryMs: null });
    await tabs.reload(tabId, { bypassCache });
    return { reloaded: true };
  }

  /** Reloads a tab from outside it (the diagnosis page goes back to the failed address). */
  async function reloadTab(tabId, failure) {
    const result = await reloadFailed(tabId, failure);
    if (result.go) await tabs.update(tabId, { url: result.go });
    if (result.back) await tabs.goBack(tabId);
  }

  return {
    reloadFailed,

    /**
     * The site answered a check: every other tab that failed on it with a repeatable request
     * (and whose retry the visitor did not cancel) loads again too, hidden ones included, so no
     * tab is left on an error that is over.
     */
    async recoverSite(url, exceptTabId = null) {
      const origin = new URL(url).origin;
      for (const [tabId, failure] of await failures.all()) {
        if (tabId === exceptTabId || failure.cancelled || failure.retrying || !failure.diagnosis?.repeatable) continue;
        if (new URL(failure.url).origin !== origin) continue;
        try {
          await reloadTab(tabId, failure);
        } catch (error) {
          log('Page Medic: could not reload a tab of a site that is back', error); // closed meanwhile
        }
      }
    },

    /**
     * Retries a failed tab from outside it (the popup, Page Medic's own windows), where the core
     * offers a retry (never the browser's own security warning). `tried` names what the visitor
     * did first.
     */
    async retryTab(tabId, tried = null) {
      const failure = Number.isInteger(tabId) ? await failures.load(tabId) : null;
      if (!offers(failure, 'retry')) return false;
      if (tried) addTried(failure, tried);
      await reloadTab(tabId, failure);
      return true;
    },

    /** The site's data was cleared (`result`): the tab loads again, past the cache. */
    async afterClearing(tabId, failure, what, result) {
      addTried(failure, what === 'all' ? 'clear-site-data' : 'clear-cache');
      await failures.save(tabId, failure);
      if (!result.cleared.length) return result;
      return { ...result, ...(await reloadFailed(tabId, failure, { bypassCache: true })) };
    },
  };
}
