// The panel's controls, one row for each of the core's actions (the core's `Action`). The core
// decides which actions a failure gets and in which order, the first being the primary one; the
// panel shows them through this table and nothing else. A row names its control, its words (a
// `_locales` key), for a control that acts, the panel's handler it runs, and for one the core may
// have opened (after "is it just me?"), what opens it; `ownPress` marks a button the browser lets
// work only within the visitor's own press (a permission, the clipboard), which a key that the
// page's content script passed on is not. Adding an action:
// a row in the core's table, a row here, a handler, and its words in every locale.
export const ACTIONS = Object.freeze({
  retry: { control: 'button', label: 'action_retry_now', resendLabel: 'action_resend', run: 'retryNow' },
  'clear-site-data': { control: 'button', label: 'action_clear_open', run: 'openClear', open: 'openClear' },
  'hard-reload': { control: 'button', label: 'action_hard_reload', run: 'hardReload' },
  'just-me': { control: 'button', label: 'action_just_me', run: 'justMe' },
  'status-page': { control: 'button', label: 'action_status_page', run: 'checkStatusPage' },
  'notify-when-back': { control: 'button', label: 'action_notify', run: 'watchSite', ownPress: true },
  // The list of extensions that can change this site, behind a button of its own.
  'check-extensions': { control: 'section', label: 'action_check_extensions', run: 'checkExtensions', open: 'showExtensions' },
  'check-proxy': { control: 'hint', label: 'hint_check_proxy' },
  'check-connection': { control: 'hint', label: 'hint_check_connection' },
  'report-to-site': { control: 'button', label: 'action_copy_report', run: 'copyReport', ownPress: true },
  'saved-copy': { control: 'link', label: 'action_saved_copy' },
});
