// Asks for an optional permission in a page of Page Medic's own, where the browser lets an
// extension ask (Firefox offers no permissions API to the panel inside a web page), then lets the
// background finish what the visitor started.
import { webext } from '../shared/webext.js';
import { t } from '../shared/ui.js';
import { MSG } from '../shared/messages.js';

const params = new URLSearchParams(location.search);
const host = params.get('host') ?? '';
// What each permission Page Medic may ask for here is for, in the visitor's words.
const TEXTS = {
  browsingData: { title: 'grant_title', why: 'grant_why', allow: 'grant_allow', done: 'grant_done', denied: 'clear_denied' },
  notifications: { title: 'grant_title_notify', why: 'grant_why_notify', allow: 'grant_allow_notify', done: 'grant_done_notify', denied: 'notify_denied' },
};
const permission = Object.hasOwn(TEXTS, params.get('permission')) ? params.get('permission') : 'browsingData';
const text = TEXTS[permission];
document.documentElement.lang = webext.i18n.getUILanguage();
document.getElementById('title').textContent = t(text.title);
document.getElementById('why').textContent = t(text.why, [host]);
const allow = document.getElementById('allow');
allow.textContent = t(text.allow);
allow.focus();
allow.addEventListener('click', (event) => {
  if (!event.isTrusted) return;
  // Asked at once, inside the click: browsers allow it only there.
  webext.permissions.request({ permissions: [permission] }).then(async (granted) => {
    document.getElementById('result').textContent = granted ? t(text.done) : t(text.denied);
    if (granted) {
      await webext.runtime.sendMessage({ type: MSG.uiGranted });
      window.close();
    }
  });
});
