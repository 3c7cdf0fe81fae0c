// What every Page Medic page uses to speak and to take a person's clicks.
import { webext } from './webext.js';

/** A message in the visitor's language (`_locales`), the key itself if there is none. */
export const t = (key, subs) => webext.i18n.getMessage(key, subs) || key;

export const $ = (id) => document.getElementById(id);

/** The verdict id's `_locales` key: origin-down -> verdict_origin_down. */
export const verdictKey = (id) => `verdict_${String(id).replaceAll('-', '_')}`;

/** An element with text (always as text, never parsed as HTML) and attributes. */
export function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

/** A button that acts only on a real person's click or key press (never a script's event). */
export function button(label, onPress, className = '', { byKey = false } = {}) {
  const b = el('button', label, { type: 'button', class: className });
  b.addEventListener('click', (event) => {
    if (event.isTrusted) onPress(b);
  });
  if (byKey) presses.set(b, onPress);
  return b;
}
const presses = new WeakMap();

/**
 * Presses a button `button()` made with `byKey`, for a key the visitor pressed that reached Page
 * Medic another way than the button (the content script's word, content/detect.js): a script's
 * click is not the visitor's, and presses nothing. Only a button whose work needs no press of
 * the visitor's own (a browser gives a permission or the clipboard only within one) is made so.
 * A button the visitor could not press now (disabled while its work runs, hidden, or gone) is
 * not pressed by a key either. False for anything not pressed.
 */
export function press(b) {
  const onPress = presses.get(b);
  if (!onPress || b.disabled || !b.isConnected || b.closest('[hidden]')) return false;
  onPress(b);
  return true;
}

/** What the keyboard can reach in a part of the panel: its controls that are shown, in order. */
const REACHABLE = 'button:not([hidden]), a[href], textarea, summary';

/**
 * The control Tab (or Shift+Tab, `back`) moves the keyboard to from `from` within `part`, going
 * round at either end (the panel is a dialog: the keyboard stays in it). From anything not among
 * them, the first (or, back, the last). Null where nothing can be reached.
 */
export function nextControl(part, from, back = false) {
  const reachable = [...part.querySelectorAll(REACHABLE)].filter((e) => !e.closest('[hidden]'));
  if (!reachable.length) return null;
  const i = reachable.indexOf(from);
  if (i < 0) return reachable[back ? reachable.length - 1 : 0];
  return reachable[(i + (back ? reachable.length - 1 : 1)) % reachable.length];
}

/**
 * The core's notices (what no error page says by itself) in the visitor's words: message
 * `notice_<kind>`, or `notice_<kind>_at` / `_for` when the notice carries its `ms`, with the time
 * in the visitor's own zone or the duration in their units. What to tell is the core's; this
 * only words it.
 */
export function noticeTexts(notices, lang = webext.i18n.getUILanguage()) {
  const key = (kind) => `notice_${String(kind).replaceAll('-', '_')}`;
  const clock = (ms) => new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(ms);
  const span = (ms) => {
    const [unit, size] = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000], ['second', 1000]].find(([, s]) => ms >= s) ?? ['second', 1000];
    return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: 0 }).format(Math.floor(ms / size));
  };
  const words = {
    maintenance: (n) => (n.ms != null ? t(`${key(n.kind)}_at`, [clock(n.ms)]) : t(key(n.kind))),
    'retry-after-far': (n) => t(key(n.kind), [span(n.ms ?? 0)]),
    cached: (n) => (n.ms != null ? t(`${key(n.kind)}_for`, [String(n.seen ?? ''), span(n.ms)]) : t(key(n.kind), [String(n.seen ?? '')])),
    'provider-incident': (n) => {
      const subs = [String(n.seen ?? ''), String(n.count ?? ''), span(n.ms ?? 0)];
      return n.place ? t(`${key(n.kind)}_place`, [...subs, String(n.place)]) : t(key(n.kind), subs);
    },
  };
  return (Array.isArray(notices) ? notices : []).filter((n) => typeof n?.kind === 'string')
    .map((n) => (words[n.kind] ?? ((x) => t(key(x.kind))))(n));
}

/**
 * What the site's own status page says (the background's `readStatusPage` result), shown in
 * `parts` (`summary`, `items`, `link` elements): its indicator in Page Medic's words, its open
 * incidents and maintenance on the visitor's clock, and a link to it, all as text. A missing
 * result is an unreachable page.
 */
export function showStatusPage(result, { summary, items, link }, lang = webext.i18n.getUILanguage()) {
  items.replaceChildren();
  link.hidden = true;
  let where = '';
  try {
    where = new URL(result.page).host;
  } catch {
    // (No page to name.)
  }
  if (!result?.ok) {
    summary.textContent = t(result?.problem === 'malformed' ? 'status_page_malformed' : 'status_page_unreachable', [where]);
    return;
  }
  const says = result.description ? ` (“${result.description}”)` : '';
  summary.textContent = t(`status_page_${result.level}`, [where]) + says;
  const when = (ms) => (ms == null ? '' : new Date(ms).toLocaleString(lang, { dateStyle: 'short', timeStyle: 'short' }));
  for (const i of result.incidents ?? []) items.append(el('li', t('status_page_incident', [i.name ?? '?', i.status ?? '?', when(i.since)])));
  for (const m of result.maintenances ?? []) items.append(el('li', t('status_page_maintenance', [m.name ?? '?', when(m.from), when(m.until)])));
  if (/^https?:\/\//.test(result.page)) {
    link.href = result.page;
    link.textContent = t('status_page_open', [where]);
    link.hidden = false;
  }
}

/**
 * "Check the site's status page", pressed on `pressed` in a page with the `#status-page` section
 * (the panel, the popup): says it is asking, asks with `ask()` (the background's answer), and
 * shows what the status page says.
 */
export async function checkStatusPage(pressed, ask, lang = webext.i18n.getUILanguage()) {
  pressed.disabled = true;
  $('status-page').hidden = false;
  $('status-page-summary').textContent = t('status_page_checking');
  $('status-page-items').replaceChildren();
  const result = await ask().catch(() => null);
  pressed.disabled = false;
  showStatusPage(result, { summary: $('status-page-summary'), items: $('status-page-items'), link: $('status-page-link') }, lang);
}
