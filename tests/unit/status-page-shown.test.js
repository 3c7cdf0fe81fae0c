// What the site's status page says, shown (extension/shared/ui.js `showStatusPage`, used by the
// panel and the popup): its level in the visitor's words with the page's own description, its
// incidents and maintenance, a link only to a web address, and a plain sentence when the page
// could not be read. The page's text is set as text, never as markup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { englishI18n } from './fakes.js';

const en = englishI18n();
// Elements that keep only what is set on them: text, attributes, children.
const element = () => ({
  textContent: '', hidden: false, href: '', children: [], attrs: {},
  setAttribute(name, value) { this.attrs[name] = value; },
  append(...nodes) { this.children.push(...nodes); },
  replaceChildren(...nodes) { this.children = nodes; },
});
globalThis.document = { createElement: (tag) => ({ ...element(), tag }) };
const { showStatusPage } = await import('../../extension/shared/ui.js');

const parts = () => ({ summary: element(), items: element(), link: element() });

test('an outage with an incident and maintenance: the level, the page\'s words, each item and the link', () => {
  const shown = parts();
  shown.items.append('left over from an earlier check');
  showStatusPage({
    ok: true, page: 'https://status.shop.example/', level: 'major', description: '<b>Partial</b> outage',
    incidents: [{ name: 'Checkout <script>', status: 'investigating', since: Date.UTC(2026, 11, 1, 9) }],
    maintenances: [{ name: 'DB upgrade', from: Date.UTC(2026, 11, 1, 10), until: Date.UTC(2026, 11, 1, 11) }],
  }, shown, 'en-GB');
  assert.equal(shown.summary.textContent, 'The status page (status.shop.example) reports a major outage. (“<b>Partial</b> outage”)');
  assert.deepEqual(shown.items.children.map((li) => [li.tag, li.textContent.split(' — ')[0]]), [['li', 'Incident: Checkout <script>'], ['li', 'Maintenance: DB upgrade']]);
  assert.equal(shown.link.href, 'https://status.shop.example/');
  assert.equal(shown.link.textContent, 'Open the status page (status.shop.example)');
  assert.equal(shown.link.hidden, false);
});

test('an unreachable or malformed page, or none at all, is said plainly, with no link', () => {
  for (const [result, key] of [
    [{ ok: false, problem: 'unreachable', page: 'https://status.shop.example/' }, 'status_page_unreachable'],
    [{ ok: false, problem: 'malformed', page: 'https://status.shop.example/' }, 'status_page_malformed'],
    [null, 'status_page_unreachable'],
  ]) {
    const shown = parts();
    showStatusPage(result, shown, 'en-GB');
    assert.equal(shown.summary.textContent, en[key].message.replace('$1', result ? 'status.shop.example' : ''));
    assert.equal(shown.link.hidden, true);
  }
});

test('a page that is not a web address gets no link', () => {
  const shown = parts();
  showStatusPage({ ok: true, page: 'javascript:alert(1)', level: 'none', incidents: [], maintenances: [] }, shown, 'en-GB');
  assert.equal(shown.link.hidden, true);
  assert.equal(shown.link.href, '');
});
