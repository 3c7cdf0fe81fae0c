// Page Medic's background: watches main-frame loads, asks the core, and shows the overlay.
//
// A main frame's response headers (webRequest) and its DOMContentLoaded (webNavigation) arrive in
// either order (Firefox often delivers the headers last), so each tab keeps what it has seen of
// its current navigation and acts when both are in. The service worker can be stopped at any
// moment: a failing response is also written to storage.session, and the overlay asks for its
// diagnosis by message, so a restarted worker still has what it needs.
import { webext } from '../shared/webext.js';
import { diagnoseEvent } from './core.js';
import { eventFromResponse, isCandidate } from './events.js';

const BROWSER = typeof globalThis.browser?.runtime?.getBrowserInfo === 'function' ? 'firefox' : 'chrome';
const URLS = ['http://*/*', 'https://*/*'];

/** tabId -> { response?: {...}, domReady?: url } for the tab's current main-frame navigation. */
const tabs = new Map();

function tabState(tabId) {
  let state = tabs.get(tabId);
  if (!state) tabs.set(tabId, (state = {}));
  return state;
}

const sessionKey = (tabId) => `failure:${tabId}`;

webext.webNavigation.onBeforeNavigate.addListener(({ tabId, frameId }) => {
  if (frameId !== 0) return;
  tabs.delete(tabId);
  webext.storage.session.remove(sessionKey(tabId));
});

webext.webRequest.onHeadersReceived.addListener(
  (details) => {
    if (details.tabId < 0) return;
    if (!isCandidate(details.statusCode)) {
      tabs.delete(details.tabId);
      return;
    }
    const state = tabState(details.tabId);
    state.response = {
      url: details.url,
      method: details.method,
      status: details.statusCode,
      statusLine: details.statusLine,
      headers: details.responseHeaders ?? [],
    };
    webext.storage.session.set({ [sessionKey(details.tabId)]: state.response });
    if (state.domReady === details.url) showOverlay(details.tabId);
  },
  { urls: URLS, types: ['main_frame'] },
  ['responseHeaders'],
);

webext.webNavigation.onDOMContentLoaded.addListener(({ tabId, frameId, url }) => {
  if (frameId !== 0) return;
  const state = tabState(tabId);
  state.domReady = url;
  if (state.response?.url === url) showOverlay(tabId);
});

webext.tabs.onRemoved.addListener((tabId) => {
  tabs.delete(tabId);
  webext.storage.session.remove(sessionKey(tabId));
});

/** Injects the overlay; it reads the page and asks for its diagnosis (message 'cs-bg-diagnose'). */
async function showOverlay(tabId) {
  const state = tabs.get(tabId);
  if (!state || state.shown) return;
  state.shown = true;
  try {
    await webext.scripting.executeScript({ target: { tabId, frameIds: [0] }, files: ['overlay/overlay.js'] });
  } catch (error) {
    // The tab navigated away or shows a page extensions may not script.
    console.warn('Page Medic: cannot show the overlay', error);
  }
}

const EXTENSION_ORIGIN = webext.runtime.getURL('');

/** The tab's latest diagnosis: memory first, then storage.session (the worker may have restarted). */
async function storedFailure(tabId) {
  const key = sessionKey(tabId);
  return tabs.get(tabId)?.response ?? (await webext.storage.session.get(key))[key];
}

/**
 * Messages by type. `cs-` come from the overlay host in a failed page's main frame; `ui-` from
 * Page Medic's panel (an extension page) in that tab. Nothing else is accepted.
 */
const handlers = {
  async 'cs-bg-diagnose'(message, sender) {
    const tabId = sender.tab.id;
    const response = await storedFailure(tabId);
    if (!response || response.url !== sender.url) return { verdict: 'none' };
    const event = eventFromResponse(response, {
      body: message.body, online: message.online, browser: BROWSER, now: Date.now(), jitter: Math.random(),
    });
    let diagnosis;
    try {
      diagnosis = await diagnoseEvent(event);
    } catch (error) {
      // A core failure must not leave the visitor with nothing: a generic diagnosis instead.
      console.error('Page Medic: the core failed', error);
      diagnosis = { verdict: 'unknown', side: 'unknown', gateway: null, request_id: null, actions: ['retry'] };
    }
    response.diagnosis = diagnosis;
    await webext.storage.session.set({ [sessionKey(tabId)]: response });
    return diagnosis;
  },

  async 'ui-bg-diagnosis'(message, sender) {
    return (await storedFailure(sender.tab.id))?.diagnosis ?? null;
  },

  async 'ui-bg-retry'(message, sender) {
    const tabId = sender.tab.id;
    await webext.tabs.sendMessage(tabId, { type: 'bg-cs-state', state: { state: 'retrying' } }, { frameId: 0 }).catch(() => {});
    await webext.tabs.reload(tabId);
    return true;
  },

  async 'ui-bg-dismiss'(message, sender) {
    await webext.tabs.sendMessage(sender.tab.id, { type: 'bg-cs-close' }, { frameId: 0 });
    return true;
  },
};

function trusted(type, sender) {
  if (sender.id !== webext.runtime.id || !sender.tab) return false;
  if (type.startsWith('cs-')) return sender.frameId === 0 && !sender.url?.startsWith(EXTENSION_ORIGIN);
  if (type.startsWith('ui-')) return Boolean(sender.url?.startsWith(EXTENSION_ORIGIN));
  return false;
}

webext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const type = typeof message?.type === 'string' ? message.type : '';
  const handler = Object.hasOwn(handlers, type) ? handlers[type] : null;
  if (!handler || !trusted(type, sender)) return false;
  handler(message, sender).then(sendResponse, (error) => sendResponse({ error: String(error) }));
  return true;
});
