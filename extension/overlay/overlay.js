// Page Medic's overlay host, injected into a failed page's main frame by the background.
//
// It reads the page (for the core), asks the background for a diagnosis, and, for a failure, puts
// Page Medic's panel over the page: an extension page in an iframe, inside a closed shadow root.
// The page's scripts can read the host's data-* attributes (the overlay contract) but cannot read
// the panel or press its buttons: it is another origin. The host decides nothing itself.
(() => {
  const webext = globalThis.browser ?? globalThis.chrome;
  const HOST_ID = 'page-medic';

  if (globalThis.pageMedicHost) {
    // Injected again into the same document (a new diagnosis): start over.
    globalThis.pageMedicHost.close(false);
  }

  let host = null;
  let previousFocus = null;

  function setState(d) {
    if (!host) return;
    for (const [key, value] of Object.entries(d)) {
      if (value === undefined || value === null) delete host.dataset[key];
      else host.dataset[key] = String(value);
    }
  }

  function open(d) {
    document.getElementById(HOST_ID)?.remove();
    previousFocus = document.activeElement;
    host = document.createElement('div');
    host.id = HOST_ID;
    setState({ verdict: d.verdict, side: d.side ?? 'unknown', state: 'shown' });
    const root = host.attachShadow({ mode: 'closed' });
    const style = document.createElement('style');
    style.textContent = `
      :host { all: initial; }
      iframe { position: fixed; inset: 0; width: 100vw; height: 100vh; border: 0; margin: 0;
               z-index: 2147483647; background: transparent; color-scheme: normal; }`;
    const frame = document.createElement('iframe');
    frame.src = webext.runtime.getURL('panel/panel.html');
    frame.title = webext.i18n.getMessage('extName');
    frame.allow = 'clipboard-write';
    // The panel moves focus to its primary action once the frame has focus.
    frame.addEventListener('load', () => frame.focus(), { once: true });
    root.append(style, frame);
    document.documentElement.append(host);
  }

  function close(restoreFocus = true) {
    host?.remove();
    host = null;
    if (restoreFocus && previousFocus instanceof HTMLElement) previousFocus.focus();
    webext.runtime.onMessage.removeListener(onMessage);
    delete globalThis.pageMedicHost;
  }

  /** Messages from the background only (the page cannot send these). */
  function onMessage(message, sender) {
    if (sender.id !== webext.runtime.id || sender.tab) return;
    if (message?.type === 'bg-cs-state') setState(message.state);
    if (message?.type === 'bg-cs-close') close();
  }

  globalThis.pageMedicHost = { close };
  webext.runtime.onMessage.addListener(onMessage);

  (async () => {
    // The page as this browser parsed it, with what stands before its root: a doctype, and
    // comments, which is what an XML declaration (`<?xml ...?>`) becomes in an HTML parser.
    // The core reads 64 KiB at most: no more is put together (a page may be huge).
    const parts = [];
    let size = 0;
    for (const node of document.childNodes) {
      if (size >= 65536) break;
      const part = node.nodeType === Node.COMMENT_NODE ? `<!--${node.data}-->`
        : node.nodeType === Node.DOCUMENT_TYPE_NODE ? `<!DOCTYPE ${node.name}>`
          : node.outerHTML ?? '';
      parts.push(part);
      size += part.length + 1;
    }
    const body = parts.join('\n').slice(0, 65536);
    let d;
    try {
      d = await webext.runtime.sendMessage({ type: 'cs-bg-diagnose', body, online: navigator.onLine });
    } catch {
      d = null;
    }
    if (!d?.verdict) d = { verdict: 'unknown', side: 'unknown' };
    if (d.verdict === 'none') return close(false);
    open(d);
  })();
})();
