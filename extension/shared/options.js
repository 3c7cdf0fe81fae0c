// Page Medic's settings: defaults, reading (with repair of bad stored values) and the statuses
// list's syntax. Settings sync through storage.sync. Plain functions of their arguments.

export const DEFAULTS = Object.freeze({
  statuses: '502, 503, 504, 520-530',
  autoRetry: true,
  retryLimit: 30,
  ignoredSites: [],
  replaceErrorPages: true,
});

/** "502, 503, 520-530" -> Set of numbers; invalid parts are dropped. */
export function parseStatuses(text) {
  const out = new Set();
  for (const part of String(text ?? '').split(/[\s,]+/)) {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(part);
    if (!m) continue;
    const lo = Number(m[1]);
    const hi = Number(m[2] ?? m[1]);
    for (let s = Math.max(100, lo); s <= Math.min(599, hi); s += 1) out.add(s);
  }
  return out;
}

/** Stored settings made whole: missing or malformed values fall back to the defaults. */
export function repair(stored) {
  const s = stored && typeof stored === 'object' ? stored : {};
  const fixed = {
    statuses: typeof s.statuses === 'string' && parseStatuses(s.statuses).size ? s.statuses : DEFAULTS.statuses,
    autoRetry: typeof s.autoRetry === 'boolean' ? s.autoRetry : DEFAULTS.autoRetry,
    retryLimit: Number.isInteger(s.retryLimit) && s.retryLimit >= 0 && s.retryLimit <= 100 ? s.retryLimit : DEFAULTS.retryLimit,
    ignoredSites: Array.isArray(s.ignoredSites) ? s.ignoredSites.filter((h) => typeof h === 'string' && h.trim()).map((h) => h.trim().toLowerCase()) : [],
    replaceErrorPages: typeof s.replaceErrorPages === 'boolean' ? s.replaceErrorPages : DEFAULTS.replaceErrorPages,
  };
  return fixed;
}

/**
 * The visitor's choices as the core takes them for every decision: the statuses they want help
 * with, their limit on automatic retries, whether Page Medic retries by itself, whether it may
 * take the place of the browser's error pages, and the sites it leaves alone.
 */
export function choicesOf(options) {
  return {
    statuses: [...parseStatuses(options.statuses)], retry_limit: options.retryLimit,
    auto_retry: options.autoRetry, replace_error_pages: options.replaceErrorPages,
    ignored_sites: options.ignoredSites.join('\n'),
  };
}

/** The visitor's settings; stored values that had to be repaired are logged (and not rewritten). */
export async function loadOptions(storage, log = console.warn) {
  const stored = await storage.get('options').catch(() => ({}));
  const options = repair(stored?.options);
  if (stored?.options !== undefined && JSON.stringify(options) !== JSON.stringify(stored.options)) {
    log('Page Medic: stored settings were damaged or old; using repaired ones', { stored: stored.options, options });
  }
  return options;
}
