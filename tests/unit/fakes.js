// Stand-ins for the browser's storage areas and its i18n, for unit tests of the shell's plain modules.
import { readFileSync } from 'node:fs';

/** A storage area (storage.local/session/sync) kept in memory, copying values as browsers do. */
export function memoryStorage(initial = {}) {
  const data = structuredClone(initial);
  return {
    data,
    async get(key) {
      if (key == null) return structuredClone(data);
      const keys = Array.isArray(key) ? key : [key];
      return Object.fromEntries(keys.filter((k) => k in data).map((k) => [k, structuredClone(data[k])]));
    },
    async set(items) { Object.assign(data, structuredClone(items)); },
    async remove(key) { for (const k of Array.isArray(key) ? key : [key]) delete data[k]; },
  };
}

/**
 * The English locale's messages, with `chrome.i18n` installed as the browsers give it to the
 * extension's pages ($1.. replaced by the substitutions), for unit tests of what the pages say.
 */
export function englishI18n() {
  const en = JSON.parse(readFileSync(new URL('../../extension/_locales/en/messages.json', import.meta.url), 'utf8'));
  globalThis.chrome = {
    i18n: {
      getUILanguage: () => 'en-US',
      getMessage: (key, subs = []) => en[key]?.message.replace(/\$(\d)/g, (_, n) => subs[n - 1] ?? '') ?? '',
    },
  };
  return en;
}
