// Addresses as Page Medic keeps and compares them (extension/shared/addresses.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndPath, withoutFragment } from '../../extension/shared/addresses.js';

test('an address keeps its query but not its fragment, for comparing with what webRequest reports', () => {
  assert.equal(withoutFragment('https://shop.example/cart?item=42#pay'), 'https://shop.example/cart?item=42');
  assert.equal(withoutFragment('https://shop.example/cart'), 'https://shop.example/cart');
  assert.equal(withoutFragment('https://shop.example/a#b#c'), 'https://shop.example/a');
});

test("only the site and the path are kept: a query's tokens and the fragment never are", () => {
  assert.equal(siteAndPath('https://shop.example:8443/cart?token=secret#pay'), 'https://shop.example:8443/cart');
  assert.equal(siteAndPath('http://127.0.0.1/'), 'http://127.0.0.1/');
  // The user name and password an address may carry are not the site's.
  assert.equal(siteAndPath('https://me:pw@shop.example/x'), 'https://shop.example/x');
});

test('what is not an address is null, not an exception', () => {
  for (const bad of ['', 'not a url', null, undefined]) assert.equal(siteAndPath(bad), null, String(bad));
});
