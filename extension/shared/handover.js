// A finished diagnosis handed to its panel without a message (background/handover.js gives, the
// panel takes): an item of the extension origin's localStorage under the panel frame's key.

/** Where each item is stored: this prefix and the frame's key. */
export const HANDOVER_PREFIX = 'handover:';

/** A frame's key: 32 hex digits, made by the failed page's content script. */
export const isHandoverKey = (key) => typeof key === 'string' && /^[0-9a-f]{32}$/.test(key);

/** The item handed over under `key`, taken (removed) as it is read; null where none waits. */
export function takeHandover(storage, key) {
  if (!storage || !isHandoverKey(key)) return null;
  try {
    const item = storage.getItem(HANDOVER_PREFIX + key);
    if (item === null) return null;
    storage.removeItem(HANDOVER_PREFIX + key);
    return JSON.parse(item);
  } catch {
    return null; // (storage refused, or an item that is not ours: the panel asks)
  }
}
