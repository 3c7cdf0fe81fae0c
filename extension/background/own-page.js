// Whether a tab shows one of Page Medic's own pages (the diagnosis page) in its top frame.
// runtime.getContexts says so in both browsers. A tab's `url` does not everywhere: Chromium 148
// gives an extension without the `tabs` permission no URL (null) even for its own pages, where
// later versions give it. `runtime` and `tabs` are parameters, so Node tests can run this with fakes.

export function createOwnPage({ runtime, tabs, origin }) {
  return async function showsOwnPage(tabId) {
    if (typeof runtime.getContexts === 'function') {
      const contexts = await runtime.getContexts({ contextTypes: ['TAB'], tabIds: [tabId], frameIds: [0] });
      return contexts.some((c) => c.documentUrl?.startsWith(origin));
    }
    return Boolean((await tabs.get(tabId)).url?.startsWith(origin));
  };
}
