// A network error's page (error-pages.js), with fakes for the core and the browser: it does what
// the core's diagnosis says, asks the site only where the core asks, and never loops on Back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createErrorPages } from '../../extension/background/error-pages.js';

const URL_ = 'https://shop.example/cart';
const refused = { tabId: 3, frameId: 0, url: URL_, error: 'net::ERR_CONNECTION_REFUSED' };

function setup({ diagnosis = {}, again = null, form = false, previous = null, ignored = false, answer = null, upgraded = false, name = null, viaProxy = false, proxySignIn = false } = {}) {
  const saved = [];
  const shown = [];
  const looked = [];
  const events = [];
  const marked = [];
  const onError = createErrorPages({
    upgradedTo: async (tabId, url) => upgraded && tabId === 3 && url === URL_,
    leavesAlone: async () => ignored,
    isForm: async () => form,
    toldOf: async (tabId, url, error) => (tabId === 3 && url === URL_ && error.startsWith('Error code ') ? { name, viaProxy, proxySignIn } : { name: null, viaProxy: false, proxySignIn: false }),
    blockersOf: async () => null,
    facts: () => ({ online: true, browser: 'chrome', now: 1000, jitter: 0.5 }),
    diagnose: async (event) => {
      events.push(event);
      const base = { verdict: 'connection-failed', help: true, replace_error_page: true, ask_site: false, ...diagnosis };
      return event.status && again ? { ...base, ...again } : base;
    },
    look: async (url) => { looked.push(url); return answer; },
    lookWaitMs: 100,
    failures: { load: async () => previous, save: async (tabId, failure) => saved.push([tabId, failure]) },
    record: async () => {},
    showDiagnosisPage: async (tabId) => shown.push(tabId),
    markKept: async (tabId) => marked.push(tabId),
  });
  return { onError, saved, shown, looked, events, marked };
}

test("a refused connection: the failure is stored, then Page Medic's page takes the browser's place", async () => {
  const { onError, saved, shown, looked, marked } = setup();
  assert.equal(await onError(refused), 'replaced');
  assert.deepEqual(marked, [], "Page Medic's own page explains it: no mark");
  assert.equal(saved.length, 1);
  assert.equal(saved[0][1].shownDiagnosisPage, true);
  assert.equal(saved[0][1].at, 1000, "the failure's own time");
  assert.deepEqual(shown, [3]);
  assert.deepEqual(looked, [], 'the site is not asked where the core does not ask');
});

test("the browser's page stays where the core says so (a security warning, the visitor's choice), stored for the popup", async () => {
  const { onError, saved, shown, marked } = setup({ diagnosis: { verdict: 'tls-failure', replace_error_page: false } });
  assert.equal(await onError({ ...refused, error: 'net::ERR_CERT_AUTHORITY_INVALID' }), 'kept');
  assert.equal(saved[0][1].shownDiagnosisPage, false);
  assert.deepEqual(shown, []);
  assert.deepEqual(marked, [3], "the toolbar button says the popup explains it");
});

test('no help, a subframe, another scheme or a site the visitor leaves alone: nothing happens', async () => {
  for (const [options, details] of [
    [{ diagnosis: { help: false } }, refused],
    [{}, { ...refused, frameId: 2 }],
    [{}, { ...refused, url: 'ftp://shop.example/' }],
    [{ ignored: true }, refused],
  ]) {
    const { onError, saved, shown } = setup(options);
    assert.equal(await onError(details), null, JSON.stringify(details));
    assert.deepEqual([saved, shown], [[], []]);
  }
  const { onError, events } = setup({ ignored: true });
  await onError(refused);
  assert.equal(events.length, 0, 'a site left alone is not even diagnosed');
});

test('Back to an address Page Medic already took the visitor from leaves the browser\'s page (no loop); a retry of its own does not', async () => {
  const previous = { url: URL_, shownDiagnosisPage: true, retrying: false, tried: [] };
  assert.equal(await setup({ previous }).onError(refused), null);
  const retrying = setup({ previous: { ...previous, retrying: true, tried: ['retry'] } });
  assert.equal(await retrying.onError(refused), 'replaced');
  assert.deepEqual(retrying.saved[0][1].tried, ['retry'], 'what was tried is kept across its own retry');
});

test('where the core asks for the hidden answer, one look, and the core diagnoses again with it; never for a form', async () => {
  const answer = { status: 502, statusText: 'Bad Gateway', headers: [['server', 'caddy']] };
  const asked = setup({ diagnosis: { verdict: 'unknown', ask_site: true }, again: { verdict: 'origin-down' }, answer });
  assert.equal(await asked.onError({ ...refused, error: 'net::ERR_HTTP_RESPONSE_CODE_FAILURE' }), 'replaced');
  assert.deepEqual(asked.looked, [URL_]);
  assert.equal(asked.events.length, 2);
  assert.equal(asked.events[1].status, 502);
  assert.equal(asked.saved[0][1].diagnosis.verdict, 'origin-down');

  const form = setup({ diagnosis: { verdict: 'unknown', ask_site: true }, again: { verdict: 'origin-down' }, answer, form: true });
  await form.onError({ ...refused, error: 'net::ERR_HTTP_RESPONSE_CODE_FAILURE' });
  assert.deepEqual(form.looked, [], 'a form is never requested again');
  assert.equal(form.saved[0][1].diagnosis.verdict, 'unknown');
});

test("a look that failed too (a service worker's failure, the site down) is told to the core; one that answered well is not", async () => {
  const diagnose = { diagnosis: { verdict: 'unknown', ask_site: true } };
  const failedWorker = { ...refused, error: 'net::ERR_FAILED' };
  const down = setup({ ...diagnose, answer: { answered: false, error: 'Failed to fetch' } });
  await down.onError(failedWorker);
  assert.deepEqual(down.looked, [URL_]);
  assert.equal(down.events.length, 2);
  assert.equal(down.events[1].look_failed, true);
  assert.equal(down.events[1].status, undefined, 'no status: the look had no answer');
  assert.equal(down.events[0].look_failed, undefined, 'the first event says nothing of a look');

  for (const answer of [{ answered: true, status: 200, headers: [] }, null]) {
    const other = setup({ ...diagnose, answer });
    await other.onError(failedWorker);
    assert.equal(other.events.length, 1, `no second diagnosis for ${JSON.stringify(answer)}`);
  }
});

test("the browser's own upgrade of the address to https is told to the core; the core's choice to keep its page holds", async () => {
  const kept = setup({ upgraded: true, diagnosis: { replace_error_page: false } });
  assert.equal(await kept.onError(refused), 'kept');
  assert.equal(kept.events[0].upgraded, true);
  assert.deepEqual(kept.shown, [], "HTTPS-Only's page stays");
  const asked = setup();
  await asked.onError(refused);
  assert.equal(asked.events[0].upgraded, undefined, 'an address the visitor asked for says nothing of an upgrade');
});

test('one failed load reported twice (Firefox, a few ms apart) is one failure: one record, one page shown', async () => {
  const { onError, saved, shown } = setup();
  const [first, second] = await Promise.all([onError({ ...refused, timeStamp: 5000 }), onError({ ...refused, timeStamp: 5014 })]);
  assert.deepEqual([first, second], ['replaced', null]);
  assert.equal(saved.length, 1);
  assert.deepEqual(shown, [3]);
  // Another tab's failure of the same address at the same moment is its own; so is this tab's
  // next load that fails, later.
  assert.equal(await onError({ ...refused, tabId: 4, timeStamp: 5020 }), 'replaced');
  assert.equal(await onError({ ...refused, timeStamp: 7000 }), 'replaced');
  assert.deepEqual(shown, [3, 4, 3]);
});

test('another error for the same address just before (an aborted load) is its own report: the failure after it is helped', async () => {
  const { onError, shown } = setup();
  assert.equal(await onError({ ...refused, error: 'Error code 2152398850', timeStamp: 5000 }), 'replaced');
  assert.equal(await onError({ ...refused, error: 'Error code 2152398861', timeStamp: 5046 }), 'replaced');
  assert.deepEqual(shown, [3, 3]);
});

test("an error Firefox gave as a number goes to the core with its name, and the failure keeps the error as the core tells it", async () => {
  const { onError, saved, events } = setup({ name: 'NS_ERROR_CONNECTION_REFUSED', diagnosis: { error: 'as the core tells it' } });
  assert.equal(await onError({ ...refused, error: 'Error code 2152398861' }), 'replaced');
  assert.equal(events[0].error, 'Error code 2152398861');
  assert.equal(events[0].error_name, 'NS_ERROR_CONNECTION_REFUSED');
  assert.equal(saved[0][1].error, 'as the core tells it');
  const kept = setup({ name: 'NS_ERROR_NET_TIMEOUT', diagnosis: { replace_error_page: false, error: 'told' } });
  assert.equal(await kept.onError({ ...refused, error: 'Error code 2152398862' }), 'kept');
  assert.equal(kept.saved[0][1].error, 'told', 'for the popup too');
  const named = setup({ name: 'NS_ERROR_CONNECTION_REFUSED' });
  await named.onError(refused);
  assert.equal(named.events[0].error_name, undefined, 'a name needs none');
  assert.equal(named.saved[0][1].error, 'net::ERR_CONNECTION_REFUSED', 'a core that told none: the error as it came');
});

test("what the browser told of the load (through its proxy; that proxy asked the visitor to sign in) goes to the core as such, and only then", async () => {
  for (const [told, field, name, error] of [
    ['viaProxy', 'via_proxy', 'NS_ERROR_NET_RESET', 'Error code 2152398868'],
    ['proxySignIn', 'proxy_sign_in', 'NS_ERROR_PROXY_CONNECTION_REFUSED', 'Error code 2152398920'],
  ]) {
    const said = setup({ name, [told]: true });
    await said.onError({ ...refused, error });
    assert.equal(said.events[0][field], true, field);
    const unsaid = setup({ name });
    await unsaid.onError({ ...refused, error });
    assert.equal(unsaid.events[0][field], undefined, field);
  }
});
