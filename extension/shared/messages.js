// Every message type between Page Medic's parts. The prefix says who sends it to whom: `cs-bg-`
// a failed page's content script (content/detect.js, a classic script that spells these out; a
// test keeps it in step), `bg-cs-` back to it, `ui-bg-` Page Medic's pages in a tab, `popup-bg-`
// the toolbar popup. background/router.js decides who may send which.
export const MSG = Object.freeze({
  /** A main frame answered with an error status (document_start): may it get help? */
  csFailed: 'cs-bg-failed',
  /** The page is sending a form by POST (its address): never sent again by Page Medic. */
  csForm: 'cs-bg-form',
  /** The failed page, parsed: diagnose it. */
  csDiagnose: 'cs-bg-diagnose',
  /** The panel's frame in the page runs nothing (the site sandboxes the page): help elsewhere. */
  csUnframed: 'cs-bg-unframed',
  /** The retry state, for the overlay host's data-* attributes. */
  bgState: 'bg-cs-state',
  /** Take the overlay away. */
  bgClose: 'bg-cs-close',
  /** The panel asks for its tab's diagnosis. */
  uiDiagnosis: 'ui-bg-diagnosis',
  /** The panel's countdown ended. */
  uiDue: 'ui-bg-due',
  /** The visitor pressed Retry. */
  uiRetry: 'ui-bg-retry',
  /** "Is it just me?" */
  uiJustMe: 'ui-bg-just-me',
  /** "Check the site's status page" */
  uiStatusPage: 'ui-bg-status-page',
  /** Clear this site's data. */
  uiClear: 'ui-bg-clear',
  /** "Tell me when it's back" */
  uiWatch: 'ui-bg-watch',
  /** A permission was allowed in Page Medic's own window. */
  uiGranted: 'ui-bg-granted',
  /** List the extensions that can change this site. */
  uiExtensions: 'ui-bg-extensions',
  /** The visitor paused an extension from that list. */
  uiPaused: 'ui-bg-paused',
  /** Retry a tab from Page Medic's own window. */
  uiRetryTab: 'ui-bg-retry-tab',
  /** Reload past the cache. */
  uiHardReload: 'ui-bg-hard-reload',
  /** The report for the site's support. */
  uiReport: 'ui-bg-report',
  /** The visitor cancelled the automatic retry. */
  uiCancel: 'ui-bg-cancel',
  /** The panel's retry state, to mirror on the overlay host. */
  uiState: 'ui-bg-state',
  /** The visitor dismissed the overlay. */
  uiDismiss: 'ui-bg-dismiss',
  /** The toolbar popup asks about its tab. */
  popupStatus: 'popup-bg-status',
  /** The toolbar popup's Retry. */
  popupRetry: 'popup-bg-retry',
  /** The toolbar popup's "Check the site's status page". */
  popupStatusPage: 'popup-bg-status-page',
  /** The toolbar popup's list of the extensions that can change the site. */
  popupExtensions: 'popup-bg-extensions',
});
