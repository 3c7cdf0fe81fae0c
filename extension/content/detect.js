// Page Medic in every page's main frame: a static content script at document_start.
//
// On a healthy page it reads one number, the page's own HTTP status (Navigation Timing's
// responseStatus, which both browsers give for pages from the network, a cache or the site's
// service worker alike), and stops, but for telling the background when the page sends a form.
// No webRequest in Chromium: holding that permission alone made every request of every page
// slower there (docs/performance-notes.md).
//
// On an error page it puts Page Medic's overlay over the page: an extension page (the panel) in an
// iframe, inside a closed shadow root. A status that may get help is covered before the error
// page's first paint; the background asks the core, and the cover goes if the core says no help.
// The page's scripts can read the host's data-* attributes (the overlay contract) but cannot read
// the panel or press its buttons: it is another origin. This script decides nothing itself.
// (A classic script: it spells out its message types, from extension/shared/messages.js; a unit
// test keeps them in step.)
(() => {
  if (window.top !== window) return;
  // The extension's API is not read until a page needs it: Firefox makes a content script's
  // `browser` when it is first read, a cost every healthy page would pay (docs/performance-notes.md).
  const api = () => globalThis.browser ?? globalThis.chrome;

  // A form this page sends by POST: the background is told its address as it goes. Its answer may
  // never come (a network error), and then no page of it can say that it was a form, which is
  // never sent again by itself. 'formdata' is fired for every submission, a script's
  // `form.submit()` included, once the page's own submit handlers let it go; the submit event
  // before it, where there is one, names the button (which may set its own method and target).
  // A form sent into another tab or window is that tab's, not this one's: told as sent elsewhere.
  let submitted = null; // the submit event of this task, if any (a later form.submit() has none)
  // (Only the browser's own events: a page's script may dispatch look-alikes of either.)
  addEventListener('submit', (event) => {
    if (!event.isTrusted) return;
    submitted = event;
    setTimeout(() => { if (submitted === event) submitted = null; });
  }, true);
  addEventListener('formdata', (event) => {
    if (!event.isTrusted) return;
    const form = event.target;
    const submit = submitted?.target === form ? submitted : null;
    submitted = null;
    if (!(form instanceof HTMLFormElement) || submit?.defaultPrevented) return;
    const button = submit?.submitter;
    const method = (button?.hasAttribute('formmethod') ? button.formMethod : form.method).toLowerCase();
    const target = (button?.hasAttribute('formtarget') ? button.formTarget : form.target).toLowerCase();
    const url = button?.hasAttribute('formaction') ? button.formAction : form.action;
    const elsewhere = !['', '_self', '_top', '_parent'].includes(target);
    // One sent by GET in this tab (a search box) is told too: the browser marks its answer as a
    // form's, and it is not one (its fields are the address's query; loading it again sends nothing).
    if (method === 'post' || (method === 'get' && !elsewhere)) {
      api().runtime.sendMessage({ type: 'cs-bg-form', url, elsewhere, method }).catch(() => {});
    }
  }, true);

  const status = performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0;
  if (!(status >= 400)) return;
  const webext = api();

  const HOST_ID = 'page-medic';
  // A page its site sandboxes (CSP `sandbox`, an opaque origin) cannot hold Page Medic's frame: a
  // frame in it is sandboxed too, and an extension page runs nothing there (a blank frame over the
  // page). Its help is Page Medic's own page in the tab instead, where the core lets it take the
  // page's place. So is an SVG document's: no element of another namespace is drawn in it (the
  // overlay would be there, unseen; in both browsers).
  const framable = window.origin !== 'null' && document.contentType !== 'image/svg+xml';
  // Made in the XHTML namespace: in an XML document a plain createElement is no HTML element.
  const XHTML = 'http://www.w3.org/1999/xhtml';
  const make = (tag) => document.createElementNS(XHTML, tag);
  const BODY_LIMIT = 65536; // the core reads no more
  const READ_POLL_MS = 250; // how often a page still arriving is looked at for that much
  const SLOW_READ_MS = 2_000; // a page whose parse has not ended by then is read as far as it got
  const HEAD_WAIT_MS = 2_000; // how long such a page's head is waited for
  // The panel's frame's key, in its address's fragment and in the first report: where the
  // background can, it hands the frame its diagnosis under it (background/handover.js).
  const KEY = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

  let host = null;
  let shadow = null;
  let previousFocus = null;
  let closed = false;
  // Whether the panel runs in its frame: its script says so as it starts. A page its site
  // sandboxes without scripts but with its origin (CSP `sandbox allow-same-origin`) runs no script
  // in any frame of it, Page Medic's included: a frame that loaded and never said so is blank.
  // Its help then goes where it can be shown (`cs-bg-unframed`), once the page got help at all.
  let panelRuns = false;
  let panelWord = null; // the window's listener for that word, taken away with the overlay
  let frameBlank = false;
  let helped = false;
  let movedOn = false;
  const PANEL_SAYS = 'page-medic-panel-runs';
  // A key for the panel (panel/panel.js), to its frame's origin only.
  const PANEL_KEY = 'page-medic-key';
  const PANEL_ORIGIN = new URL(webext.runtime.getURL('')).origin;
  // The panel's word is a message, which may come after its frame's load event: it is looked for
  // once this page has done all it had to do by then (it may be busy parsing a huge page), and
  // some time after the load (the word may come from another process).
  const WORD_WAIT_MS = 500;

  // While the help covers the page, the page's own handlers see no key. The frame is focused as
  // it is added, but a browser may route a key to the page before that focus has reached the
  // frame's process (Chromium, rarely, under load), or a page's script may take focus back: such
  // a key stops here (this listener comes before any of the page's, registered at
  // document_start), and the keyboard goes to the help again. Escape is the help's own key: one
  // that stops here dismisses it, as the panel would have. Enter and Space were meant for the
  // panel's button that has the keyboard, and Tab (with Shift or not) to move from it: the panel
  // is told, naming its frame's key (which the page cannot know), and does so.
  const guardKeys = (event) => {
    if (!host || closed || !event.isTrusted) return;
    event.stopImmediatePropagation();
    event.preventDefault();
    if (event.type !== 'keydown') return;
    if (event.key === 'Escape') return close();
    const frame = shadow?.querySelector('iframe');
    const plain = !event.ctrlKey && !event.altKey && !event.metaKey && !event.repeat;
    if (frame && plain && (event.key === 'Enter' || event.key === ' ' || event.key === 'Tab')) {
      frame.contentWindow?.postMessage({ type: PANEL_KEY, frame: KEY, key: event.key, back: event.shiftKey }, PANEL_ORIGIN);
    }
    if (frame) setTimeout(() => holdKeyboard(frame));
  };
  for (const type of ['keydown', 'keypress', 'keyup']) addEventListener(type, guardKeys, true);

  function unframed() {
    if (!frameBlank || !helped || movedOn || closed) return;
    movedOn = true;
    webext.runtime.sendMessage({ type: 'cs-bg-unframed' }).catch(() => null).then((answer) => {
      // Page Medic's own page takes the tab, or, where it may not, the page is left as it is.
      if (!answer?.inTab) close();
    });
  }

  function setState(d) {
    if (!host) return;
    for (const [key, value] of Object.entries(d)) {
      if (value === undefined || value === null) delete host.dataset[key];
      else host.dataset[key] = String(value);
    }
  }

  /**
   * Puts the host into the document, again if it was taken out: Chromium's XML viewer builds a
   * new tree for an XML document once it is parsed. Before the root element exists (an XML
   * document at document_start) it waits for it.
   */
  function mount() {
    if (closed || !host) return;
    const root = document.documentElement;
    if (root && root !== watchedRoot) {
      // Only the root's own children are watched (not the whole tree: a huge page would cost a
      // record for each of its nodes).
      watchedRoot = root;
      keepMounted.observe(root, { childList: true });
    }
    if (root && !host.isConnected) root.append(host);
  }
  let watchedRoot = null;
  const keepMounted = new MutationObserver(mount);

  function createHost() {
    if (host) return;
    host = make('div');
    host.id = HOST_ID;
    // When the cover went on (the page's clock), beside its first contentful paint in the benchmarks.
    setState({ state: 'checking', coveredAt: Math.round(performance.now()) });
    shadow = host.attachShadow({ mode: 'closed' });
    const style = make('style');
    style.textContent = `
      :host { all: initial; }
      .cover, iframe { position: fixed; inset: 0; width: 100vw; height: 100vh; border: 0; margin: 0;
        z-index: 2147483647; color-scheme: normal; }
      .cover { background: rgb(0 0 0 / 0.45); }
      iframe { background: transparent; }`;
    const cover = make('div');
    cover.className = 'cover';
    shadow.append(style, cover);
    keepMounted.observe(document, { childList: true });
    mount();
  }

  /**
   * Gives the keyboard to the panel's frame, now that its page has come (in Chromium the frame's
   * first focus, given to its blank first document, may not follow it into the panel's process).
   * The frame's window is focused: focusing the element it already is does nothing.
   */
  function holdKeyboard(frame) {
    if (closed || !frame.isConnected) return;
    if (document.activeElement !== host) frame.focus();
    frame.contentWindow?.focus();
  }

  function openPanel() {
    if (!shadow || shadow.querySelector('iframe')) return;
    previousFocus = document.activeElement;
    const frame = make('iframe');
    frame.src = `${webext.runtime.getURL('panel/panel.html')}#${KEY}`;
    frame.title = webext.i18n.getMessage('extName');
    frame.allow = 'clipboard-write';
    panelWord = (event) => {
      if (event.source !== frame.contentWindow || event.data !== PANEL_SAYS) return;
      panelRuns = true;
      holdKeyboard(frame);
    };
    addEventListener('message', panelWord, true);
    frame.addEventListener('load', () => {
      // The panel has its own backdrop. Focus again, in case the page took it meanwhile.
      shadow?.querySelector('.cover')?.remove();
      holdKeyboard(frame);
      if (!panelRuns) {
        setTimeout(() => requestIdleCallback(() => {
          frameBlank = !panelRuns;
          unframed();
        }), WORD_WAIT_MS);
      }
    }, { once: true });
    shadow.append(frame);
    // The keyboard is the help's from the moment it covers the page (the panel may show before
    // its frame's load event; the page's autofocus is skipped). The panel moves focus to its
    // primary action.
    frame.focus();
  }

  /**
   * Takes the overlay away. Where it held the keyboard, the keyboard goes back where the page had
   * it, or else to the field the page asked to have it (its `autofocus`, which the browser skipped
   * while the help held focus).
   */
  function close() {
    closed = true;
    keepMounted.disconnect();
    const heldFocus = Boolean(host) && document.activeElement === host;
    host?.remove();
    host = null;
    webext.runtime.onMessage.removeListener(onMessage);
    if (panelWord) removeEventListener('message', panelWord, true);
    if (!heldFocus) return;
    const back = previousFocus instanceof HTMLElement && previousFocus !== document.body && previousFocus.isConnected
      ? previousFocus
      : document.querySelector('[autofocus]');
    back?.focus?.();
  }

  /** Messages from the background only (the page cannot send these). */
  function onMessage(message, sender) {
    if (sender.id !== webext.runtime.id || sender.tab) return;
    if (message?.type === 'bg-cs-state') setState(message.state);
    if (message?.type === 'bg-cs-close') close();
  }
  webext.runtime.onMessage.addListener(onMessage);

  const RAW_TEXT = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext', 'noscript']);
  const escapeText = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const escapeAttr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

  /**
   * The page as this browser parsed it, as markup, with what stands before its root (a doctype;
   * comments, which is what an XML declaration becomes in an HTML parser) and without Page
   * Medic's host. It stops at the 64 KiB the core reads: a page of any size costs no more.
   */
  function pageText() {
    const parts = [];
    let size = 0;
    const push = (s) => {
      parts.push(s);
      size += s.length;
    };
    const walk = (node, rawText) => {
      if (size >= BODY_LIMIT || node === host) return;
      switch (node.nodeType) {
        case Node.ELEMENT_NODE: {
          const tag = node.localName;
          push(`<${tag}${[...node.attributes].map((a) => ` ${a.name}="${escapeAttr(a.value)}"`).join('')}>`);
          for (const child of node.childNodes) walk(child, RAW_TEXT.has(tag));
          push(`</${tag}>`);
          break;
        }
        case Node.TEXT_NODE:
        case Node.CDATA_SECTION_NODE:
          push(rawText ? node.data : escapeText(node.data));
          break;
        case Node.COMMENT_NODE:
          push(`<!--${node.data}-->`);
          break;
        case Node.PROCESSING_INSTRUCTION_NODE:
          push(`<?${node.target} ${node.data}?>`);
          break;
        case Node.DOCUMENT_TYPE_NODE:
          push(`<!DOCTYPE ${node.name}>\n`);
          break;
        default:
      }
    };
    for (const node of document.childNodes) walk(node, false);
    return parts.join('').slice(0, BODY_LIMIT);
  }

  // Before anything is painted: a server error is covered at once (a blank backdrop, no words
  // yet), and the panel starts loading while the page is still arriving (it waits for its
  // diagnosis). The background says whether this status may get help at all (the visitor's
  // settings): if not, both go; for other statuses the panel comes once it says yes.
  if (status >= 500 && framable) {
    createHost();
    openPanel();
  }
  const early = webext.runtime.sendMessage({ type: 'cs-bg-failed', status, key: KEY }).catch(() => null);
  early.then((answer) => {
    if (closed || !framable) return;
    if (answer?.help === false) return close();
    createHost();
    openPanel();
  });

  /**
   * The failed page's own response head, read back from the browser's HTTP cache, which stored
   * it as the page arrived: its headers name the gateway and the request id. No request reaches
   * the site (`only-if-cached`); a page the site marked `no-store` has none to give (null). In both
   * browsers a content script's fetch of its page's address is same-origin and uses its cache.
   */
  async function cachedHead() {
    try {
      const res = await fetch(location.href, { cache: 'only-if-cached', mode: 'same-origin', credentials: 'include', redirect: 'manual' });
      res.body?.cancel().catch(() => {});
      return { status: res.status, statusText: res.statusText, headers: [...res.headers] };
    } catch {
      return null;
    }
  }

  /**
   * The page's own refresh (`<meta http-equiv="refresh">`, the same as a `Refresh` header): the
   * browser loads the page again, or goes on, by itself. The first one is the one it follows.
   */
  const ownRefresh = () => document.querySelector('meta[http-equiv="refresh" i]')?.getAttribute('content') ?? undefined;

  // Read while the page is still parsed. Where the background has the head from the browser as the
  // page arrives (`webRequest`, which Page Medic holds in Firefox only), only if it helps and says
  // it has none: a fetch whose answer goes unused is work beside the panel's frame. Chromium's
  // background never has it, and there the fetch starts at once: started after the background's
  // answer, it made the help later (docs/performance-notes.md, session 47).
  const head = webext.runtime.getManifest().permissions?.includes('webRequest')
    ? early.then((answer) => (answer?.help === false || answer?.head ? null : cachedHead()))
    : cachedHead();

  /** The page is read once it is parsed; the core's answer keeps the panel or lets go. */
  async function diagnose() {
    const answer = await early;
    if (answer?.help === false) return;
    let d;
    try {
      // Where the background has the page's head already (the browser gave it), none is waited for.
      // (A page still arriving has no head in the cache until all of it is in: it is waited for a
      // little, and then the page is read without it.)
      const ownHead = answer?.head ? null
        : await (document.readyState === 'loading' ? Promise.race([head, new Promise((ok) => setTimeout(ok, HEAD_WAIT_MS, null))]) : head);
      d = await webext.runtime.sendMessage({ type: 'cs-bg-diagnose', status, body: pageText(), refresh: ownRefresh(), online: navigator.onLine, head: ownHead, framable });
    } catch {
      d = null;
    }
    // (A page that cannot hold the frame: the background has taken the tab to Page Medic's page.)
    if (closed || !framable) return;
    if (!d?.verdict) d = { verdict: 'unknown', side: 'unknown' };
    if (d.verdict === 'none') return close();
    createHost();
    setState({ verdict: d.verdict, side: d.side ?? 'unknown', state: 'shown' });
    openPanel();
    helped = true;
    unframed();
  }

  // Read once it is parsed, or, for a long page, as soon as the 64 KiB the core reads are in: a
  // multi-megabyte page's parse can take tens of seconds on a busy machine, or a slow site may
  // still be sending it, while the panel, already over it, waits for its words. Those are the
  // 64 KiB it would read later, the page only growing after them (but for the closing tags of
  // elements still open, where they fall under the cut). A shorter page whose parse has not ended
  // 2 s after this script began is read as far as it got: its parse waits for a script of its
  // site that does not come (a struggling site's assets often hang with it), or its site sends it
  // slowly, and the help should not wait on either.
  const began = performance.now();
  let reading = false;
  const read = () => {
    if (reading) return;
    reading = true;
    diagnose();
  };
  const readEnough = () => {
    if (reading || closed || document.readyState !== 'loading') return;
    if (pageText().length >= BODY_LIMIT || performance.now() - began >= SLOW_READ_MS) read();
    else setTimeout(readEnough, READ_POLL_MS);
  };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', read, { once: true });
    setTimeout(readEnough, READ_POLL_MS);
  } else read();

  // Restored from the back/forward cache, overlay and all: the background forgot this failure when
  // the tab moved on, so the page reports it again (the panel's countdown goes on where it was).
  addEventListener('pageshow', (event) => {
    if (!event.persisted || closed) return;
    webext.runtime.sendMessage({ type: 'cs-bg-failed', status }).then((answer) => {
      if (answer?.help === false) return close();
      return cachedHead().then((head) => webext.runtime.sendMessage({ type: 'cs-bg-diagnose', status, body: pageText(), refresh: ownRefresh(), online: navigator.onLine, head }));
    }).catch(() => {});
  });
})();
