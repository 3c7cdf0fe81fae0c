// The site's status page (background/status-page.js) with a fake fetch: one request to the
// address the core chose, without cookies or redirects; a Statuspage summary read to what the
// panel shows; an unreachable or malformed page said plainly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readStatusPage } from '../../extension/background/status-page.js';

const WHERE = ['https://status.shop.example/', 'https://status.shop.example/api/v2/summary.json'];
const level = async (indicator) => ({ none: 'operational', major: 'major' })[indicator] ?? 'unknown';

function answering(body, { status = 200 } = {}) {
  const asked = [];
  const fetchImpl = async (url, init) => {
    asked.push({ url, init });
    return { ok: status >= 200 && status < 300, status, text: async () => (typeof body === 'string' ? body : JSON.stringify(body)) };
  };
  return { asked, fetchImpl };
}

test('reads a Statuspage summary: its indicator, open incidents and maintenance, as text', async () => {
  const { asked, fetchImpl } = answering({
    page: { name: 'Shop', url: 'https://status.shop.example' },
    status: { indicator: 'major', description: 'Partial System Outage' },
    incidents: [
      { name: 'Checkout errors', status: 'investigating', impact: 'major', created_at: '2026-12-01T13:58:00.000Z' },
      { name: 'Old one', status: 'resolved', impact: 'minor', created_at: '2026-11-01T00:00:00Z' },
      '<script>alert(1)</script>',
    ],
    scheduled_maintenances: [
      { name: 'Database upgrade', status: 'scheduled', scheduled_for: '2026-12-02T02:00:00Z', scheduled_until: '2026-12-02T04:00:00Z' },
      { name: 'Done', status: 'completed' },
    ],
  });
  const result = await readStatusPage(WHERE, { fetchImpl, level });
  assert.deepEqual(asked.map((a) => a.url), [WHERE[1]], 'one request, to the summary the core chose');
  assert.equal(asked[0].init.credentials, 'omit', 'no cookies');
  assert.equal(asked[0].init.redirect, 'error', 'no redirect elsewhere');
  assert.deepEqual(result, {
    ok: true, page: WHERE[0], level: 'major', description: 'Partial System Outage',
    incidents: [{ name: 'Checkout errors', status: 'investigating', impact: 'major', since: Date.parse('2026-12-01T13:58:00.000Z') }],
    maintenances: [{ name: 'Database upgrade', status: 'scheduled', from: Date.parse('2026-12-02T02:00:00Z'), until: Date.parse('2026-12-02T04:00:00Z') }],
  });
});

test('an unreachable, failing or malformed status page is said plainly', async () => {
  const refused = async () => { throw new TypeError('Failed to fetch'); };
  assert.deepEqual(await readStatusPage(WHERE, { fetchImpl: refused, level }), { ok: false, page: WHERE[0], problem: 'unreachable' });
  assert.equal((await readStatusPage(WHERE, { ...answering('nope', { status: 404 }), level })).problem, 'unreachable');
  for (const body of ['<html>Status</html>', '{"status":{}}', 'null', '[]', '{"status":{"indicator":7}}']) {
    assert.equal((await readStatusPage(WHERE, { ...answering(body), level })).problem, 'malformed', body);
  }
  const huge = JSON.stringify({ status: { indicator: 'none' }, pad: 'x'.repeat(1 << 20) });
  assert.equal((await readStatusPage(WHERE, { ...answering(huge), level })).problem, 'malformed', 'more than 1 MiB is not read');
});
