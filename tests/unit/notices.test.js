// The core's notices in the visitor's words (extension/shared/ui.js): each kind's message from the
// locale, with a time on the visitor's clock or a duration in their units, and the site's text
// passed as a value, never as markup. (That every kind has its words in every locale:
// tests/shell_tables.rs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { englishI18n } from './fakes.js';

const en = englishI18n();
const { noticeTexts } = await import('../../extension/shared/ui.js');

test('planned maintenance with its time says it on the visitor\'s clock, and without one says no time', () => {
  const at = Date.UTC(2026, 11, 1, 14, 30);
  const [text] = noticeTexts([{ kind: 'maintenance', ms: at }], 'en-GB');
  const local = new Date(at);
  const hhmm = `${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`;
  assert.ok(text.startsWith('Planned maintenance — expected back at ') && text.includes(hhmm), text);
  assert.deepEqual(noticeTexts([{ kind: 'maintenance' }]), [en.notice_maintenance.message]);
});

test('durations are said in the largest whole unit', () => {
  assert.match(noticeTexts([{ kind: 'retry-after-far', ms: 259_200_000 }])[0], /for 3 days —/);
  assert.match(noticeTexts([{ kind: 'retry-after-far', ms: 7_200_000 }])[0], /for 2 hours —/);
  const [cached] = noticeTexts([{ kind: 'cached', ms: 45_000, seen: 'x-cache: HIT' }]);
  assert.match(cached, /came from a cache \(x-cache: HIT\).*in 45 seconds/);
  assert.match(noticeTexts([{ kind: 'cached', seen: 'age: 7' }])[0], /came from a cache \(age: 7\), not from the site just now: /);
});

test("a provider's own trouble says who, how many sites, over what time, and where it can", () => {
  const n = { kind: 'provider-incident', seen: 'Cloudflare', count: 3, ms: 300_000 };
  assert.equal(noticeTexts([n])[0], 'Cloudflare itself seems to be having trouble: 3 sites failed through it in this browser in the last 5 minutes.');
  assert.match(noticeTexts([{ ...n, place: 'FRA' }])[0], /last 5 minutes \(its data centre FRA answered\)\.$/);
});

test('a notice without words of its own, or no list at all, breaks nothing', () => {
  assert.deepEqual(noticeTexts([{ kind: 'retry-after-past' }]), [en.notice_retry_after_past.message]);
  assert.deepEqual(noticeTexts(undefined), []);
  assert.deepEqual(noticeTexts([null, { kind: 7 }]), []);
});
