// The browser's own upgrades of a page's address to https (upgrades.js), as Firefox's webRequest
// reports them: a redirect with no response to the same address over https. webNavigation reports
// apart, so a failure may come before the redirect's report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createUpgrades } from '../../extension/background/upgrades.js';

const HTTP = 'http://a.example/p?q=1';
const HTTPS = 'https://a.example/p?q=1';
const upgrade = (extra = {}) => ({ tabId: 3, url: HTTP, redirectUrl: HTTPS, statusCode: 0, ...extra });
const aborted = { tabId: 3, frameId: 0, url: HTTP, error: 'Error code 2152398850' };

test("a redirect with no response to the same address over https is the browser's upgrade, for its tab", async () => {
  const upgrades = createUpgrades();
  upgrades.heard(upgrade());
  assert.equal(await upgrades.upgradedTo(3, HTTPS), true);
  assert.equal(await upgrades.upgradedTo(3, `${HTTPS}#top`), true, "a tab's address may keep its fragment");
  assert.equal(await upgrades.upgradedTo(4, HTTPS), false, 'another tab');
  assert.equal(await upgrades.upgradedTo(3, 'https://a.example/other'), false, 'another address');
});

test("a site's own redirect (it answered), or one elsewhere, is no upgrade of the browser's", async () => {
  for (const extra of [
    { statusCode: 301 },
    { redirectUrl: 'https://www.a.example/p?q=1' },
    { url: HTTPS, redirectUrl: HTTPS },
    { redirectUrl: 'https://a.example/p' },
  ]) {
    const upgrades = createUpgrades();
    upgrades.heard(upgrade(extra));
    assert.equal(await upgrades.upgradedTo(3, upgrade(extra).redirectUrl), false, JSON.stringify(extra));
  }
});

test("where the http load ended first, the answer waits for the redirect's report, and only for a while", async () => {
  const late = createUpgrades();
  late.ended(aborted);
  const answer = late.upgradedTo(3, HTTPS, 5_000);
  late.heard(upgrade());
  assert.equal(await answer, true, 'the report that came after the failure still counts');

  const site = createUpgrades();
  site.ended(aborted);
  const siteAnswer = site.upgradedTo(3, HTTPS, 5_000);
  site.heard(upgrade({ statusCode: 301 }));
  assert.equal(await siteAnswer, false);

  const none = createUpgrades();
  none.ended(aborted);
  const started = Date.now();
  assert.equal(await none.upgradedTo(3, HTTPS, 50), false, 'no report: no upgrade');
  assert.ok(Date.now() - started < 2_000);

  const unrelated = createUpgrades();
  unrelated.ended({ ...aborted, frameId: 1 });
  unrelated.ended({ ...aborted, url: HTTPS });
  const quick = Date.now();
  assert.equal(await unrelated.upgradedTo(3, HTTPS, 5_000), false, "a subframe's or an https load's end waits for nothing");
  assert.ok(Date.now() - quick < 2_000);
});

test("the tab committing another address, its next redirect or its end forgets the upgrade", async () => {
  const upgrades = createUpgrades();
  upgrades.heard(upgrade());
  upgrades.committed(3, HTTPS);
  assert.equal(await upgrades.upgradedTo(3, HTTPS), true, "the https address's own error page");
  upgrades.committed(3, HTTP);
  assert.equal(await upgrades.upgradedTo(3, HTTPS), false, 'the visitor went on to the http site');
  upgrades.heard(upgrade());
  upgrades.heard(upgrade({ statusCode: 302, url: HTTPS, redirectUrl: 'https://a.example/login' }));
  assert.equal(await upgrades.upgradedTo(3, HTTPS), false);
  upgrades.heard(upgrade());
  upgrades.forget(3);
  assert.equal(await upgrades.upgradedTo(3, HTTPS), false);
});
