// Stand-ins for the browser's storage areas, for unit tests of the shell's plain modules.

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
