// Page Medic's background: watches main-frame loads, asks the core, and carries out what it says.
//
// A failed page is reported by its own content script (content/detect.js, which reads the page's
// HTTP status), a network error by webNavigation. No webRequest in Chromium, where its mere
// holding slows every request of every page; Firefox, where it does not, gives a failed page's
// head through it (heads.js). The service worker can be stopped at any
// moment: what a failed tab needs (its failure record, its origin's retry schedule) is in
// storage.session, and countdowns run in the page's panel, which wakes the worker when one ends.
import { webext } from '../shared/webext.js';
import {
  afterJustMe, diagnoseEvent, leavesAlone, mayHelp, nextRetry, nextWatchCheck, reportText, sharingRules, statusLevel, warmUp,
} from './core.js';
import { readStatusPage } from './status-page.js';
import { eventFromPage, headOf, reportOf } from './events.js';
import { createScheduler } from './scheduler.js';
import { createFormTargets } from './form-targets.js';
import { createFailedRequests } from './failed-requests.js';
import { createProxySignIns } from './proxy-sign-ins.js';
import { createWatcher } from './watch.js';
import { createFailures, within } from './failures.js';
import { createHistory } from './history.js';
import { createHeads } from './heads.js';
import { createUpgrades } from './upgrades.js';
import { createErrorEntries } from './error-entries.js';
import { createAfterPanel } from './after-panel.js';
import { createHandover } from './handover.js';
import { diagnoseAsking } from './ask-site.js';
import { guarded } from './guard.js';
import { createRouter } from './router.js';
import { addTried, cameBack, newFailure, offers, panelInfo, stateOf } from './records.js';
import { createRecovery } from './recovery.js';
import { clearSiteData } from './site-data.js';
import { createSettings } from './settings.js';
import { createPermissionWindow } from './permission-window.js';
import { createErrorPages } from './error-pages.js';
import { createOwnPage } from './own-page.js';
import { incidentsFor, recentFailures } from '../shared/incidents.js';
import { canBlock } from '../shared/extensions.js';
import { createPopupMark } from './popup-mark.js';
import { MSG } from '../shared/messages.js';

const BROWSER = typeof globalThis.browser?.runtime?.getBrowserInfo === 'function' ? 'firefox' : 'chrome';
const URLS = ['http://*/*', 'https://*/*'];
const EXTENSION_ORIGIN = webext.runtime.getURL('');
const DIAGNOSIS_PAGE = webext.runtime.getURL('panel/panel.html');

const session = webext.storage.session;
// When this background started: one stopped and started again shows a later time (the eviction
// test reads it to confirm the stop happened).
session.set({ startedAt: Date.now() }).catch(() => {});
const failures = createFailures({ store: session, ownOrigin: EXTENSION_ORIGIN });
const afterPanel = createAfterPanel();
// The incident history: a line a stopped background left unwritten is written as this one starts.
const history = createHistory({ local: webext.storage.local, failures, afterPanel });
history.resume();
const handover = createHandover();
const loadFailure = (tabId) => failures.load(tabId);
const saveFailure = (tabId, failure) => failures.save(tabId, failure);
const isHttp = (url) => /^https?:/i.test(url ?? '');
const showsOwnPage = createOwnPage({ runtime: webext.runtime, tabs: webext.tabs, origin: EXTENSION_ORIGIN });

/** The visitor's settings (storage.sync), kept current; read again after a worker restart. */
const settings = createSettings({ sync: webext.storage.sync, onChanged: webext.storage.onChanged });
settings.choices();

const scheduler = createScheduler({
  store: session,
  fetchImpl: (...args) => fetch(...args),
  diagnose: (event) => diagnoseSafely({ ...event, browser: BROWSER }),
  nextRetry: async (...args) => nextRetry(...args, await settings.choices()),
  sharing: sharingRules,
});

const watcher = createWatcher({
  store: session,
  alarms: webext.alarms,
  // Granted at the visitor's request: the API is looked up when used.
  notifications: {
    create: (id, options) => webext.notifications.create(id, options),
    clear: (id) => webext.notifications.clear(id),
  },
  scheduler,
  nextCheck: nextWatchCheck,
  openTab: (url) => webext.tabs.create({ url }),
  onBack: (url) => recoverSite(url),
  text: (key, substitutions) => webext.i18n.getMessage(key, substitutions),
  iconUrl: webext.runtime.getURL('icons/icon-128.png'),
});
webext.alarms.onAlarm.addListener(({ name }) => watcher.onAlarm(name));

/** Notification events exist once the visitor has allowed notifications (an optional permission). */
let notificationsHeard = false;
function hearNotifications() {
  if (notificationsHeard || !webext.notifications) return;
  notificationsHeard = true;
  webext.notifications.onClicked.addListener((id) => watcher.onClicked(id));
}
hearNotifications();
webext.permissions.onAdded.addListener(hearNotifications);

/** The core, guarded: a core failure gives a generic diagnosis and a log line, never nothing. */
const diagnoseSafely = guarded(async (event) => diagnoseEvent(event, await settings.choices()));

// --- what the browser reports ----------------------------------------------------------------

// A failed page's own content script (content/detect.js) reports it twice: as soon as the page's
// status is known (document_start: MSG.csFailed), and with the parsed page (MSG.csDiagnose).
// In between, the failed address is fetched once for its headers (the gateway, the request id,
// Retry-After), which the page itself cannot read; a form submission is never sent again.

/**
 * How long a failed page's first report waits for the browser's report of its head, where the
 * browser gives it: the two travel apart, and Firefox 140's came up to 90 ms after the page's in
 * the e2e runs. (A page its site's service worker made has no head to wait for: it then sends its
 * own, read from the cache, as in browsers that give none.)
 */
const HEAD_WAIT_MS = 300;

/** How long the diagnosis waits for the headers' fetch (a gateway that hangs must not hold help up). */
const LOOK_WAIT_MS = 1500;

/**
 * How many other enabled extensions could block pages of the failed site, or null where Page
 * Medic may not look (the optional `management` permission): Chromium's Safe Browsing warning
 * reports the same error as an extension's block, and only this tells them apart.
 */
async function blockersOf(url) {
  if (!(await webext.permissions.contains({ permissions: ['management'] }).catch(() => false))) return null;
  const host = new URL(url).hostname;
  const all = await webext.management.getAll().catch(() => null);
  return all && all.filter((e) => e.enabled && e.id !== webext.runtime.id && e.type === 'extension' && canBlock(e, host)).length;
}

/**
 * A failed page's diagnosis starts (its first report): its site's retry schedule is read while
 * the page is still being parsed. Nothing is asked of the site: the page sends its own response
 * head, read from the browser's cache (a look only where the core asks for one).
 */
function startDiagnosis(tabId, url, status, form, key) {
  scheduler.prefetch(url);
  return failures.begin(tabId, {
    url, status, at: Date.now(), form,
    // The key of the panel's frame, for the diagnosis handed to it as it ends (handover.js).
    key,
    // The page's own head, where the browser gives it to Page Medic as it arrives (Firefox).
    head: webext.webRequest ? heads.take(tabId, url, HEAD_WAIT_MS) : null,
    // The tab's earlier record (what was tried, on a retry), read meanwhile too, and this
    // browser's recent failures (a provider's own trouble shows across sites).
    previous: loadFailure(tabId),
    recent: recentFailures(webext.storage.local, Date.now()),
  });
}


/**
 * A failed page reported itself: its diagnosis starts if the visitor's settings let a page with
 * this status get help at all; null if not.
 */
async function startIfHelped(tabId, url, status, key = null) {
  const choices = await settings.choices();
  if (!Number.isInteger(status) || (await leavesAlone(url, choices).catch(() => false))) return null;
  // Without a core (one that would not start), the visitor's own statuses.
  const helped = await mayHelp(status, choices).catch(() => choices.statuses.includes(status));
  return helped ? startDiagnosis(tabId, url, status, await failures.isForm(tabId, url), key) : null;
}

// Where Page Medic may see responses (Firefox: webRequest, main frames only), a failed page's head
// is kept as it arrives: its diagnosis need not wait for the page to read it back from the cache.
const heads = createHeads();
webext.webRequest?.onHeadersReceived.addListener((details) => heads.heard(details), { urls: URLS, types: ['main_frame'] }, ['responseHeaders']);
// And where the browser itself upgraded a page's address to https (HTTPS-Only mode, HSTS): told
// by webRequest, which reports apart from webNavigation (so its report is waited for a moment).
const upgrades = createUpgrades();
const UPGRADE_WAIT_MS = 1000;
if (webext.webRequest) {
  webext.webRequest.onBeforeRedirect.addListener((details) => upgrades.heard(details), { urls: URLS, types: ['main_frame'] });
  webext.webNavigation.onErrorOccurred.addListener((details) => upgrades.ended(details));
}

// Where the browser tells of a failure before its error page takes the tab's history entry
// (Firefox), Page Medic's page waits for that entry: see error-entries.js.
const errorEntries = createErrorEntries();
const ENTRY_WAIT_MS = 1500;
if (BROWSER === 'firefox') webext.webNavigation.onErrorOccurred.addListener((details) => errorEntries.failed(details));

// A page committed: a form's (webNavigation's transitionType 'form_submit', in both browsers), or
// the tab moved on from its failure. No storage is read for a healthy page's navigation.
webext.webNavigation.onCommitted.addListener(({ tabId, frameId, url, transitionType }) => {
  if (frameId !== 0) return;
  handover.drop(tabId); // (a page's own commit comes before its diagnosis: this is the last page's)
  upgrades.committed(tabId, url);
  errorEntries.committed(tabId);
  failures.committed(tabId, url, transitionType === 'form_submit');
});

// A form sent into a tab the browser opens for it: that tab's page is a form's.
const formTargets = createFormTargets({ marked: (tabId, url) => failures.formSent(tabId, url) });
webext.webNavigation.onCreatedNavigationTarget.addListener((details) => formTargets.opened(details));
// Where the browser tells a failed load's method (Firefox), a POST that never got its answer is a
// form's, whatever sent it; its report is waited for up to this long.
// (And whether the browser had asked its visitor to sign in to the proxy for that load: a cancelled
// sign-in ends as the proxy's refusal.)
const proxySignIns = createProxySignIns({ store: session });
// (Firefox's onAuthRequired wants its options list, even an empty one: without it, no report.)
webext.webRequest?.onAuthRequired.addListener((details) => proxySignIns.heard(details), { urls: URLS, types: ['main_frame'] }, []);
const failedRequests = createFailedRequests({ signInAsked: proxySignIns.asked });
webext.webRequest?.onErrorOccurred.addListener((details) => failedRequests.heard(details), { urls: URLS, types: ['main_frame'] });
const METHOD_WAIT_MS = 300;

/** Whether the tab's failed load of `url` was a form's (told by its page, or by the browser). */
async function failedForm(tabId, url) {
  if (await failures.isForm(tabId, url)) return true;
  if (!webext.webRequest || !(await failedRequests.wasPost(tabId, url, METHOD_WAIT_MS))) return false;
  // (Marked as the page's own would be: "Send the form again" and a reload of it are forms too.)
  await failures.formSent(tabId, url);
  return true;
}

// The toolbar button's mark where the popup alone explains a failure (the browser's page kept).
const popupMark = createPopupMark({ action: webext.action, title: () => webext.i18n.getMessage('popup_mark_title') });

webext.webNavigation.onErrorOccurred.addListener(createErrorPages({
  upgradedTo: (tabId, url) => upgrades.upgradedTo(tabId, url, UPGRADE_WAIT_MS),
  leavesAlone: async (url) => leavesAlone(url, await settings.choices()).catch(() => false),
  isForm: failedForm,
  toldOf: (tabId, url, error, timeStamp) => failedRequests.toldOf(tabId, url, error, timeStamp, METHOD_WAIT_MS),
  blockersOf,
  facts: () => ({ online: navigator.onLine, browser: BROWSER, now: Date.now(), jitter: Math.random() }),
  diagnose: (event) => diagnoseSafely(event),
  look: (url) => scheduler.look(url),
  lookWaitMs: LOOK_WAIT_MS,
  failures,
  record: history.now,
  showDiagnosisPage,
  markKept: (tabId) => popupMark.mark(tabId),
}));

/**
 * Page Medic's own page in the tab, in place of the failed page of `url`, once that page has its
 * entry in the tab's history (so Back leads to it, and a form's entry is where Back sends it again).
 */
async function showDiagnosisPage(tabId, url) {
  await errorEntries.entered(tabId, url, ENTRY_WAIT_MS);
  return webext.tabs.update(tabId, { url: DIAGNOSIS_PAGE });
}

webext.tabs.onRemoved.addListener((tabId) => {
  heads.forget(tabId);
  upgrades.forget(tabId);
  errorEntries.forget(tabId);
  failedRequests.forget(tabId);
  if (webext.webRequest) proxySignIns.forget(tabId);
  handover.drop(tabId);
  failures.forget(tabId);
});

// --- what Page Medic does ---------------------------------------------------------------------

async function setHostState(tabId, state) {
  await webext.tabs.sendMessage(tabId, { type: MSG.bgState, state }, { frameId: 0 }).catch(() => {});
}

const recovery = createRecovery({
  tabs: webext.tabs, failures, showsOwnPage, setHostState,
});
const { reloadFailed, recoverSite, retryTab } = recovery;

/** Clears the failed site's data and loads its tab again. */
async function clearAndReload(tabId, failure, what) {
  const result = await clearSiteData(webext.browsingData, BROWSER, failure.url, what);
  return recovery.afterClearing(tabId, failure, what, result);
}

async function scheduleFor(failure) {
  return failure.diagnosis.retry?.auto && !failure.cancelled ? scheduler.join(failure.url, failure.diagnosis) : null;
}

/** What the visitor asked for, waiting on a permission asked for in Page Medic's own window. */
const permissionWindow = createPermissionWindow({
  store: session, windows: webext.windows, permissions: webext.permissions, pageUrl: (path) => webext.runtime.getURL(path),
});
const askInWindow = (permission, tabId, failure, extra) => permissionWindow.ask(permission, tabId, failure.url, extra);

/** Starts watching a failed tab's site for the visitor ("tell me when it's back"). */
async function watchFailed(tabId, failure) {
  addTried(failure, 'notify-when-back');
  await saveFailure(tabId, failure);
  return watcher.start(failure.url, failure.diagnosis);
}

/**
 * A check found a site answering after failures: a second check at `at` confirms it is back before
 * its other tabs load again. (A stopped worker forgets this; the tabs' own countdowns then ask.)
 */
function confirmLater(url, at) {
  setTimeout(async () => {
    const step = await scheduler.due(url).catch(() => null);
    if (step?.confirmed) await recoverSite(url, null).catch(() => {});
  }, Math.max(0, (at ?? Date.now()) - Date.now()));
}

/**
 * "Check the site's status page" for the failure in `tabId`: the site's own status page, where
 * the core found one to ask (never before the click, never another site's).
 */
async function checkStatusPage(tabId) {
  const failure = await loadFailure(tabId);
  const where = failure?.diagnosis?.status_page;
  if (!offers(failure, 'status-page') || !Array.isArray(where) || where.length !== 2) return null;
  const result = await readStatusPage(where, { fetchImpl: fetch, level: statusLevel });
  addTried(failure, 'status-page');
  await saveFailure(tabId, failure);
  return result;
}

/**
 * Messages by type. `cs-` come from the overlay host in a failed page's main frame; `ui-` from
 * Page Medic's panel (an extension page) in that tab. Nothing else is accepted.
 */
const handlers = {
  /** A main frame's page answered with an error status (document_start): may it get help? */
  async [MSG.csFailed](message, sender) {
    const entry = await startIfHelped(sender.tab.id, sender.url, Number(message.status), message.key);
    if (!entry) return { help: false };
    warmUp();
    // `head`: the background has the page's head already; the page need not send its own.
    return { help: true, head: Boolean(await entry.head) };
  },

  /**
   * The page is sending a form by POST: its address, whatever answers (or fails) next, is a form's,
   * in this tab or (`elsewhere`) in the tab the browser opens for it. Or by GET, in this tab: its
   * answer is not a form's, though the browser says `form_submit` of it too.
   */
  async [MSG.csForm](message, sender) {
    if (!isHttp(message.url)) return {};
    if (message.method === 'get') failures.getSent(sender.tab.id, message.url);
    else if (message.elsewhere) await formTargets.sent(sender.tab.id, message.url);
    else await failures.formSent(sender.tab.id, message.url);
    return {};
  },

  /** The failed page, parsed: the core's diagnosis, and the failure record the panel shows. */
  async [MSG.csDiagnose](message, sender) {
    const tabId = sender.tab.id;
    const status = Number(message.status);
    let entry = failures.underway(tabId);
    if (entry?.url !== sender.url || entry.status !== status) {
      // The worker was stopped since the page's first report: start over.
      entry = await startIfHelped(tabId, sender.url, status);
      if (!entry) return { verdict: 'none' };
    }
    let info = null;
    let done = null;
    let saved = null;
    let inTab = false;
    try {
      // The head the browser gave as the page arrived; else the page's, read from the cache (a
      // form's answer is not the cache's entry for its address).
      const told = await entry.head;
      const fromBrowser = headOf(told);
      // The browser's word on the failed load's method (Firefox) outweighs its form_submit mark: a
      // GET's answer (a search box's sent into a new tab, a form's answer redirected to a page of
      // its own) may be asked for again, as any page.
      if (entry.form && told?.method === 'GET') {
        entry.form = false;
        await failures.notForm(tabId, entry.url);
      }
      const head = fromBrowser ?? (entry.form ? null : headOf(message.head));
      const facts = {
        body: message.body, refresh: message.refresh, online: message.online, browser: BROWSER, jitter: Math.random(), recent: await entry.recent,
        // (Only the browser says whether its proxy answered: Firefox's webRequest, heads.js.)
        viaProxy: Boolean(fromBrowser) && told.viaProxy === true,
      };
      // No head to read back (`no-store`) and a body that names no one: where the core asks, one
      // look at the address, and the core diagnoses again with its headers.
      const { event, diagnosis } = await diagnoseAsking(eventFromPage(entry, head, facts), {
        url: entry.url, form: entry.form, diagnose: diagnoseSafely, look: (url) => scheduler.look(url), lookWaitMs: LOOK_WAIT_MS,
        withAnswer: (answer) => (answer.status === entry.status ? eventFromPage(entry, answer, facts) : null),
      });
      if (!diagnosis.help) return { verdict: 'none' };
      const previous = await entry.previous;
      const failure = newFailure(entry.url, event, diagnosis, previous);
      // A page that cannot hold the panel's frame (its site sandboxes it): Page Medic's own page
      // takes its place in the tab, where the core lets it (not after Back from that page). Kept
      // with the record for a frame found blank later (`cs-bg-unframed`).
      failure.mayTakeTab = diagnosis.replace_error_page && !cameBack(previous, entry.url);
      inTab = message.framable === false && failure.mayTakeTab;
      if (inTab) failure.shownDiagnosisPage = true;
      saved = saveFailure(tabId, failure);
      done = { failure, schedule: await scheduleFor(failure) };
      info = panelInfo(done.failure, done.schedule);
      // Where it can (Firefox), the panel over the page finds it as its script starts, without
      // asking (Page Medic's own page in the tab asks).
      if (!inTab) handover.give(tabId, entry.key, info, sender.tab);
      // The history, once the panel is on screen (or within a second).
      history.afterPanel(tabId, failure);
    } finally {
      // The panel may already be waiting for this (it loads while the page is parsed), or ask
      // soon: it is answered from memory, the record written meanwhile.
      failures.end(tabId, entry, info, done);
    }
    await saved;
    if (inTab) await showDiagnosisPage(tabId);
    return { ...info.diagnosis, state: info.state };
  },

  /**
   * The panel's frame loaded over the failed page and runs nothing (its site sandboxes the page
   * without scripts): Page Medic's own page in the tab, where the core lets it, as above.
   */
  async [MSG.csUnframed](message, sender) {
    const tabId = sender.tab.id;
    const failure = await loadFailure(tabId);
    if (failure?.url !== sender.url || !failure.mayTakeTab) return { inTab: false };
    failure.shownDiagnosisPage = true;
    await saveFailure(tabId, failure);
    await showDiagnosisPage(tabId);
    return { inTab: true };
  },

  async [MSG.uiDiagnosis](message, sender) {
    const tabId = sender.tab.id;
    handover.drop(tabId); // (the panel asks instead)
    let entry = failures.underway(tabId);
    // Usually the diagnosis finished while the panel loaded: answered from memory.
    const done = entry ? null : failures.finished(tabId, sender.tab.url);
    if (done) return panelInfo(done.failure, done.schedule);
    // The overlay's panel starts loading as the page arrives, and may ask before the page's
    // first report is in.
    if (!entry && sender.frameId !== 0 && (await loadFailure(tabId))?.url !== sender.tab.url) {
      entry = await failures.arrival(tabId, 2_000);
    }
    const info = entry ? await within(entry.ready.promise, LOOK_WAIT_MS + 15_000) : null;
    if (info) return info;
    const failure = await loadFailure(tabId);
    return failure ? panelInfo(failure, await scheduleFor(failure)) : null;
  },

  /** The panel's countdown ended: check the site first, and load the page only if it answers. */
  async [MSG.uiDue](message, sender) {
    const tabId = sender.tab.id;
    const failure = await loadFailure(tabId);
    if (!failure || failure.cancelled) return { auto: false, reason: 'cancelled' };
    const step = await scheduler.due(failure.url);
    if (step.answered) {
      // Another tab's check already had this one reloaded (recoverSite): once is enough.
      if ((await loadFailure(tabId))?.retrying) return { answered: true };
      const result = { answered: true, ...(await reloadFailed(tabId, failure)) };
      // The site's other tabs load again once a second check confirms it is back, not flapping.
      if (step.confirmed) await recoverSite(failure.url, tabId);
      else confirmLater(failure.url, step.confirmAt);
      return result;
    }
    // Its check (or another tab's, just before) found the site still failing.
    return { ...stateOf(failure, step), stillFailing: true };
  },

  /**
   * The visitor asked to retry now. Over a failed page: reload it. On the diagnosis page: check
   * first, and go back to the URL only if the site answers (a failed load would only stack
   * another error entry into the tab's history).
   */
  async [MSG.uiRetry](message, sender) {
    const tabId = sender.tab.id;
    const failure = await loadFailure(tabId);
    if (!failure) return null;
    if (!(await showsOwnPage(tabId))) return reloadFailed(tabId, failure, { ownPage: false });
    // A form's address is not asked for first: a check would only GET it.
    if (!failure.diagnosis?.repeatable) return reloadFailed(tabId, failure, { ownPage: true });
    addTried(failure, 'retry');
    await saveFailure(tabId, failure);
    const result = await scheduler.check(failure.url);
    return result.answered ? reloadFailed(tabId, failure, { ownPage: true }) : { stillFailing: true };
  },

  /**
   * "Is it just me?": the same URL without this browser's cookies and cache (where the core
   * offers it: never for a form). If that works, this browser's data for the site is the
   * problem; if not, the site is.
   */
  async [MSG.uiJustMe](message, sender) {
    const failure = await loadFailure(sender.tab.id);
    if (!offers(failure, 'just-me')) return null;
    const { answered, status, error } = await scheduler.probe(failure.url, { credentials: 'omit' });
    // What the panel opens next is the core's.
    const result = { works: answered, status, error, next: await afterJustMe(answered) };
    addTried(failure, 'just-me');
    await saveFailure(sender.tab.id, failure);
    return result;
  },

  /**
   * "Check the site's status page": the site's own status page, where the core found one to ask
   * (never before the click, never another site's).
   */
  async [MSG.uiStatusPage](message, sender) {
    return checkStatusPage(sender.tab.id);
  },

  /**
   * Clears this site's data (the panel asked for the browsingData permission first, in the
   * visitor's click): 'cache' keeps the visitor signed in; 'all' adds cookies, storage and
   * service workers. Only this site, never the whole browser.
   */
  async [MSG.uiClear](message, sender) {
    const tabId = sender.tab.id;
    const failure = await loadFailure(tabId);
    if (!failure || !['cache', 'all'].includes(message.what)) return null;
    if (!(await webext.permissions.contains({ permissions: ['browsingData'] }))) {
      return message.askElsewhere ? askInWindow('browsingData', tabId, failure, { what: message.what }) : { needPermission: true };
    }
    return clearAndReload(tabId, failure, message.what);
  },

  /**
   * "Tell me when it's back", where the core offers it (checking is loading it again: never for a
   * form). The panel asked for the notifications permission in the visitor's click.
   */
  async [MSG.uiWatch](message, sender) {
    const tabId = sender.tab.id;
    const failure = await loadFailure(tabId);
    if (!offers(failure, 'notify-when-back')) return null;
    if (!(await webext.permissions.contains({ permissions: ['notifications'] }))) {
      return message.askElsewhere ? askInWindow('notifications', tabId, failure) : { needPermission: true };
    }
    return watchFailed(tabId, failure);
  },

  /** The visitor allowed a permission in Page Medic's own window: finish what they asked for. */
  async [MSG.uiGranted]() {
    const pending = await permissionWindow.take();
    const failure = pending && (await loadFailure(pending.tabId));
    if (!failure) return null;
    if (pending.permission === 'notifications') return watchFailed(pending.tabId, failure);
    return clearAndReload(pending.tabId, failure, pending.what);
  },

  async [MSG.uiExtensions](message, sender) {
    return showExtensionsList(sender.tab.id);
  },

  /** The visitor paused an extension (from Page Medic's list): retry the page. */
  async [MSG.uiPaused](message) {
    return retryTab(Number(message.tabId), 'check-extensions');
  },

  /** Retry a failed tab from Page Medic's own window (the extensions list). */
  async [MSG.uiRetryTab](message) {
    return retryTab(Number(message.tabId));
  },

  async [MSG.uiHardReload](message, sender) {
    const failure = await loadFailure(sender.tab.id);
    if (!failure) return null;
    addTried(failure, 'hard-reload');
    return reloadFailed(sender.tab.id, failure, { bypassCache: true });
  },

  /** The support report, in the visitor's language, from the stored failure. */
  async [MSG.uiReport](message, sender) {
    const failure = await loadFailure(sender.tab.id);
    if (!failure) return null;
    // What the panel showed, as it was when the page failed: never diagnosed again.
    return reportText(reportOf(failure), webext.i18n.getUILanguage());
  },

  async [MSG.uiCancel](message, sender) {
    const failure = await loadFailure(sender.tab.id);
    if (!failure) return false;
    failure.cancelled = true;
    await saveFailure(sender.tab.id, failure);
    return true;
  },

  /** The panel's view of the retry (waiting / retrying / stopped), mirrored on the host element. */
  async [MSG.uiState](message, sender) {
    const { state, nextRetryMs } = message;
    if (!['waiting', 'retrying', 'stopped', 'shown'].includes(state)) return false;
    // The panel has rendered its help: what waited for it is done.
    afterPanel.release(sender.tab.id);
    handover.drop(sender.tab.id);
    await setHostState(sender.tab.id, { state, nextRetryMs: Number.isFinite(nextRetryMs) ? Math.round(nextRetryMs) : null });
    return true;
  },

  async [MSG.uiDismiss](message, sender) {
    await webext.tabs.sendMessage(sender.tab.id, { type: MSG.bgClose }, { frameId: 0 }).catch(() => {});
    return true;
  },
};

/** Opens Page Medic's list of the extensions that can change a failed tab's site. */
async function showExtensionsList(tabId) {
  const failure = await loadFailure(tabId);
  if (!failure) return null;
  const host = new URL(failure.url).hostname;
  await webext.windows.create({
    url: webext.runtime.getURL(`pages/extensions.html?host=${encodeURIComponent(host)}&tab=${tabId}`),
    type: 'popup', width: 560, height: 480,
  });
  return true;
}

/** Messages from the toolbar popup, about the tab it was opened over. */
const popupHandlers = {
  async [MSG.popupStatus]({ tabId }) {
    const tab = await webext.tabs.get(tabId);
    const failure = await loadFailure(tabId);
    const url = failure?.url ?? tab.url;
    if (!isHttp(url)) return { failure: null, incidents: [] };
    return {
      failure: failure ? { diagnosis: failure.diagnosis, url: failure.url, status: failure.status, error: failure.error } : null,
      origin: new URL(url).origin,
      incidents: await incidentsFor(webext.storage.local, new URL(url).origin),
    };
  },
  async [MSG.popupRetry]({ tabId }) {
    return retryTab(Number(tabId));
  },
  async [MSG.popupStatusPage]({ tabId }) {
    return checkStatusPage(Number(tabId));
  },
  async [MSG.popupExtensions]({ tabId }) {
    return showExtensionsList(Number(tabId));
  },
};

webext.runtime.onMessage.addListener(createRouter({ ...handlers, ...popupHandlers }, {
  id: webext.runtime.id, origin: EXTENSION_ORIGIN,
}));
