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
export function button(label, onPress, className = '') {
  const b = el('button', label, { type: 'button', class: className });
  b.addEventListener('click', (event) => {
    if (event.isTrusted) onPress(b);
  });
  return b;
}
