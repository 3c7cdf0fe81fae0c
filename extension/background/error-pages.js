// A main-frame load that failed with a network error (webNavigation.onErrorOccurred), carried out
// as the core decides: its diagnosis (again with the site's answer, where the core asks for it:
// an empty 5xx the browser would not show), then either the browser's own page kept (its security
// warnings, or the visitor's choice) with the failure stored for the toolbar popup, or Page Medic's
// diagnosis page in its place. Dependencies are parameters, so Node tests can run it with fakes.
import { eventFromError } from './events.js';
import { cameBack, newFailure } from './records.js';
import { diagnoseAsking } from './ask-site.js';

/**
 * `upgradedTo(tabId, url)`: whether the browser itself upgraded the load to this https address (a promise),
 * `leavesAlone(url)`, `isForm(tabId, url)`, `toldOf(tabId, url, error, timeStamp)`: what the browser
 * told apart of an error it gave as a number only (Firefox): { name (or null), viaProxy, proxySignIn }, `blockersOf(url)`, `facts()` (online, browser, now,
 * jitter), `diagnose(event)`, `look(url)`: the failed address fetched once, `failures`
 * (load/save), `record(tabId, failure)`: its line in the local history (once saved), `showDiagnosisPage(tabId, url)`,
 * `markKept(tabId)`: the toolbar button says the popup explains the browser's kept page.
 */
const SAME_REPORT_MS = 1000;

export function createErrorPages({ upgradedTo, leavesAlone, isForm, toldOf, blockersOf, facts, diagnose, look, lookWaitMs, failures, record, showDiagnosisPage, markKept }) {
  // Firefox may report one failed load twice, a few ms apart: the second report of a tab's load of
  // the same address with the same error this soon is the same failure (one record, one page
  // shown). A person's own reload of a failed page comes later than this; a sooner one would fail
  // the same way. (Another error is another report: an aborted load may be told just before.)
  const lastReport = new Map(); // tabId -> { url, error, at } (the browser's time of the report)
  function sameReport(tabId, url, error, at) {
    if (typeof at !== 'number') return false;
    for (const [tab, report] of lastReport) if (!(at - report.at < SAME_REPORT_MS)) lastReport.delete(tab);
    const last = lastReport.get(tabId);
    lastReport.set(tabId, { url, error, at });
    return last?.url === url && last.error === error && Math.abs(at - last.at) < SAME_REPORT_MS;
  }

  return async function onError({ tabId, frameId, url, error, timeStamp }) {
    if (frameId !== 0 || !/^https?:/i.test(url ?? '')) return null;
    if (sameReport(tabId, url, error, timeStamp)) return null;
    // (Asked before anything is waited for: what the tab does next ends what it tells.)
    const upgraded = upgradedTo(tabId, url);
    if (await leavesAlone(url)) return null;
    // The browser's name for an error it gave as a number only, which the core tells beside the
    // number, whether the load went through its proxy and whether that proxy asked the visitor
    // to sign in. Its report is waited for beside the form's, not after it.
    const telling = toldOf(tabId, url, error, timeStamp);
    const form = await isForm(tabId, url);
    const told = await telling;
    const known = { ...facts(), form, upgraded: await upgraded, blockers: await blockersOf(url), errorName: told.name, viaProxy: told.viaProxy, proxySignIn: told.proxySignIn };
    // An error that says nothing of the site (an answer the browser would not show, a service
    // worker's failure): where the core asks, one fetch of the address tells its status and
    // headers, or that it failed too, and the core looks again.
    const { event, diagnosis } = await diagnoseAsking(eventFromError(url, error, known), {
      url, form, diagnose, look, lookWaitMs,
      withAnswer: (answer) => {
        if (answer.status >= 400) return eventFromError(url, error, { ...known, response: answer });
        return answer.status == null && answer.error ? eventFromError(url, error, { ...known, lookFailed: true }) : null;
      },
    });
    if (!diagnosis.help) return null;
    if (!diagnosis.replace_error_page) {
      // The browser's own page stays (its security warning, or the visitor asked Page Medic not to
      // replace error pages), untouched; the core's retry says it is not reloaded (`browser-page`).
      // The toolbar popup explains it, and its button says so.
      const failure = newFailure(url, event, diagnosis, null);
      await failures.save(tabId, failure);
      await record(tabId, failure);
      await markKept(tabId);
      return 'kept';
    }
    const previous = await failures.load(tabId);
    // The visitor came back (Back button) to an address Page Medic already took them away from,
    // and no retry of Page Medic's is under way: the browser's own page stays, so Back is never a loop.
    if (cameBack(previous, url)) return null;
    const failure = newFailure(url, event, diagnosis, previous);
    failure.shownDiagnosisPage = true;
    await failures.save(tabId, failure);
    await record(tabId, failure);
    await showDiagnosisPage(tabId, url);
    return 'replaced';
  };
}
