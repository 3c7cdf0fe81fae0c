// Asks for an optional permission in a page of Page Medic's own, where the browser lets an
// extension ask (Firefox offers no permissions API to the panel inside a web page), then lets the
// background finish what the visitor started.
import { webext } from '../shared/webext.js';
import { t } from '../shared/ui.js';

const params = new URLSearchParams(location.search);
const host = params.get('host') ?? '';
document.documentElement.lang = webext.i18n.getUILanguage();
document.getElementById('title').textContent = t('grant_title');
document.getElementById('why').textContent = t('grant_why', [host]);
const allow = document.getElementById('allow');
allow.textContent = t('grant_allow');
allow.focus();
allow.addEventListener('click', (event) => {
  if (!event.isTrusted) return;
  // Asked at once, inside the click: browsers allow it only there.
  webext.permissions.request({ permissions: ['browsingData'] }).then(async (granted) => {
    document.getElementById('result').textContent = granted ? t('grant_done') : t('clear_denied');
    if (granted) {
      await webext.runtime.sendMessage({ type: 'ui-bg-granted' });
      window.close();
    }
  });
});
