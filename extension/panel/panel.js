// Page Medic's panel: shows the diagnosis the background gives it and sends the visitor's choices
// back. It renders; it does not decide. Everything from the failed site is set as text only.
import { webext } from '../shared/webext.js';

const t = (key) => webext.i18n.getMessage(key) || key;
const localeKey = (id) => String(id).replaceAll('-', '_');
const $ = (id) => document.getElementById(id);

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** A button that acts only on a real person's click or key press. */
function button(label, className, onPress) {
  const b = el('button', label, className);
  b.type = 'button';
  b.addEventListener('click', (event) => {
    if (event.isTrusted) onPress();
  });
  return b;
}

const send = (type, extra = {}) => webext.runtime.sendMessage({ type, ...extra });

function render(d) {
  document.documentElement.lang = webext.i18n.getUILanguage();
  const key = `verdict_${localeKey(d.verdict)}`;
  $('title').textContent = t(key);
  $('detail').textContent = t(`${key}_detail`);
  $('side').textContent = t(`side_${d.side ?? 'unknown'}`);
  const facts = $('facts');
  if (d.gateway?.name) {
    facts.append(el('dt', t('label_gateway')), el('dd', `${d.gateway.name} (${t(`gateway_kind_${localeKey(d.gateway.kind)}`)})`));
  }
  if (d.request_id) facts.append(el('dt', t('label_request_id')), el('dd', d.request_id));

  const retry = button(t('action_retry'), 'primary', () => send('ui-bg-retry'));
  const dismiss = button(t('action_dismiss'), '', () => send('ui-bg-dismiss'));
  $('actions').append(retry, dismiss);
  const card = document.querySelector('.card');
  card.hidden = false;
  card.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') send('ui-bg-dismiss');
  });
  retry.focus();
}

const d = await send('ui-bg-diagnosis').catch(() => null);
render(d?.verdict ? d : { verdict: 'unknown', side: 'unknown' });
