// What the shell does when the core fails (a bug, a wasm that would not start): it must not leave
// the visitor with nothing, nor stop working for the next failure. Plain, so Node tests run it.

/** The diagnosis shown when the core failed: it does not know why; the visitor may retry. */
export const UNKNOWN = Object.freeze({
  verdict: 'unknown', help: true, replace_error_page: false, repeatable: false, side: 'unknown', gateway: null, request_id: null, transient: true,
  retry: Object.freeze({ auto: false, after_ms: null, reason: 'gave-up' }), actions: Object.freeze(['retry']), evidence: Object.freeze([]),
});

/** `diagnose` that never throws: a failure is logged and answered with {@link UNKNOWN}. */
export function guarded(diagnose, log = console.error) {
  return async (event) => {
    try {
      return await diagnose(event);
    } catch (error) {
      log('Page Medic: the core failed; showing a generic diagnosis', error);
      return structuredClone({ ...UNKNOWN, retry: { ...UNKNOWN.retry }, actions: [...UNKNOWN.actions], evidence: [] });
    }
  };
}
