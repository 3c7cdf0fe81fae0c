// Addresses as Page Medic keeps and compares them. Used by the background and the panel.

/** An address without its fragment (webRequest never has one; a tab's or a page's own may). */
export const withoutFragment = (url) => String(url).split('#')[0];

/**
 * An address's site and path only, without query string and fragment (what may be kept or sent
 * on: never a query's tokens); null for what is not an address.
 */
export function siteAndPath(url) {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return null;
  }
}
