// Whether another extension can read or change a site, from what management.getAll() reports.
// A plain function of its arguments, so Node tests can call it.

/** Match patterns (https://developer.chrome.com/docs/extensions/develop/concepts/match-patterns). */
export function patternMatchesHost(pattern, host) {
  if (pattern === '<all_urls>') return true;
  const m = /^(\*|https?|wss?|ftp|file):\/\/([^/]*)\//.exec(pattern);
  if (!m) return false;
  const patternHost = m[2].replace(/:\d+$/, '');
  if (patternHost === '*') return true;
  if (patternHost.startsWith('*.')) return host === patternHost.slice(2) || host.endsWith(patternHost.slice(1));
  return host === patternHost;
}

/** Extensions that may set this browser's proxy (the browser does not say which one does). */
export const controlsProxy = (extension) => (extension.permissions ?? []).includes('proxy');

/** Extensions that could block a page of the site: blocking rules, or host access to it. */
export function canBlock(extension, host) {
  const perms = extension.permissions ?? [];
  return (extension.hostPermissions ?? []).some((p) => patternMatchesHost(p, host))
    || ['declarativeNetRequest', 'declarativeNetRequestWithHostAccess', 'webRequestBlocking'].some((p) => perms.includes(p));
}

/** Extensions that could block the site's pages, or set the proxy. */
export const canChange = (extension, host) => canBlock(extension, host) || controlsProxy(extension);
