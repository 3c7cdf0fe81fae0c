//! What a site is, for telling sites apart: an address's host and its registrable domain, and
//! where that site's own status page would be.

/// The host of an absolute URL (no user, no port; an IPv6 literal without its brackets).
pub fn host_of(url: &str) -> &str {
    // (Bytes: see `crate::find_bytes`. Every cut is at an ASCII byte.)
    let b = url.as_bytes();
    let start = crate::find_bytes(b, b"://").map_or(0, |at| at + 3);
    let rest = &b[start..];
    let authority = &rest[..rest.iter().position(|c| matches!(c, b'/' | b'?' | b'#')).unwrap_or(rest.len())];
    let host = &authority[authority.iter().rposition(|&c| c == b'@').map_or(0, |at| at + 1)..];
    let host = match host.strip_prefix(b"[") {
        Some(v6) => &v6[..v6.iter().position(|&c| c == b']').unwrap_or(v6.len())],
        None => &host[..host.iter().position(|&c| c == b':').unwrap_or(host.len())],
    };
    std::str::from_utf8(host).unwrap_or_default()
}

/// The site a host belongs to: an IP address is a site of its own; a name counts by its last two
/// labels (shop.example.com and api.example.com are one site). Without the Public Suffix List,
/// two sites under one public suffix of two labels (a.co.uk, b.co.uk) count as one: for telling
/// sites apart the count can only be low, never high; and a status page is only ever looked for
/// under the name the site's own address ends with.
pub fn site_of(host: &str) -> &str {
    let host = host.trim_end_matches('.');
    let b = host.as_bytes();
    if b.contains(&b':') || b.iter().all(|c| c.is_ascii_digit() || *c == b'.') {
        return host;
    }
    let last = b.iter().rposition(|&c| c == b'.');
    match last.and_then(|last| b[..last].iter().rposition(|&c| c == b'.')) {
        Some(second) => host.get(second + 1..).unwrap_or(host),
        None => host,
    }
}

/// Where the site of `url` keeps its status page, and where that page's Statuspage summary
/// would be (`/api/v2/summary.json` at its origin): a `Link: <…>; rel="status"` of the failed
/// response (RFC 8631) on the site's own domain, else `https://status.<site>/`, the name status
/// pages are commonly given. Never another site's address: a link elsewhere is not followed, and
/// there is no guess for an IP address or a name of one label.
pub fn status_page(url: &str, links: &[&str]) -> Option<(String, String)> {
    let site = site_of(host_of(url));
    // (Bytes: see `crate::find_bytes`. Plain loops: iterator adapters cost the wasm more.)
    let mut linked = None;
    for link in links.iter().flat_map(|v| v.as_bytes().split(|&c| c == b',')) {
        let Some(link) = link.trim_ascii().strip_prefix(b"<") else { continue };
        let Some(end) = link.iter().position(|&c| c == b'>') else { continue };
        let rel = link[end + 1..].split(|&c| c == b';').map(<[u8]>::trim_ascii);
        let is_status = rel.into_iter().any(|p| p.eq_ignore_ascii_case(b"rel=status") || p.eq_ignore_ascii_case(b"rel=\"status\""));
        let target = std::str::from_utf8(&link[..end]).unwrap_or_default();
        let web = target.starts_with("https://") || target.starts_with("http://");
        if is_status && web && site_of(host_of(target)) == site {
            linked = Some(target.to_string());
            break;
        }
    }
    let named = site.contains('.') && !site.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let page = linked.or_else(|| named.then(|| ["https://status.", site, "/"].concat()))?;
    // The summary lives at the status page's origin.
    let after_scheme = crate::find_bytes(page.as_bytes(), b"://")? + 3;
    let origin_end = page.as_bytes().iter().skip(after_scheme).position(|&b| b == b'/').map_or(page.len(), |p| after_scheme + p);
    let api = [page.get(..origin_end)?, "/api/v2/summary.json"].concat();
    Some((page, api))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_and_hosts() {
        for (url, site) in [
            ("https://a.b.example.com:8443/x", "example.com"),
            ("http://user:pw@127.0.0.2:9000/", "127.0.0.2"),
            ("http://[::1]:80/", "::1"),
            ("https://localhost/", "localhost"),
            ("https://example.com./", "example.com"),
            ("not a url", "not a url"),
            ("", ""),
        ] {
            assert_eq!(site_of(host_of(url)), site, "{url}");
        }
    }

    #[test]
    fn a_status_page_only_ever_on_the_sites_own_domain() {
        let page = |url: &str, links: &[&str]| status_page(url, links).map(|(p, a)| format!("{p} {a}"));
        let guessed = Some("https://status.shop.example/ https://status.shop.example/api/v2/summary.json");
        assert_eq!(page("https://www.shop.example/cart?x=1", &[]).as_deref(), guessed);
        assert_eq!(
            page("http://shop.test:8080/", &[r#"<http://status.shop.test:9000/incidents>; rel="status""#]).as_deref(),
            Some("http://status.shop.test:9000/incidents http://status.shop.test:9000/api/v2/summary.json"),
            "RFC 8631's link, where the site put it"
        );
        assert_eq!(page("https://shop.example/", &[r#"<https://shop.example/a>; rel="author", <https://status.shop.example/>; rel=status"#]).as_deref(), guessed);
        assert_eq!(page("https://shop.example/", &[r#"<https://status.evil.example/>; rel="status""#]).as_deref(), guessed, "a link to another site is never followed");
        assert_eq!(page("https://shop.example/", &[r#"<javascript:alert(1)>; rel="status""#]).as_deref(), guessed);
        assert_eq!(page("http://127.0.0.1:8080/", &[]), None, "no guess for an address");
        assert_eq!(page("http://intranet/", &[]), None, "nor for a name of one label");
        assert_eq!(page("", &["<>; rel=status", "<", "garbage"]), None);
    }
}
