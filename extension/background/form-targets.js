// Forms sent into another tab (`target=_blank`, or a window of their own by name). The page that
// sends one tells its address (content/detect.js); the browser tells which tab it opened for it
// (webNavigation.onCreatedNavigationTarget). The two travel apart, so whichever comes second pairs
// them, and the new tab's page is a form's: if its answer never comes, it is never sent again by
// itself. Kept in memory for a few seconds; nothing stored.

import { withoutFragment } from '../shared/addresses.js';

/** `marked(tabId, url)`: the tab's page at `url` is a form's (failures.formSent). */
export function createFormTargets({ marked, now = Date.now, keepMs = 10_000 }) {
  const sent = []; // { source, url, at }: forms told, their tab not yet known
  const opened = []; // { source, tabId, url, at }: tabs opened by a page, their form not yet known
  const fresh = (list) => {
    for (let i = list.length - 1; i >= 0; i -= 1) if (now() - list[i].at > keepMs) list.splice(i, 1);
    return list;
  };
  /** Takes the first item of `list` that `match` accepts. */
  const take = (list, match) => {
    const i = fresh(list).findIndex(match);
    return i < 0 ? null : list.splice(i, 1)[0];
  };
  return {
    /** A page in tab `source` sends a form to `url` into another tab. */
    sent(source, url) {
      url = withoutFragment(url);
      const tab = take(opened, (o) => o.source === source && o.url === url);
      if (tab) return marked(tab.tabId, url);
      sent.push({ source, url, at: now() });
      return null;
    },

    /** webNavigation's onCreatedNavigationTarget: tab `source` opened `tabId` on `url`. */
    opened({ sourceTabId: source, tabId, url }) {
      url = withoutFragment(url ?? '');
      const form = take(sent, (s) => s.source === source && s.url === url);
      if (form) return marked(tabId, url);
      // Only while a form may still be told (a tab opened by a link has none): at most keepMs.
      opened.push({ source, tabId, url, at: now() });
      return null;
    },
  };
}
