// Page Medic's panel: over a failed page (in the overlay's iframe) or as the diagnosis page that
// replaces the browser's own error page. It shows the diagnosis the background gives it, runs
// the retry countdown (countdowns live in the page: the background may be stopped meanwhile),
// and sends the visitor's choices back. It renders; the core decides. Text from the failed site
// is only ever set as text.
import { webext } from '../shared/webext.js';
import { $, button, checkStatusPage, el, nextControl, noticeTexts, press, t, verdictKey } from '../shared/ui.js';
import { ACTIONS } from './actions.js';
import { MSG } from '../shared/messages.js';
import { takeHandover } from '../shared/handover.js';
import { siteAndPath } from '../shared/addresses.js';

// When the panel's script began, and when its diagnosis came (User Timing, beside
// `page-medic-shown` and `page-medic-painted`: the benchmarks read them).
performance.mark('page-medic-script');
const localeKey = (id) => String(id).replaceAll('-', '_');
const send = (type, extra = {}) => webext.runtime.sendMessage({ type, ...extra });
const topLevel = window.top === window;
const host = $('page-medic');
// In a page's frame, the page's Page Medic learns that the panel runs (where the page's site
// allows no script in it, nothing does, and its help goes elsewhere: content/detect.js).
if (!topLevel) parent.postMessage('page-medic-panel-runs', '*');

// The overlay's host learns the state once the help is painted: a message sent before then costs
// the frame's first paint a few ms (docs/performance-notes.md). Until then the last one waits here
// (at most 100 ms: a tab in the background paints nothing until it is shown).
let heldState = null;
let holding = true;

/** The retry state, mirrored on #page-medic (here, and on the overlay's host in the page). */
function setState(state, nextRetryMs = null) {
  host.dataset.state = state;
  if (nextRetryMs == null) delete host.dataset.nextRetryMs;
  else host.dataset.nextRetryMs = String(Math.round(nextRetryMs));
  if (topLevel) return;
  if (holding) heldState = { state, nextRetryMs, at: performance.now() };
  else send(MSG.uiState, { state, nextRetryMs }).catch(() => {});
}

/** The state held until the help was painted goes out now (its countdown as it is now). */
function sendHeldState() {
  holding = false;
  if (!heldState) return;
  const { state, nextRetryMs, at } = heldState;
  heldState = null;
  send(MSG.uiState, { state, nextRetryMs: nextRetryMs == null ? null : Math.max(0, nextRetryMs - (performance.now() - at)) }).catch(() => {});
}

// --- the countdown ------------------------------------------------------------------------------

const countdown = {
  dueAt: null, // performance.now() time of the next retry
  remaining: null, // ms left while paused (tab hidden)
  timer: null,
  onDue: null,
  note: '', // said before the countdown (what the last check found)
  start(inMs, onDue, note = '') {
    this.stop();
    this.onDue = onDue;
    this.note = note;
    this.remaining = inMs;
    if (document.visibilityState === 'visible' && navigator.onLine) this.resume();
    else this.show();
  },
  resume() {
    if (this.remaining == null) return;
    this.dueAt = performance.now() + this.remaining;
    this.remaining = null;
    this.tick();
  },
  pause() {
    if (this.dueAt == null) return;
    clearTimeout(this.timer);
    this.remaining = Math.max(0, this.dueAt - performance.now());
    this.dueAt = null;
    this.show();
  },
  stop() {
    clearTimeout(this.timer);
    this.dueAt = this.remaining = this.onDue = null;
    this.note = '';
  },
  tick() {
    const left = this.dueAt - performance.now();
    if (left <= 0) {
      const onDue = this.onDue;
      this.stop();
      onDue?.();
      return;
    }
    this.show(left);
    this.timer = setTimeout(() => this.tick(), Math.min(1000, left));
  },
  show(left = this.remaining) {
    const seconds = Math.ceil(left / 1000);
    const words = navigator.onLine ? t('retry_in', [String(seconds)]) : t('retry_offline');
    $('retry-status').textContent = noted(this.note, words);
    setState('waiting', left);
  },
};

/** `words` with a note said before them (no space after a full-width full stop). */
const noted = (note, words) => (note ? `${note}${/[。！？]$/.test(note) ? '' : ' '}${words}` : words);

// Retry only while the visitor can see the tab and the device is online (as Chromium's own
// auto-reload does): pause when hidden or offline, go on when back.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && navigator.onLine) countdown.resume();
  else countdown.pause();
});
addEventListener('offline', () => countdown.pause());
addEventListener('online', () => {
  if (document.visibilityState === 'visible') countdown.resume();
});

// --- what the visitor can do --------------------------------------------------------------------

let ui = null; // { retry, cancel }

/**
 * Leaves the diagnosis page where the background says to (true), if it does: `go`, an address,
 * replaces the page, so Back leads where the visitor came from; `back`, a form's own entry just
 * before it, where the browser sends the form again or asks first.
 */
function leave(answer) {
  if (answer?.go) location.replace(answer.go);
  else if (answer?.back) history.back();
  else return false;
  return true;
}

async function due() {
  setState('retrying');
  $('retry-status').textContent = t('retry_checking');
  const step = await send(MSG.uiDue).catch(() => null);
  if (leave(step)) return;
  if (step?.answered) return; // the background is reloading the page
  // The check found the site still failing: said before what comes next.
  follow(step, step?.stillFailing ? t('retry_still_failing') : '');
}

/**
 * Runs the schedule the background answered with (or stops, saying why); `note` is said before
 * its countdown.
 */
function follow(state, note = '') {
  if (state?.auto && state.inMs != null) {
    ui.cancel.hidden = false;
    countdown.start(state.inMs, due, note);
    return;
  }
  countdown.stop();
  ui.cancel.hidden = true;
  const reason = state?.reason;
  if (reason === 'wait-for-online' || !navigator.onLine) {
    $('retry-status').textContent = t('retry_offline');
    setState('waiting');
    addEventListener('online', due, { once: true });
    return;
  }
  const messages = {
    'unsafe-method': 'retry_unsafe_method', 'not-transient': 'retry_not_transient', 'gave-up': 'retry_gave_up',
    cancelled: 'retry_cancelled', disabled: 'retry_disabled', 'page-refreshes': 'retry_page_refreshes',
  };
  $('retry-status').textContent = messages[reason] ? noted(note, t(messages[reason])) : note;
  setState('stopped');
}

async function retryNow() {
  countdown.stop();
  setState('retrying');
  $('retry-status').textContent = t('retry_checking');
  const result = await send(MSG.uiRetry).catch(() => null);
  if (leave(result)) return;
  if (result?.stillFailing) {
    // Said until the next countdown ends: the countdown that goes on keeps it in front.
    $('retry-status').textContent = t('retry_still_failing');
    // Or, where no countdown follows, said before why Page Medic does not try by itself.
    follow((await send(MSG.uiDiagnosis).catch(() => null))?.state, t('retry_still_failing'));
  }
}

async function cancel() {
  countdown.stop();
  await send(MSG.uiCancel).catch(() => {});
  follow({ auto: false, reason: 'cancelled' });
  (ui.retry ?? primary)?.focus();
}

async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard here (a frame without the permission): select it for the visitor instead.
    $('report-box').hidden = false;
    $('report').value = text;
    $('report').select();
    if (!document.execCommand('copy')) {
      button.textContent = t('copy_select');
      return;
    }
  }
  button.textContent = t('copied');
}

async function copyReport(button) {
  const text = await send(MSG.uiReport).catch(() => null);
  if (!text) return;
  $('report-box').hidden = false;
  $('report').value = text;
  await copyText(text, button);
}

/** "Is it just me?": the same page without this browser's cookies and cache. */
async function justMe(button) {
  button.disabled = true;
  $('just-me-result').textContent = t('just_me_checking');
  const result = await send(MSG.uiJustMe).catch(() => null);
  button.disabled = false;
  if (!result) return;
  $('just-me-result').textContent = t(result.works ? 'just_me_works' : 'just_me_fails');
  // What opens next is the core's (works elsewhere, fails here: this browser's data, or an
  // extension), each through its row's `open`.
  const openers = { openClear, showExtensions };
  for (const id of result.next ?? []) openers[ACTIONS[id]?.open]?.();
}

/** Lists the extensions that can change this site (in a window of Page Medic's). */
const checkExtensions = () => send(MSG.uiExtensions);

/** The section about extensions, with its button (made once). */
function showExtensions() {
  $('extensions').hidden = false;
  let check = $('extensions-actions').querySelector('button');
  if (!check) {
    check = button(t(ACTIONS['check-extensions'].label), checkExtensions);
    $('extensions-actions').append(check);
  }
  return check;
}

function openClear() {
  $('clear').hidden = false;
  $('clear-actions').querySelector('button')?.focus();
}

/**
 * Asks for an optional permission, then has the background do `type`. The permission is asked
 * for at once, inside the visitor's click (browsers allow it only there), the first time it is
 * needed. Firefox gives no permissions API to an extension frame inside a web page: the
 * background then asks in a window of Page Medic's own. Says in `status` what stopped it.
 */
async function withPermission(permission, type, extra, status, deniedKey) {
  const asked = webext.permissions?.request({ permissions: [permission] }) ?? Promise.resolve(null);
  const granted = await asked.catch(() => false);
  if (granted === false) {
    $(status).textContent = t(deniedKey);
    return null;
  }
  const result = await send(type, { ...extra, askElsewhere: granted === null }).catch(() => null);
  if (result?.askedElsewhere) {
    $(status).textContent = t('clear_asked_elsewhere');
    return null;
  }
  return result;
}

/** Clears this site's data (browsingData is an optional permission). */
function clearData(what) {
  return withPermission('browsingData', MSG.uiClear, { what }, 'clear-result', 'clear_denied').then((result) => {
    if (!result) return;
    const lines = [];
    if (result.cleared?.length) lines.push(t('clear_done', [result.cleared.join(', ')]));
    if (result.notCleared?.length) lines.push(t('clear_not_possible', [result.notCleared.join(', ')]));
    $('clear-result').textContent = lines.join(' ');
    leave(result);
  });
}

/** "Tell me when it's back": keeps checking after the visitor leaves (notifications are optional). */
function watchSite(siteHost) {
  return withPermission('notifications', MSG.uiWatch, {}, 'notify-result', 'notify_denied').then((result) => {
    if (result?.watching) $('notify-result').textContent = t('notify_watching', [siteHost]);
  });
}

/** The page in a public web archive; nothing is sent there until the visitor opens the link. */
function savedCopyUrl(url) {
  return `https://web.archive.org/web/2/${siteAndPath(url)}`;
}

// --- the picture and the words ------------------------------------------------------------------

function render(info) {
  const d = info.diagnosis;
  document.documentElement.lang = webext.i18n.getUILanguage();
  document.body.classList.toggle('top', topLevel);
  host.dataset.verdict = d.verdict;
  host.dataset.side = d.side ?? 'unknown';
  host.dataset.state = 'shown';

  const key = verdictKey(d.verdict);
  $('title').textContent = t(key);
  if (topLevel) document.title = `${t(key)} — Page Medic`;
  $('detail').textContent = t(`${key}_detail`);
  $('side').textContent = t(`side_${d.side ?? 'unknown'}`);
  // What no error page says by itself (planned maintenance, a cached error ...): the core's.
  for (const text of noticeTexts(d.notices)) $('notices').append(el('li', text));

  // You -> network -> the site's gateway -> the site's server, the failing hop marked. The
  // visitor's own proxy is theirs: named on the network's step, never as the site's gateway.
  const ownProxy = d.gateway?.kind === 'forward-proxy';
  const named = d.gateway?.name;
  const hops = [
    ['browser', t('hop_browser')],
    ['network', named && ownProxy ? t('hop_network_proxy', [named]) : t('hop_network')],
    ['gateway', named && !ownProxy ? t('hop_gateway_named', [named]) : t('hop_gateway')],
    ['server', t('hop_server')],
  ];
  $('path').setAttribute('aria-label', t('label_path'));
  for (const [hop, label] of hops) {
    const failed = hop === d.hop;
    const li = el('li', failed ? `${label} ✕` : label, failed ? { class: 'failed', 'aria-current': 'true' } : {});
    if (failed) li.append(el('span', ` (${t('hop_failed')})`, { class: 'sr-only', hidden: '' }));
    $('path').append(li);
  }

  const facts = $('facts');
  if (info.status) facts.append(el('dt', t('label_status')), el('dd', `HTTP ${info.status}`));
  if (info.error) facts.append(el('dt', t('label_error')), el('dd', info.error));
  if (d.gateway?.name) {
    facts.append(el('dt', t('label_gateway')), el('dd', `${d.gateway.name} (${t(`gateway_kind_${localeKey(d.gateway.kind)}`)})`));
  }
  if (d.data_centre) facts.append(el('dt', t('label_data_centre')), el('dd', d.data_centre));
  if (d.request_id) {
    const dd = el('dd', d.request_id);
    dd.append(button(t('action_copy_id'), (b) => copyText(d.request_id, b), 'small'));
    facts.append(el('dt', t('label_request_id')), dd);
  }

  // Why Page Medic thinks so: the core's evidence, fact by fact, in the visitor's words (the
  // values are the failed site's text, set as text).
  if (d.evidence?.length) {
    $('why-label').textContent = t('why_label');
    for (const { kind, value } of d.evidence) $('evidence').append(el('li', t(`evidence_${localeKey(kind)}`, [String(value)])));
    $('why').hidden = false;
  }

  // The core's actions, in its order, through the panel's table of controls (actions.js); the
  // first control is the primary one.
  const siteHost = info.url ? new URL(info.url).hostname : '';
  const run = {
    retryNow, openClear, justMe, copyReport, checkExtensions,
    checkStatusPage: (pressed) => checkStatusPage(pressed, () => send(MSG.uiStatusPage), document.documentElement.lang),
    hardReload: () => send(MSG.uiHardReload),
    watchSite: () => watchSite(siteHost),
  };
  const unsafe = d.retry?.reason === 'unsafe-method';
  ui = { retry: null, cancel: button(t('action_cancel'), cancel, '', { byKey: true }) };
  ui.cancel.hidden = true;
  const controls = [];
  for (const id of d.actions ?? []) {
    const row = ACTIONS[id];
    if (!row) continue; // tests/unit/panel-actions.test.js keeps the table whole
    const label = t(id === 'retry' && unsafe ? row.resendLabel : row.label);
    if (row.control === 'hint') {
      $('hints').append(el('li', label));
    } else if (row.control === 'section') {
      controls.push(showExtensions());
    } else if (row.control === 'link') {
      if (info.url && /^https?:/.test(info.url)) {
        controls.push(el('a', label, { class: 'button', href: savedCopyUrl(info.url), target: '_blank', rel: 'noopener noreferrer' }));
      }
    } else {
      // (A form's answer sent again is only ever the visitor's own press: a key meant for the
      // page's field never sends it.)
      const control = button(label, run[row.run], '', { byKey: !row.ownPress && !(id === 'retry' && unsafe) });
      if (id === 'retry') ui.retry = control;
      controls.push(control);
    }
  }
  primary = controls[0] ?? null;
  for (const control of controls) {
    if (control.closest('#extensions')) continue; // in its own section
    if (control === primary) {
      control.classList.add('primary');
      $('actions').append(control);
    } else {
      $('more').append(control);
    }
  }
  $('actions').append(ui.cancel);
  if (!topLevel) $('actions').append(button(t('action_dismiss'), () => send(MSG.uiDismiss), '', { byKey: true }));
  $('extensions-hint').textContent = t('extensions_hint');
  $('clear-intro').textContent = t('clear_intro', [siteHost]);
  $('clear-warning').textContent = t('clear_warning', [siteHost]);
  $('clear-actions').append(
    button(t('action_clear_cache'), () => clearData('cache')),
    button(t('action_clear_all'), () => {
      $('clear-warning').hidden = false;
      $('clear-confirm').hidden = false;
      $('clear-confirm').querySelector('button').focus();
    }),
  );
  $('clear-confirm').append(button(t('action_clear_all_confirm', [siteHost]), () => clearData('all')));

  $('report-label').textContent = t('label_report');

  const card = document.querySelector('.card');
  card.hidden = false;
  card.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !topLevel) send(MSG.uiDismiss);
    if (event.key === 'Tab') {
      // Keep keyboard focus inside the dialog.
      nextControl(card, document.activeElement, event.shiftKey)?.focus();
      event.preventDefault();
    }
  });
  // The control the visitor last had, given back when the frame's focus returns without it.
  card.addEventListener('focusin', (event) => { kept = event.target; });
  primary?.focus();
  follow(info.state);
  // When the help was on screen (User Timing; the benchmarks read it): after the next frame.
  performance.mark('page-medic-shown');
  requestAnimationFrame(() => setTimeout(() => {
    performance.mark('page-medic-painted');
    sendHeldState();
  }, 0));
  setTimeout(sendHeldState, 100);
}

// The overlay focuses this frame once it has loaded, which may be after the panel rendered, and
// again whenever the page's script took the keyboard; a frame focused from outside may put its
// own focus back on its body (Chromium; Firefox after the page had it), so the control the
// visitor last had takes it again, or else the primary action. (Only an empty focus moves.)
let primary = null;
let kept = null;
/** The control the keyboard belongs on now: the visitor's last, while it can still be used. */
const keyboardHome = () => (kept?.isConnected && !kept.closest('[hidden]') ? kept : primary);
addEventListener('focus', () => {
  if (!document.activeElement || document.activeElement === document.body) keyboardHome()?.focus();
});

// Enter or Space that the page's content script kept from the page under the help, pressed while
// the keyboard was still on its way to this frame (content/detect.js): pressed here, on the
// control that has the keyboard (the visitor's last, or the primary action); Tab, with Shift or
// not, moves the keyboard from it as it would have here. The message names this frame's key,
// which only Page Medic's content script knows (the page cannot read the frame's address in its
// closed shadow root). Firefox gives an extension frame in a page no runtime message from its
// content script: a window message it is.
if (!topLevel) {
  addEventListener('message', (event) => {
    const { type, frame, key, back } = event.data ?? {};
    if (event.source !== parent || type !== 'page-medic-key' || !frame || frame !== location.hash.slice(1)) return;
    const card = document.querySelector('.card');
    if (!card || card.hidden) return;
    const target = card.contains(document.activeElement) ? document.activeElement : keyboardHome();
    if (key === 'Tab') {
      kept = nextControl(card, target, back === true) ?? kept;
      kept?.focus();
    } else if (!press(target) && target?.localName === 'summary') target.click();
  });
}

/**
 * The diagnosis the background handed this frame as it ended (background/handover.js), or null
 * where none waits, and the panel asks. Looked for only where the background is a page (Firefox):
 * a service worker has no localStorage to hand it through.
 */
const handedOver = () => (topLevel || !webext.runtime.getManifest().background?.scripts
  ? null
  : takeHandover(globalThis.localStorage, location.hash.slice(1)));

const handed = handedOver();
(handed ? Promise.resolve(handed) : send(MSG.uiDiagnosis).catch(() => null)).then((info) => {
  performance.mark('page-medic-answer', { detail: { handedOver: Boolean(handed) } });
  render(info?.diagnosis ? info : { diagnosis: { verdict: 'unknown', side: 'unknown' }, state: null });
});
