// Page Medic's options: which statuses to act on, auto-retry and its limit, sites to ignore,
// whether to replace network error pages; the incident history can be cleared here.
import { webext } from '../shared/webext.js';
import { loadOptions, parseStatuses, repair } from '../shared/options.js';
import { $, t } from '../shared/ui.js';

document.documentElement.lang = webext.i18n.getUILanguage();
for (const [id, key] of Object.entries({
  title: 'options_title', 'statuses-label': 'options_statuses', 'statuses-help': 'options_statuses_help',
  'autoRetry-label': 'options_auto_retry', 'retryLimit-label': 'options_retry_limit', 'ignoredSites-label': 'options_ignored',
  'ignoredSites-help': 'options_ignored_help', 'replaceErrorPages-label': 'options_replace_error_pages', save: 'options_save',
  'history-title': 'options_history', 'clear-history': 'options_clear_history',
})) $(id).textContent = t(key);

async function showHistory() {
  const { incidents } = await webext.storage.local.get('incidents');
  $('history-count').textContent = t('options_history_count', [String(Array.isArray(incidents) ? incidents.length : 0)]);
}

const current = await loadOptions(webext.storage.sync);
$('statuses').value = current.statuses;
$('autoRetry').checked = current.autoRetry;
$('retryLimit').value = String(current.retryLimit);
$('ignoredSites').value = current.ignoredSites.join('\n');
$('replaceErrorPages').checked = current.replaceErrorPages;
await showHistory();

$('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!parseStatuses($('statuses').value).size) {
    $('saved').textContent = t('options_statuses_invalid');
    $('statuses').focus();
    return;
  }
  const options = repair({
    statuses: $('statuses').value.trim(),
    autoRetry: $('autoRetry').checked,
    retryLimit: Number($('retryLimit').value),
    ignoredSites: $('ignoredSites').value.split('\n'),
    replaceErrorPages: $('replaceErrorPages').checked,
  });
  await webext.storage.sync.set({ options });
  $('saved').textContent = t('options_saved');
});

$('clear-history').addEventListener('click', async (event) => {
  if (!event.isTrusted) return;
  await webext.storage.local.remove('incidents');
  await showHistory();
});
