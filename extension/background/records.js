// A failed tab's record (kept in storage.session by failures.js): what the panel shows, what the
// report tells, what was tried. Plain functions of their arguments, so Node tests can call them.

/** Whether the core offered this action for a tab's failure (a handler carries out no other). */
export const offers = (failure, action) => Boolean(failure?.diagnosis?.actions?.includes(action));

/** Notes what the visitor (or Page Medic for them) tried, for the report; each thing once, with when it was first tried. */
export function addTried(failure, what, now = Date.now()) {
  failure.tried = [...new Set([...failure.tried, what])];
  failure.triedAt = { ...failure.triedAt, [what]: failure.triedAt?.[what] ?? now };
}

/**
 * A tab's failure record for an event and its diagnosis. A retry of Page Medic's that failed
 * again (`previous`, on the same address) keeps what was tried and where the tab was shown it.
 */
export function newFailure(url, event, diagnosis, previous, now = Date.now()) {
  const again = previous?.url === url && previous.retrying;
  return {
    url,
    // When the page failed (the report's time).
    at: event.now_ms ?? now,
    method: event.method ?? 'GET',
    status: event.status ?? null,
    statusText: event.status_text ?? null,
    // The browser's error as the core tells it (its name beside its number, where it has both).
    error: diagnosis.error ?? event.error ?? null,
    diagnosis,
    retrying: false,
    cancelled: false,
    shownDiagnosisPage: again ? previous.shownDiagnosisPage : false,
    tried: again ? previous.tried : [],
    triedAt: again ? previous.triedAt ?? {} : {},
    // Its line in the incident history is yet to be written (history.js).
    historyDue: true,
  };
}

/**
 * Whether the visitor came back (Back button) to an address Page Medic's own page took them away
 * from, with no retry of Page Medic's under way: the page they came back to stays, so Back is
 * never a loop.
 */
export const cameBack = (previous, url) => previous?.url === url && Boolean(previous.shownDiagnosisPage) && !previous.retrying;

/**
 * What the panel needs to run its countdown: the schedule's next step as ms from `now` (the
 * panel's clock and the worker's may differ), or why there is none.
 */
export function stateOf(failure, schedule, now = Date.now()) {
  const auto = Boolean(schedule?.auto) && !failure.cancelled;
  return {
    auto,
    reason: failure.cancelled ? 'cancelled' : (schedule?.reason ?? failure.diagnosis.retry?.reason ?? null),
    inMs: auto && schedule.nextAt ? Math.max(0, schedule.nextAt - now) : null,
    attempt: schedule?.attempt ?? 0,
  };
}

/** What the panel shows for a failure: the diagnosis, the facts, and the retry state. */
export function panelInfo(failure, schedule, now = Date.now()) {
  return {
    diagnosis: failure.diagnosis, url: failure.url, method: failure.method, status: failure.status,
    error: failure.error, state: stateOf(failure, schedule, now),
  };
}
