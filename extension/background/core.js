// The wasm core, started on first use: healthy browsing never pays for instantiating it.
import init, {
  afterJustMe as coreAfterJustMe, diagnose, ignores, mayHelp as coreMayHelp, nextRetry as coreNextRetry, report as coreReport, sharing,
  statusLevel as coreStatusLevel, watchNext,
} from '../core/page_medic.js';
import { webext } from '../shared/webext.js';
import { utf8Bytes } from './bytes.js';

let ready = null;

function start() {
  ready ??= init({ module_or_path: webext.runtime.getURL('core/page_medic_bg.wasm') }).catch((error) => {
    ready = null; // let the next failure try again
    throw error;
  });
  return ready;
}

/**
 * Starts the core ahead of need (a main frame answered with an error, and its page is still on
 * its way): a background that was stopped meanwhile has it ready by the time the page is read.
 */
export function warmUp() {
  start().catch(() => {}); // a failure is reported when the core is used
}

/**
 * Diagnoses one event (the core's JSON contract) under the visitor's choices (`choicesOf` in
 * shared/options.js; the core's defaults when absent). Throws the core's error for bad input. The
 * page goes across as UTF-8 bytes, which is much faster for long pages than a string field
 * (the core copies them before this returns, so the shared buffer may be reused).
 */
export async function diagnoseEvent(event, choices) {
  await start();
  const { body, recent, ...rest } = event;
  // The recent failures go as three lists (the core reads plain lists for less code than an
  // array of arrays).
  const list = Array.isArray(recent) ? recent : [];
  return diagnose(
    rest, typeof body === 'string' ? utf8Bytes(body) : undefined,
    statusesOf(choices), choices?.retry_limit ?? undefined, choices?.auto_retry ?? undefined, choices?.replace_error_pages ?? undefined,
    list.map((r) => String(r[0])), list.map((r) => String(r[1])), Float64Array.from(list, (r) => Number(r[2])),
  );
}

/** The statuses the visitor chose, as the core takes them (undefined: its defaults). */
const statusesOf = (choices) => (choices?.statuses ? Uint16Array.from(choices.statuses) : undefined);

/** Whether a page that answered with `status` may get help under the visitor's choices. */
export async function mayHelp(status, choices) {
  await start();
  return coreMayHelp(status, statusesOf(choices));
}

/**
 * Whether the visitor asked Page Medic to leave the site at `url` alone (the ignored sites of
 * their choices); asked before anything else is done for a failed page.
 */
export async function leavesAlone(url, choices) {
  await start();
  return ignores(new URL(url).hostname, choices?.ignored_sites ?? '');
}

/** What a Statuspage summary's indicator says, as Page Medic tells it (operational, minor, ...). */
export async function statusLevel(indicator) {
  await start();
  return coreStatusLevel(String(indicator));
}

/** What opens once "is it just me?" has its answer (`works`: it loaded elsewhere): action ids. */
export async function afterJustMe(works) {
  await start();
  return coreAfterJustMe(works);
}

/** The policy's next retry decision under the visitor's choices: { auto, after_ms, reason }. */
export async function nextRetry(verdict, method, retryAfterMs, attempt, elapsedMs, jitter, choices) {
  await start();
  return coreNextRetry(
    verdict, method ?? 'GET', retryAfterMs ?? undefined, attempt, elapsedMs, jitter,
    choices?.retry_limit ?? undefined, choices?.auto_retry ?? undefined,
  );
}

/**
 * How long one request to a failing site stands for others, and how long after a first answer a
 * second check confirms the site is back: { check_ms, answered_ms, look_ms, confirm_ms }.
 */
export async function sharingRules() {
  await start();
  const [check_ms, answered_ms, look_ms, confirm_ms] = sharing();
  return { check_ms, answered_ms, look_ms, confirm_ms };
}

/** When "tell me when it's back" checks next (ms since the epoch), or null once it is over. */
export async function nextWatchCheck(sinceMs, nowMs, scheduleNextMs) {
  await start();
  return watchNext(sinceMs, nowMs, scheduleNextMs ?? undefined) ?? null;
}

/** The support report text for a stored failure (`reportOf` in events.js), in a UI language. */
export async function reportText(r, lang) {
  await start();
  const notices = r.notices ?? [];
  return coreReport(r.url, r.status ?? undefined, r.status_text ?? undefined, r.error ?? undefined, r.at_ms ?? undefined,
    r.tried ?? [], Float64Array.from(r.tried_at ?? []), r.verdict ?? 'unknown', r.gateway ?? undefined, r.data_centre ?? undefined,
    r.request_id ?? undefined, r.request_ids ?? [], notices.map((n) => String(n.kind)),
    Float64Array.from(notices, (n) => (Number.isFinite(n.ms) ? n.ms : NaN)), notices.map((n) => String(n.seen ?? '')), lang);
}
