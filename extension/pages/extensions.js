// Which other extensions can read or change the failed site, and a way to pause one and retry.
// This page is Page Medic's own (another origin than the site): the site can never read the list.
// `management` is an optional permission, asked for in the visitor's click.
import { webext } from '../shared/webext.js';
import { canChange, controlsProxy } from '../shared/extensions.js';
import { $, button, t } from '../shared/ui.js';
import { MSG } from '../shared/messages.js';

const params = new URLSearchParams(location.search);
const host = params.get('host') ?? '';
const tabId = Number(params.get('tab'));
document.documentElement.lang = webext.i18n.getUILanguage();
$('title').textContent = t('extensions_title');
$('why').textContent = t('extensions_why', [host]);
$('show').textContent = t('extensions_show');
$('show').focus();

// Firefox lets extensions turn other extensions off? No: management.setEnabled works only for
// themes there (as of Firefox ESR 153). The visitor turns it off in the Add-ons Manager instead.
const canPause = typeof globalThis.browser?.runtime?.getBrowserInfo !== 'function';

async function list() {
  const all = await webext.management.getAll();
  const mine = all.filter((e) => e.id !== webext.runtime.id && e.type === 'extension' && e.enabled && canChange(e, host));
  $('list').replaceChildren();
  $('result').textContent = mine.length ? t('extensions_found', [String(mine.length)]) : t('extensions_none');
  if (!canPause && mine.length) {
    $('result').textContent += ` ${t('extensions_firefox_how')}`;
    $('ask').hidden = false;
    $('ask').replaceChildren(button(t('extensions_retry'), () => webext.runtime.sendMessage({ type: MSG.uiRetryTab, tabId })));
  }
  for (const e of mine) {
    const li = document.createElement('li');
    li.append(controlsProxy(e) ? `${e.name} (${t('extensions_controls_proxy')}) ` : `${e.name} `);
    $('list').append(li);
    if (!canPause) continue;
    li.append(button(t('extensions_pause'), async (b) => {
      // setEnabled must run in the click; then retry the failed tab.
      await webext.management.setEnabled(e.id, false);
      await webext.runtime.sendMessage({ type: MSG.uiPaused, tabId });
      b.replaceWith(button(t('extensions_resume'), async (again) => {
        await webext.management.setEnabled(e.id, true);
        again.disabled = true;
        again.textContent = t('extensions_resumed');
      }));
      $('result').textContent = t('extensions_paused', [e.name]);
    }));
  }
}

$('show').addEventListener('click', (event) => {
  if (!event.isTrusted) return;
  webext.permissions.request({ permissions: ['management'] }).then((granted) => {
    if (!granted) {
      $('result').textContent = t('extensions_denied');
      return;
    }
    $('ask').hidden = true;
    list();
  }, () => { $('result').textContent = t('extensions_denied'); });
});
