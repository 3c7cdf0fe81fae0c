//! Whether an error page came from a cache rather than from the site just now, and how long that
//! copy stays fresh: while it does, asking again only gets the same copy back.

use super::{header_matches, Value};
use crate::Event;

/// A header that says a cache answered from a stored copy (name, how its value looks).
struct Row {
    name: &'static str,
    value: Value,
    /// Where the fact comes from. Read by people and checked by the native tests; the wasm,
    /// which never shows it, is built without it (its size budget).
    #[cfg(not(target_arch = "wasm32"))]
    #[cfg_attr(not(test), allow(dead_code))]
    source: &'static str,
}

macro_rules! row {
    ($name:literal, $value:expr, $source:literal) => {
        Row {
            name: $name,
            value: $value,
            #[cfg(not(target_arch = "wasm32"))]
            source: $source,
        }
    };
}

use Value::Contains;

/// Most telling first. (`Age` is read apart: see [`cached`].)
static HITS: &[Row] = &[
    row!("cache-status", Contains("hit"), "rfc 9211 §2.1: Cache-Status `hit`, the response was served from the cache"),
    row!("cf-cache-status", Contains("hit"), "cloudflare docs, cf-cache-status: HIT, the resource was found in Cloudflare's cache"),
    row!("cf-cache-status", Contains("stale"), "cloudflare docs, cf-cache-status: STALE, served from cache because the origin could not be reached"),
    row!("cf-cache-status", Contains("updating"), "cloudflare docs, cf-cache-status: UPDATING, served from cache while it is updated"),
    row!("x-cache", Contains("hit"), "aws docs, CloudFront `X-Cache: Hit from cloudfront`; fastly docs `X-Cache: HIT`; squid `TCP_HIT`"),
    row!("x-cache-status", Contains("hit"), "nginx docs, $upstream_cache_status HIT, the header name sites give it"),
    row!("x-cache-status", Contains("stale"), "nginx docs, $upstream_cache_status STALE (proxy_cache_use_stale)"),
    row!("x-vercel-cache", Contains("hit"), "vercel docs, x-vercel-cache: HIT"),
    row!("x-vercel-cache", Contains("stale"), "vercel docs, x-vercel-cache: STALE"),
    row!("cdn-cache", Contains("hit"), "bunny.net docs, CDN-Cache: HIT"),
    row!("x-proxy-cache", Contains("hit"), "de-facto header of caching proxies (nginx, openresty)"),
    row!("akamai-cache-status", Contains("hit"), "akamai docs, Akamai-Cache-Status: Hit from child"),
];

/// An error page served from a cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cached {
    /// The header that says so, as `name: value` (the site's text: printable, shown as text).
    pub seen: String,
    /// How long the cached copy stays fresh, in ms, when its `Cache-Control` says.
    pub fresh_ms: Option<u64>,
}

/// Whether the response came from a cache: a hit header of the table, or an `Age` above zero
/// (RFC 9111 §5.1: Age means the response was not generated or validated by the origin server
/// for this request; zero is left out, as Varnish sends `Age: 0` on a miss).
pub fn cached(event: &Event) -> Option<Cached> {
    let age = event.header("age").and_then(|a| seconds(a.as_bytes()));
    let (name, value) = match HITS.iter().find(|row| header_matches(event, row.name, row.value)) {
        Some(row) => (row.name, event.header(row.name).unwrap_or_default()),
        None => ("age", event.header("age").filter(|_| age.is_some_and(|a| a > 0))?),
    };
    let mut seen = String::from(name);
    seen.push_str(": ");
    seen.push_str(value);
    Some(Cached { seen: crate::printable(&seen), fresh_ms: fresh_ms(event.header("cache-control").unwrap_or_default(), age.unwrap_or(0)) })
}

/// How long a cached copy stays fresh: its lifetime for a shared cache (`s-maxage`, else
/// `max-age`; RFC 9111 §4.2.1) less its age (§4.2.3), in ms; `None` when the header gives no
/// lifetime or the copy is already stale.
fn fresh_ms(cache_control: &str, age: u64) -> Option<u64> {
    // (Read as bytes: the wasm's size budget.)
    let directive = |name: &[u8]| {
        cache_control.as_bytes().split(|&b| b == b',').find_map(|d| {
            let d = d.trim_ascii();
            let value = d.get(name.len()..).filter(|_| d[..name.len()].eq_ignore_ascii_case(name))?;
            let value = value.trim_ascii().strip_prefix(b"=")?.trim_ascii();
            let value = value.strip_prefix(b"\"").and_then(|v| v.strip_suffix(b"\"")).unwrap_or(value);
            seconds(value)
        })
    };
    let lifetime = directive(b"s-maxage").or_else(|| directive(b"max-age"))?;
    lifetime.checked_sub(age).filter(|&left| left > 0).map(|left| left.saturating_mul(1000))
}

/// Delta-seconds (RFC 9111 §1.2.2): digits; a value too large to hold is the largest there is.
fn seconds(value: &[u8]) -> Option<u64> {
    let digits = value.iter().try_fold(0u64, |n, &b| b.is_ascii_digit().then(|| n.saturating_mul(10).saturating_add(u64::from(b - b'0'))));
    digits.filter(|_| !value.is_empty())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn response(headers: &[(&str, &str)]) -> Event {
        Event {
            url: "https://a.example/".into(),
            status: Some(503),
            headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
            ..Event::default()
        }
    }

    #[test]
    fn every_row_names_its_source() {
        for row in HITS {
            assert!(row.source.len() > 10, "{}", row.name);
        }
    }

    #[test]
    fn a_hit_header_or_a_positive_age_says_a_cache_answered() {
        type Case<'a> = (&'a [(&'a str, &'a str)], Option<&'a str>);
        let cases: &[Case] = &[
            (&[("X-Cache", "Hit from cloudfront")], Some("x-cache: Hit from cloudfront")),
            (&[("X-Cache", "Error from cloudfront")], None),
            (&[("X-Cache", "MISS")], None),
            (&[("CF-Cache-Status", "HIT")], Some("cf-cache-status: HIT")),
            (&[("CF-Cache-Status", "DYNAMIC")], None),
            (&[("X-Cache-Status", "STALE")], Some("x-cache-status: STALE")),
            (&[("Cache-Status", "ExampleCache; hit; ttl=30")], Some("cache-status: ExampleCache; hit; ttl=30")),
            (&[("Cache-Status", "ExampleCache; fwd=uri-miss")], None),
            (&[("Age", "12")], Some("age: 12")),
            (&[("Age", "0")], None),
            (&[("Age", "soon")], None),
            (&[], None),
        ];
        for (headers, seen) in cases {
            assert_eq!(cached(&response(headers)).map(|c| c.seen), seen.map(String::from), "{headers:?}");
        }
    }

    #[test]
    fn the_copy_is_fresh_for_its_shared_lifetime_less_its_age() {
        let fresh = |headers: &[(&str, &str)]| cached(&response(headers)).and_then(|c| c.fresh_ms);
        assert_eq!(fresh(&[("X-Cache", "HIT"), ("Cache-Control", "max-age=30")]), Some(30_000));
        assert_eq!(fresh(&[("Age", "10"), ("Cache-Control", "public, max-age=30")]), Some(20_000));
        assert_eq!(fresh(&[("Age", "10"), ("Cache-Control", "max-age=5, s-maxage=60")]), Some(50_000), "s-maxage is a shared cache's");
        assert_eq!(fresh(&[("Age", "10"), ("Cache-Control", "MAX-AGE=\"40\"")]), Some(30_000));
        assert_eq!(fresh(&[("Age", "50"), ("Cache-Control", "max-age=30")]), None, "already stale");
        assert_eq!(fresh(&[("X-Cache", "HIT"), ("Cache-Control", "no-cache")]), None);
        assert_eq!(fresh(&[("X-Cache", "HIT"), ("Cache-Control", "max-age=-1, max-age")]), None);
        assert_eq!(fresh(&[("X-Cache", "HIT"), ("Cache-Control", "max-age=99999999999999999999999")]), Some(u64::MAX), "saturates, never panics");
    }
}
