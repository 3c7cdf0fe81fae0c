// The floor under Page Medic's panel: on a server error page, an empty extension frame made at
// document_start (as content/detect.js makes the panel's), and the moment it was on screen (its
// load event, then the next frame, as the panel's `page-medic-painted` mark) left on the host.
(() => {
  const status = performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0;
  if (!(status >= 500) || window.top !== window) return;
  const api = globalThis.browser ?? globalThis.chrome;
  api.runtime.sendMessage({ failed: status }).catch(() => {});
  const XHTML = 'http://www.w3.org/1999/xhtml';
  const host = document.createElementNS(XHTML, 'div');
  host.id = 'empty-frame';
  const frame = document.createElementNS(XHTML, 'iframe');
  frame.style = 'position: fixed; inset: 0; width: 100vw; height: 100vh; border: 0; z-index: 2147483647';
  // With `one-script` in the address's query: a page that loads one script file (see one-script.js).
  frame.src = api.runtime.getURL(location.search.includes('one-script') ? 'one-script.html' : 'empty.html');
  frame.addEventListener('load', () => {
    requestAnimationFrame(() => setTimeout(() => { host.dataset.paintedAt = String(performance.now()); }, 0));
  }, { once: true });
  host.attachShadow({ mode: 'closed' }).append(frame);
  const mount = () => document.documentElement?.append(host);
  if (document.documentElement) mount();
  else new MutationObserver((_, observer) => { if (document.documentElement) { observer.disconnect(); mount(); } }).observe(document, { childList: true });
})();
