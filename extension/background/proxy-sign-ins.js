// The tab's load the browser asked its visitor to sign in to the proxy for: Firefox's webRequest
// onAuthRequired with `isProxy` (main frames only; it fires only on a 407 challenge, so a healthy
// page costs nothing, and a listener that does not block leaves the dialog to the browser). A
// visitor who cancels that dialog gets Firefox's "proxy server refusing connections" page, and
// its webRequest reports the load as NS_ERROR_PROXY_CONNECTION_REFUSED; the core tells that from
// a proxy that failed only by knowing that it asked (`proxy_sign_in`). A dialog may stay up longer
// than the background page lives, so the request's id is kept in `store` (storage.session), one
// per tab: the tab's next challenge replaces it, and the load it names is matched by its id.

const key = (tabId) => `proxySignIn:${tabId}`;

export function createProxySignIns({ store }) {
  return {
    /** webRequest's onAuthRequired, main frames only: a proxy's challenge is kept for its tab. */
    async heard({ tabId, requestId, isProxy }) {
      if (isProxy !== true || !(tabId >= 0) || requestId == null) return;
      await store.set({ [key(tabId)]: String(requestId) }).catch(() => {});
    },

    /** Whether the tab's load with this request id was asked for the proxy's sign-in. */
    async asked(tabId, requestId) {
      if (requestId == null) return false;
      const kept = await store.get(key(tabId)).catch(() => ({}));
      return kept?.[key(tabId)] === String(requestId);
    },

    forget(tabId) {
      return store.remove(key(tabId)).catch(() => {});
    },
  };
}
