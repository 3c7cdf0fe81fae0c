// Which other extensions can change a site (its pages, or the proxy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canChange, patternMatchesHost } from '../../extension/shared/extensions.js';

test('extensions that can change a site', () => {
  assert.equal(patternMatchesHost('<all_urls>', 'a.example'), true);
  assert.equal(patternMatchesHost('*://*.example/*', 'shop.a.example'), true, 'any depth of subdomain');
  assert.equal(patternMatchesHost('*://*.example.org/*', 'a.example'), false);
  assert.equal(patternMatchesHost('*://*.a.example/*', 'shop.a.example'), true);
  assert.equal(patternMatchesHost('https://a.example/*', 'b.example'), false);
  assert.equal(canChange({ hostPermissions: [], permissions: ['declarativeNetRequest'] }, 'a.example'), true);
  assert.equal(canChange({ hostPermissions: ['https://b.example/*'], permissions: [] }, 'a.example'), false);
  assert.equal(canChange({ hostPermissions: [], permissions: ['proxy'] }, 'a.example'), true, 'a proxy-setting extension can reroute any site');
});
