// Work that can wait until a failed tab's panel is on screen: the incident history's write
// (storage.local). In Firefox, writing while the panel loads delayed it: not on one thread (a
// profile puts the panel in its page's process, the background in the extension's), but for the
// machine's cores and the parent process (docs/performance-notes.md). Each tab's is done when its
// panel reports its first state (`release`), or `withinMs` after it was held, whichever comes first.
// (The failure's own record is not held: it is written at once, so a stopped background keeps it,
// and with it the history line it had held: history.js.) The timer functions are the platform's
// unless given (tests give their own clock).

export function createAfterPanel({ withinMs = 1000, log = console.warn, setTimer = setTimeout, clearTimer = clearTimeout } = {}) {
  const held = new Map(); // tabId -> { timer, work }
  return {
    /** Holds `work` (a function) for the tab's panel; work already held for the tab is done now. */
    hold(tabId, work) {
      this.release(tabId);
      const timer = setTimer(() => this.release(tabId), withinMs);
      held.set(tabId, { timer, work });
    },

    /** The tab's panel is on screen: its held work is done now, once. Resolves when it is done. */
    async release(tabId) {
      const entry = held.get(tabId);
      if (!entry) return;
      held.delete(tabId);
      clearTimer(entry.timer);
      try {
        await entry.work();
      } catch (error) {
        log('Page Medic: held work failed', error);
      }
    },
  };
}
