// Every real gateway answer the capture rig recorded (tests/fixtures/captured.json) that Page
// Medic watches by default (502, 503, 504; not through a forward proxy), replayed byte for byte
// by a test server into both real browsers: the visitor is told what the fixture expects. The
// fixture test (tests/fixtures.rs) checks the core on the raw answers; this checks the way in
// through each browser — the headers as one fetch of the failed address reads them and the page as the browser
// parsed it (a lighttpd template once lost its telling XML declaration there).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROWSERS, ROOT, closeSite, help, openSite, waitFor } from './harness.js';

const fixture = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/captured.json'), 'utf8'));
const CASES = fixture.cases.filter((c) => [502, 503, 504].includes(c.event.status) && !c.event.via_proxy);
const messages = JSON.parse(readFileSync(join(ROOT, 'extension/_locales/en/messages.json'), 'utf8'));
const headline = (verdict) => messages[`verdict_${verdict.replaceAll('-', '_')}`].message;
// The server sets these for the body it sends.
const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

for (const name of BROWSERS) {
  describe(`captured gateway answers replayed in ${name}`, () => {
    let site;
    before(async () => {
      site = await openSite(name, { nginx: false });
      site.upstream.handler = (req, res) => {
        const c = CASES[Number(req.url.split('/')[1])];
        if (!c) { // the browser's own asks (a favicon)
          res.writeHead(404).end();
          return;
        }
        const headers = c.event.headers.filter(([n]) => !HOP_BY_HOP.has(n.toLowerCase()));
        res.writeHead(c.event.status, c.event.status_text, headers.flat());
        res.end(c.event.body ?? '');
      };
    });
    after(() => closeSite(site));

    it(`says what each of the ${CASES.length} answers means`, async () => {
      assert.ok(CASES.length >= 40, `only ${CASES.length} captured cases to replay`);
      const wrong = [];
      for (const [i, c] of CASES.entries()) {
        await site.page.goto(`http://127.0.0.1:${site.upstream.port}/${i}/page`, { waitUntil: 'domcontentloaded' }).catch(() => null);
        const { frame } = await help(site.page);
        await waitFor(frame, () => document.getElementById('title')?.textContent, { timeout: 10_000 });
        const said = await frame.evaluate(() => document.getElementById('title').textContent);
        if (said !== headline(c.expect.verdict)) wrong.push(`${c.id}: "${said}", expected "${headline(c.expect.verdict)}"`);
      }
      assert.deepEqual(wrong, []);
    });
  });
}
