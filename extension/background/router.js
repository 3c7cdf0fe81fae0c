// Which messages the background accepts, from whom, and who handles each. `cs-` messages come from
// a failed page's own content script (its main frame, never an extension page); `ui-` from Page
// Medic's pages inside a tab (the panel, its own windows); `popup-` from the toolbar popup (an
// extension page in no tab). Anything else, or from anyone else, is not answered. Plain, so Node
// tests can run it with fake senders.

/** Whether `sender` may send a message of `type` (`id` and `origin`: this extension's). */
export function trusted(type, sender, { id, origin }) {
  if (sender?.id !== id) return false;
  const fromExtensionPage = Boolean(sender.url?.startsWith(origin));
  if (type.startsWith('popup-')) return !sender.tab && fromExtensionPage;
  if (!sender.tab) return false;
  if (type.startsWith('cs-')) return sender.frameId === 0 && !fromExtensionPage;
  if (type.startsWith('ui-')) return fromExtensionPage;
  return false;
}

/**
 * The runtime.onMessage listener: a trusted message goes to its handler (`handlers[type]`, an
 * async function of the message and the sender), whose answer, or error, is sent back.
 */
export function createRouter(handlers, { id, origin }) {
  return (message, sender, sendResponse) => {
    const type = typeof message?.type === 'string' ? message.type : '';
    const handler = Object.hasOwn(handlers, type) ? handlers[type] : null;
    if (!handler || !trusted(type, sender, { id, origin })) return false;
    handler(message, sender).then(sendResponse, (error) => sendResponse({ error: String(error) }));
    return true;
  };
}
