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
/// would be (`/api/v2/summary.json` at its origin): a link of the failed response's own, in its
/// `Link` headers first (`<…>; rel="status"`, RFC 8631), then in its `body` (see [`linked`]),
/// on the site's own domain; else `https://status.<site>/`, the name status pages are commonly
/// given. Never another site's address: a link elsewhere is not followed, and there is no guess
/// for an IP address or a name of one label.
pub fn status_page(url: &str, links: &[&str], body: &str) -> Option<(String, String)> {
    let site = site_of(host_of(url));
    let mut page = None;
    for text in links.iter().chain([&body]) {
        page = page.or_else(|| linked(text, site));
    }
    let named = site.contains('.') && !site.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let page = page.or_else(|| named.then(|| ["https://status.", site, "/"].concat()))?;
    // The summary lives at the status page's origin.
    let after_scheme = crate::find_bytes(page.as_bytes(), b"://")? + 3;
    let origin_end = page.as_bytes().iter().skip(after_scheme).position(|&b| b == b'/').map_or(page.len(), |p| after_scheme + p);
    let api = [page.get(..origin_end)?, "/api/v2/summary.json"].concat();
    Some((page, api))
}

/// The first status link in `text`, whatever kind of text it is (a `Link` header's value, an
/// HTML page's `href`, a URL in JSON, XML or plain text): an absolute `http(s)` address on `site`
/// itself that is marked `rel="status"` where it stands (RFC 8631: a link-value's parameters, or
/// the HTML tag it sits in), or that names a status page in its host (`status.shop.example`,
/// `shopstatus.shop.example`) or its path (`/status`, `/system-status`). An address ends at the
/// first byte no URL carries unescaped (space, quote, `<`, `>`, `\\`).
fn linked(text: &str, site: &str) -> Option<String> {
    // (One lower-case copy, so each search is `find_bytes` (see there); offsets are the same.)
    let lower = text.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut from = 0;
    while let Some(at) = crate::find_bytes(&b[from..], b"http").map(|at| from + at) {
        let rest = &b[at..];
        let len = rest.iter().position(|&c| c <= b' ' || matches!(c, b'"' | b'\'' | b'<' | b'>' | b'\\' | b'`')).unwrap_or(rest.len());
        let url = &rest[..len];
        if !(url.starts_with(b"https://") || url.starts_with(b"http://")) {
            from = at + 4;
            continue;
        }
        // Each byte is read once: an address inside an address (a query's) is not one of its own.
        from = at + len;
        // Where the address stands: from the `<` that opens its tag or link-value to the `,` or
        // `<` that ends it, within a tag's reach either side.
        let before = &b[at.saturating_sub(256)..at];
        let after = &b[from..b.len().min(from + 256)];
        let stands = &b[before.iter().rposition(|&c| c == b'<').map_or(at, |p| at - before.len() + p)
            ..from + after.iter().position(|&c| c == b',' || c == b'<').unwrap_or(after.len())];
        let marked = crate::find_bytes(stands, b"rel=status").or(crate::find_bytes(stands, b"rel=\"status")).is_some();
        // The address before its query and fragment names the page.
        let bare = &url[..url.iter().position(|&c| c == b'?' || c == b'#').unwrap_or(len)];
        let found = text.get(at..from).filter(|_| marked || crate::find_bytes(bare, b"status").is_some());
        if let Some(found) = found.filter(|url| site_of(host_of(url)).eq_ignore_ascii_case(site) && !site.is_empty()) {
            return Some(found.to_string());
        }
    }
    None
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
        let page = |url: &str, links: &[&str]| status_page(url, links, "").map(|(p, a)| format!("{p} {a}"));
        let guessed = Some("https://status.shop.example/ https://status.shop.example/api/v2/summary.json");
        assert_eq!(page("https://www.shop.example/cart?x=1", &[]).as_deref(), guessed);
        assert_eq!(
            page("http://shop.test:8080/", &[r#"<http://status.shop.test:9000/incidents>; rel="status""#]).as_deref(),
            Some("http://status.shop.test:9000/incidents http://status.shop.test:9000/api/v2/summary.json"),
            "RFC 8631's link, where the site put it"
        );
        assert_eq!(
            page("https://shop.example/", &[r#"<https://shop.example/a>; rel="author", <https://status.shop.example/>; rel=status"#]).as_deref(),
            guessed
        );
        assert_eq!(
            page("https://shop.example/", &[r#"<https://status.evil.example/>; rel="status""#]).as_deref(),
            guessed,
            "a link to another site is never followed"
        );
        assert_eq!(page("https://shop.example/", &[r#"<javascript:alert(1)>; rel="status""#]).as_deref(), guessed);
        assert_eq!(
            page("https://shop.example/", &[r#"<https://shop.example/a>; rel="author", <https://shop.example/health>; REL=Status"#]).as_deref(),
            Some("https://shop.example/health https://shop.example/api/v2/summary.json"),
            "each link-value's own parameters mark it"
        );
        assert_eq!(page("https://shop.example/", &[r#"<https://shop.example/health>; rel="author", <https://x.example/>; rel="status""#]).as_deref(), guessed);
        assert_eq!(page("http://127.0.0.1:8080/", &[]), None, "no guess for an address");
        assert_eq!(page("http://intranet/", &[]), None, "nor for a name of one label");
        assert_eq!(page("", &["<>; rel=status", "<", "garbage"]), None);
    }

    #[test]
    fn a_status_link_in_the_error_page() {
        let page = |url: &str, body: &str| status_page(url, &[], body).map(|(p, _)| p);
        let guessed = Some("https://status.shop.example/".to_string());
        for (body, found, why) in [
            (
                r#"<p>See <a href="https://shopstatus.shop.example/incidents/42">our status page</a>.</p>"#,
                "https://shopstatus.shop.example/incidents/42",
                "an href naming it in its host",
            ),
            (
                r#"<a href='http://www.shop.example/system-status?from=502'>status</a>"#,
                "http://www.shop.example/system-status?from=502",
                "in its path, single-quoted",
            ),
            (r#"{"error":"bad gateway","status_page":"https://status.shop.example/x","status":502}"#, "https://status.shop.example/x", "a JSON field"),
            (r#"<Error><Status>https://STATUS.shop.example/</Status></Error>"#, "https://STATUS.shop.example/", "XML, any case"),
            ("Down. Status: https://status.shop.example/feed\nRetry later", "https://status.shop.example/feed", "plain text ends at a backslash"),
            (r#"<link rel="status" href="https://shop.example/health">"#, "https://shop.example/health", "HTML's rel=status"),
            (r#"<a rel=status href="https://shop.example/up">"#, "https://shop.example/up", "rel unquoted"),
        ] {
            assert_eq!(page("https://www.shop.example/cart", body).as_deref(), Some(found), "{why}");
        }
        for (body, why) in [
            (r#"<a href="https://status.other.example/">status</a>"#, "another site's status page is never followed"),
            (r#"<a href="https://shop.example/help">status</a>"#, "link text alone does not make a status page"),
            (r#"<a href="https://shop.example/?next=/status">home</a>"#, "nor a query naming it"),
            (r#"<a href="https://evil.example/status.shop.example/">x</a>"#, "nor a path naming the site"),
            (r#"<a href="javascript://status.shop.example/%0aalert(1)">x</a>"#, "nor another scheme"),
            (r#"<a href="ftp://status.shop.example/">x</a>"#, "nor ftp"),
            ("https://", "a scheme alone"),
            ("://status", "a separator alone"),
            ("", "an empty page"),
            (r#"<a href="https://shop.example/go?to=https://shop.example/status">x</a>"#, "an address inside another's query"),
        ] {
            assert_eq!(page("https://www.shop.example/", body), guessed, "{why}");
        }
        let hostile = "https://".repeat(8192) + &"<a rel=status ".repeat(4096);
        assert_eq!(page("https://shop.example/", &hostile), guessed, "a hostile page is read once, in linear time");
        assert_eq!(
            page("http://127.0.0.1/", r#"<a href="http://127.0.0.1/status">x</a>"#).as_deref(),
            Some("http://127.0.0.1/status"),
            "an address's own status path"
        );
        let header_first = status_page("https://shop.example/", &[r#"<https://up.shop.example/>; rel="status""#], r#"<a href="https://status.shop.example/">"#);
        assert_eq!(header_first.map(|(p, _)| p).as_deref(), Some("https://up.shop.example/"), "the response's Link comes first");
    }
}
