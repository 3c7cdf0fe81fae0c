// The toolbar button's mark on a tab whose failure Page Medic explains only from its popup: the
// core asked for help and kept the browser's own page (a security warning, a block page, the
// visitor's choice), so the popup is the one place that help is; the mark says it is there. Set
// for that tab alone: both browsers drop a tab's own badge and title as the tab loads another
// page (https.test.js checks it), so nothing needs taking off, and nothing is kept that a
// stopped service worker could lose. `action`: the browser's `action` API; `title`: the button's
// words while marked.
export function createPopupMark({ action, title }) {
  // A tab closed meanwhile (or a browser that refuses an argument, even at once) is no error.
  const quietly = async (call) => { try { await call(); } catch { /* nothing to mark */ } };
  return {
    /** Marks the tab's button. */
    async mark(tabId) {
      await Promise.all([
        quietly(() => action.setBadgeText({ tabId, text: '?' })),
        quietly(() => action.setTitle({ tabId, title: title() })),
      ]);
    },
  };
}
