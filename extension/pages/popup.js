// The toolbar popup: the current tab's diagnosis and this site's recent incidents, with the
// extensions that can change the site, Retry and the site's own status page where the core offers
// them.
import { webext } from '../shared/webext.js';
import { $, button, checkStatusPage, el, noticeTexts, t, verdictKey } from '../shared/ui.js';
import { MSG } from '../shared/messages.js';
import { ACTIONS } from '../panel/actions.js';

document.documentElement.lang = webext.i18n.getUILanguage();

const [tab] = await webext.tabs.query({ active: true, currentWindow: true });
const status = tab ? await webext.runtime.sendMessage({ type: MSG.popupStatus, tabId: tab.id }).catch(() => null) : null;

const failure = status?.failure;
if (failure) {
  const key = verdictKey(failure.diagnosis.verdict);
  $('title').textContent = t(key);
  // What it means and whose side it most likely is (for the browser's own warnings too, which
  // Page Medic leaves on screen untouched).
  $('detail').textContent = t(`${key}_detail`);
  $('side').textContent = t(`side_${failure.diagnosis.side ?? 'unknown'}`);
  for (const text of noticeTexts(failure.diagnosis.notices)) $('notices').append(el('li', text));
  const facts = $('facts');
  if (failure.status) facts.append(el('dt', t('label_status')), el('dd', `HTTP ${failure.status}`));
  if (failure.error) facts.append(el('dt', t('label_error')), el('dd', failure.error));
  if (failure.diagnosis.gateway?.name) facts.append(el('dt', t('label_gateway')), el('dd', failure.diagnosis.gateway.name));
  if (failure.diagnosis.data_centre) facts.append(el('dt', t('label_data_centre')), el('dd', failure.diagnosis.data_centre));
  if (failure.diagnosis.request_id) facts.append(el('dt', t('label_request_id')), el('dd', failure.diagnosis.request_id));
  // The core's actions that the popup can carry out, in the core's order, its first the primary
  // one: the extensions that can change the site (over the browser's own blocked page, which Page
  // Medic leaves in place: it may be a security warning), Retry (never over a certificate
  // warning) and the site's own status page.
  const ask = (type) => webext.runtime.sendMessage({ type, tabId: tab.id });
  const popupActions = {
    'check-extensions': async () => { await ask(MSG.popupExtensions); window.close(); },
    retry: async () => { await ask(MSG.popupRetry); window.close(); },
    'status-page': (pressed) => checkStatusPage(pressed, () => ask(MSG.popupStatusPage)),
  };
  const actions = failure.diagnosis.actions ?? [];
  for (const id of actions.filter((a) => popupActions[a])) {
    $('actions').append(button(t(ACTIONS[id].label), popupActions[id], id === actions[0] ? 'primary' : ''));
  }
} else {
  $('title').textContent = t('popup_all_well');
}

$('history-title').textContent = t('popup_history', [status?.origin ? new URL(status.origin).host : '']);
const incidents = status?.incidents ?? [];
if (!incidents.length) $('history').append(el('li', t('popup_no_history')));
for (const i of incidents.slice(0, 10)) {
  const when = new Date(i.at).toLocaleString(webext.i18n.getUILanguage());
  $('history').append(el('li', `${when} — ${i.path} — ${t(verdictKey(i.verdict))}${i.status ? ` (HTTP ${i.status})` : ''}`));
}

$('options').textContent = t('popup_options');
$('options').addEventListener('click', (event) => {
  event.preventDefault();
  webext.runtime.openOptionsPage();
  window.close();
});
