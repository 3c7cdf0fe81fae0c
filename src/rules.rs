//! The verdict table: facts about a failed navigation -> a verdict. First matching row wins.
//!
//! Each row names where its fact comes from. Rows are conditions on [`Facts`], never code.

use crate::diagnosis::Verdict;
use crate::event::Browser;
use crate::evidence::{Marker, MarkerSet};
use crate::net_error::NetKind;

/// What the rules look at, read from one event.
#[derive(Clone, Copy, Debug, Default)]
pub struct Facts {
    /// The HTTP status, if there was a response.
    pub status: Option<u16>,
    /// The kind of network error, if there was one.
    pub net: Option<NetKind>,
    /// Markers the response shows.
    pub markers: MarkerSet,
    /// Whether the browser used a configured proxy.
    pub via_proxy: bool,
    /// Whether a look at the failed address (one fetch, which no service worker of the site
    /// answers) failed with a network error too.
    pub look_failed: bool,
    /// Whether the browser itself upgraded the address to https on the way.
    pub upgraded: bool,
    /// Whether the browser asked the visitor to sign in to its proxy during this load.
    pub proxy_sign_in: bool,
    /// Whether the device says it is online.
    pub online: bool,
    /// How many other extensions could block the page, when known.
    pub blockers: Option<u32>,
    /// Which browser reported it, when said.
    pub browser: Option<Browser>,
}

/// One row of the table: every condition that is set must hold.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// The status lies in this inclusive range.
    pub status: Option<(u16, u16)>,
    /// The network error is one of these kinds.
    pub net: Option<&'static [NetKind]>,
    /// There is a network error and the device says it is offline.
    pub reported_offline: bool,
    /// The response shows this marker.
    pub marker: Option<Marker>,
    /// The browser used a configured proxy.
    pub via_proxy: bool,
    /// A look at the failed address failed with a network error too.
    pub look_failed: bool,
    /// The browser itself upgraded the address to https on the way.
    pub upgraded: bool,
    /// The browser asked the visitor to sign in to its proxy during this load.
    pub proxy_sign_in: bool,
    /// The event came from this browser.
    pub browser: Option<Browser>,
    /// What is known of other extensions that could block the page: `Some(None)` unknown,
    /// `Some(Some(0))` none; `None` when the row does not ask.
    pub blockers: Option<Option<u32>>,
    /// The browser's own page stays in the tab: Page Medic explains it from its popup only.
    pub keeps_browser_page: bool,
    /// The verdict.
    pub verdict: Verdict,
    /// Where the fact comes from.
    pub source: &'static str,
}

const ANY: Rule = Rule {
    status: None,
    net: None,
    reported_offline: false,
    marker: None,
    via_proxy: false,
    look_failed: false,
    upgraded: false,
    proxy_sign_in: false,
    browser: None,
    blockers: None,
    keeps_browser_page: false,
    verdict: Verdict::Unknown,
    source: "",
};

impl Rule {
    /// Whether the row applies to these facts.
    pub fn matches(&self, f: &Facts) -> bool {
        self.status.is_none_or(|(lo, hi)| f.status.is_some_and(|s| (lo..=hi).contains(&s)))
            && self.net.is_none_or(|kinds| f.net.is_some_and(|k| kinds.contains(&k)))
            && (!self.reported_offline || (f.net.is_some() && !f.online))
            && self.marker.is_none_or(|m| f.markers.contains(m))
            && (!self.via_proxy || f.via_proxy)
            && (!self.look_failed || f.look_failed)
            && (!self.upgraded || f.upgraded)
            && (!self.proxy_sign_in || f.proxy_sign_in)
            && self.browser.is_none_or(|b| f.browser == Some(b))
            && self.blockers.is_none_or(|b| f.blockers.map(|n| n.min(1)) == b)
    }
}

use NetKind as N;
use Verdict as V;

/// Network-error kinds that mean "no usable connection to whoever we asked".
const CONNECTION: &[NetKind] =
    &[N::ConnectionRefused, N::TimedOut, N::ConnectionReset, N::EmptyResponse, N::InvalidResponse, N::NetworkChanged, N::Unreachable];
/// The same, plus name resolution: with a proxy configured, all of them are the proxy's.
const VIA_PROXY: &[NetKind] =
    &[N::NameNotResolved, N::ConnectionRefused, N::TimedOut, N::ConnectionReset, N::EmptyResponse, N::InvalidResponse, N::Unreachable];

macro_rules! rule {
    ($verdict:ident, $source:literal $(, $field:ident: $value:expr)*) => {
        Rule { verdict: V::$verdict, source: $source $(, $field: $value)*, ..ANY }
    };
}

/// The table.
pub static RULES: &[Rule] = &[
    // Network errors: no HTTP response.
    rule!(None, "chromium ERR_ABORTED; gecko NS_BINDING_ABORTED: the load was stopped", net: Some(&[N::Aborted])),
    rule!(None, "chromium ERR_CACHE_MISS; gecko NS_ERROR_DOCUMENT_NOT_CACHED: the browser's question", net: Some(&[N::FormResend])),
    rule!(None, "gecko NS_ERROR_*_URI: the browser's Safe Browsing warning", net: Some(&[N::SafeBrowsing])),
    rule!(None, "chromium ERR_INVALID_AUTH_CREDENTIALS: the browser's sign-in dialog for a 401 or 407", net: Some(&[N::SignIn])),
    rule!(Offline, "navigator.onLine is false while the load failed", reported_offline: true),
    rule!(Offline, "chromium ERR_INTERNET_DISCONNECTED; gecko NS_ERROR_OFFLINE", net: Some(&[N::Offline])),
    // Firefox's HTTPS-Only mode upgrades every http:// address; where the https one cannot be
    // reached, its page says the secure site is not available and offers the http site
    // (dom/security/nsHTTPSOnlyUtils.cpp, CouldBeHttpsOnlyError; seen in Firefox ESR 140). Page
    // Medic's page in its place would take that way on from the visitor and retry https. An HSTS
    // upgrade looks the same to an extension, so its page stays too.
    rule!(ConnectionFailed, "gecko HTTPS-Only mode: an upgraded address that cannot connect gets the browser's page offering http", net: Some(CONNECTION), upgraded: true, keeps_browser_page: true),
    // Firefox ends a load whose proxy sign-in the visitor cancelled as the proxy's refusal
    // (NS_ERROR_PROXY_CONNECTION_REFUSED, its page "proxyConnectFailure"; seen in Firefox ESR 153):
    // its "Try Again" asks again, and a retry of Page Medic's would bring the dialog back each time.
    rule!(None, "gecko: the visitor cancelled the proxy's sign-in (webRequest.onAuthRequired isProxy)", net: Some(&[N::Proxy, N::ProxyAuth]), proxy_sign_in: true),
    rule!(ProxyFailure, "chromium ERR_PROXY_*/ERR_TUNNEL_CONNECTION_FAILED; gecko NS_ERROR_PROXY_*", net: Some(&[N::Proxy, N::ProxyAuth])),
    rule!(ProxyFailure, "with a proxy configured, the browser connects only to it", net: Some(VIA_PROXY), via_proxy: true),
    rule!(DnsFailure, "chromium ERR_NAME_NOT_RESOLVED; gecko NS_ERROR_UNKNOWN_HOST", net: Some(&[N::NameNotResolved])),
    rule!(ConnectionFailed, "chromium ERR_CONNECTION_*/ERR_EMPTY_RESPONSE; gecko NS_ERROR_CONNECTION_REFUSED/NET_RESET/NET_TIMEOUT", net: Some(CONNECTION)),
    rule!(TlsFailure, "chromium ERR_CERT_*/ERR_SSL_*; gecko SEC_ERROR_*/SSL_ERROR_*", net: Some(&[N::Tls])),
    // A site's own service worker whose fetch of the page failed: Chromium says only ERR_FAILED
    // (seen in Chromium 148); a fetch of the address from the extension, which no worker of the
    // site answers, tells whether the site can be reached at all.
    rule!(ConnectionFailed, "chromium ERR_FAILED, and a fetch of the address failed too", net: Some(&[N::Failed]), look_failed: true),
    // Chromium's Safe Browsing warning is ERR_BLOCKED_BY_CLIENT too: its navigation throttle turns
    // that error into the warning (components/safe_browsing/content/browser/
    // safe_browsing_navigation_throttle.cc; seen with --mark_as_phishing). So the error names an
    // extension only where one could have blocked the page.
    rule!(None, "chromium ERR_BLOCKED_BY_CLIENT, no extension could block it: the browser's Safe Browsing warning", net: Some(&[N::BlockedByClient]), browser: Some(Browser::Chrome), blockers: Some(Some(0))),
    // Where another extension could have blocked it (or Page Medic may not look), the error is
    // that extension's block or the browser's warning, and nothing an extension can read tells
    // which (the HTTPS-First Mode page is the same error too: chrome/browser/ssl/
    // https_upgrades_navigation_throttle.cc): the browser's page stays; the popup explains.
    rule!(BlockedByExtension, "chromium ERR_BLOCKED_BY_CLIENT, another extension could block it or Page Medic may not look: its block, or Safe Browsing's or HTTPS-First Mode's warning", net: Some(&[N::BlockedByClient]), browser: Some(Browser::Chrome), keeps_browser_page: true),
    rule!(BlockedByExtension, "chromium ERR_BLOCKED_BY_CLIENT: an extension's blocking rule", net: Some(&[N::BlockedByClient])),
    rule!(BlockedByPolicy, "chromium ERR_BLOCKED_BY_ADMINISTRATOR; gecko NS_ERROR_BLOCKED_BY_POLICY: an administrator's page", net: Some(&[N::AdministratorBlock]), keeps_browser_page: true),
    rule!(BlockedByPolicy, "chromium ERR_BLOCKED_BY_RESPONSE/ERR_UNSAFE_PORT; gecko NS_ERROR_PORT_ACCESS_NOT_ALLOWED", net: Some(&[N::BlockedByPolicy])),
    rule!(SiteConfig, "chromium ERR_INVALID_REDIRECT/ERR_UNSAFE_REDIRECT/ERR_UNEXPECTED_PROXY_AUTH: an answer no browser takes", net: Some(&[N::UnusableAnswer])),
    rule!(StaleSiteData, "chromium localized_error.cc: ERR_TOO_MANY_REDIRECTS -> clear cookies; gecko NS_ERROR_REDIRECT_LOOP", net: Some(&[N::TooManyRedirects, N::HeadersTooLarge])),
    // Answers that are not failures.
    rule!(None, "rfc 9110 §15.2-15.4: no error", status: Some((100, 399))),
    // A bot check is the site letting the visitor in, whatever its status: its page does it itself
    // (and may ask the visitor to tick a box), so nothing may cover it.
    rule!(None, "a bot check: no failure", marker: Some(Marker::Challenge)),
    // A forward proxy on this device answered for itself.
    rule!(BlockedByPolicy, "the configured proxy generated a 403: its access rules refused the site", status: Some((403, 403)), marker: Some(Marker::ProxyGenerated), via_proxy: true),
    rule!(ProxyFailure, "the configured proxy generated this 5xx page (x-squid-error, 'Proxy Error')", status: Some((500, 599)), marker: Some(Marker::ProxyGenerated), via_proxy: true),
    rule!(ProxyFailure, "rfc 9110 §15.5.8: 407 Proxy Authentication Required", status: Some((407, 407))),
    // Client errors that are the visitor's stored data, or the site's rate limit.
    rule!(RateLimited, "rfc 6585 §4: 429 Too Many Requests", status: Some((429, 429))),
    rule!(RateLimited, "de-facto 420 Enhance Your Calm (Twitter API v1)", status: Some((420, 420))),
    rule!(StaleSiteData, "rfc 6585 §5: 431 Request Header Fields Too Large", status: Some((431, 431))),
    rule!(StaleSiteData, "nginx 494 Request Header Too Large", status: Some((494, 494))),
    rule!(StaleSiteData, "a 400 page saying the request's headers or cookies are too large", status: Some((400, 400)), marker: Some(Marker::HeaderTooLarge)),
    rule!(None, "rfc 9110 §15.5: the page's own answer", status: Some((400, 499))),
    rule!(BlockedByPolicy, "rfc 6585 §6: 511 Network Authentication Required (a captive portal on this network)", status: Some((511, 511))),
    // What a CDN or platform says about itself and the site behind it.
    rule!(CdnFailure, "cloudflare-docs: an unbranded 502/504 page is Cloudflare's own failure", status: Some((502, 504)), marker: Some(Marker::CloudflareUnbranded)),
    rule!(SiteConfig, "the gateway could not resolve the origin's name (cloudflare 1016, squid ERR_DNS_FAIL)", status: Some((500, 599)), marker: Some(Marker::OriginDnsError)),
    rule!(SiteConfig, "cloudflare-docs: error 1033 tunnel error", status: Some((500, 599)), marker: Some(Marker::TunnelError)),
    rule!(OriginDown, "cloudflare-docs: 520 web server returned an unknown error", status: Some((520, 520))),
    rule!(OriginDown, "cloudflare-docs: 521 web server is down", status: Some((521, 521))),
    rule!(OriginTimeout, "cloudflare-docs: 522 connection timed out", status: Some((522, 522))),
    rule!(SiteConfig, "cloudflare-docs: 523 origin is unreachable", status: Some((523, 523))),
    rule!(OriginTimeout, "cloudflare-docs: 524 a timeout occurred", status: Some((524, 524))),
    rule!(SiteConfig, "cloudflare-docs: 525 SSL handshake failed, 526 invalid SSL certificate, 527 railgun error", status: Some((525, 527))),
    rule!(SiteConfig, "cloudflare-docs: 530 with a 1xxx error: the site's setup", status: Some((530, 530))),
    rule!(SiteConfig, "the platform says the site's setup is broken (x-vercel-error, Fastly unknown domain, Lambda@Edge)", status: Some((500, 599)), marker: Some(Marker::SiteMisconfigured)),
    rule!(CdnFailure, "the platform says it failed itself (x-vercel-error INTERNAL_*)", status: Some((500, 599)), marker: Some(Marker::PlatformFailure)),
    rule!(RateLimited, "aws docs: Amazon S3 503 SlowDown asks for a lower request rate", status: Some((500, 599)), marker: Some(Marker::SlowDown)),
    // A 504 is a gateway's timeout by definition, whatever its page says.
    rule!(OriginTimeout, "rfc 9110 §15.6.5: 504 Gateway Timeout", status: Some((504, 504))),
    // What the gateway's stock page says happened.
    rule!(OriginTimeout, "the gateway's page says the upstream timed out", status: Some((500, 599)), marker: Some(Marker::UpstreamTimeout)),
    rule!(OriginDown, "the gateway's page says the upstream could not be reached", status: Some((500, 599)), marker: Some(Marker::UpstreamDown)),
    // Words any page may hold: a gateway's 502-599 says them of its upstream, but a 500 is the
    // site's own software telling what failed inside it ("dial tcp ...: connection refused" is
    // its database), and falls to the 500 row below.
    rule!(OriginTimeout, "a gateway's page says an operation timed out (iis arr 502.3)", status: Some((502, 599)), marker: Some(Marker::SaysTimedOut)),
    rule!(OriginDown, "a gateway's page says a connection was refused (fastly 503, trafficserver 502)", status: Some((502, 599)), marker: Some(Marker::SaysRefused)),
    rule!(SiteUnavailable, "the page quotes rfc 7231 §6.6.4's definition of 503: overload or maintenance, unsaid which", status: Some((503, 503)), marker: Some(Marker::BusyOrMaintenance)),
    rule!(SiteUnavailable, "the site's page says it is down for maintenance", status: Some((500, 599)), marker: Some(Marker::Maintenance)),
    // The status alone.
    rule!(ServerError, "rfc 9110 §15.6.1: 500 Internal Server Error", status: Some((500, 500))),
    rule!(OriginDown, "rfc 9110 §15.6.3: 502 Bad Gateway", status: Some((502, 502))),
    rule!(SiteUnavailable, "rfc 9110 §15.6.4: 503 Service Unavailable", status: Some((503, 503))),
    // Answers that say the server cannot do this at all: waiting changes nothing.
    rule!(SiteConfig, "rfc 9110 §15.6.2: 501 Not Implemented (lasting: cacheable by default)", status: Some((501, 501))),
    rule!(SiteConfig, "rfc 9110 §15.6.6: 505 HTTP Version Not Supported", status: Some((505, 505))),
    rule!(SiteConfig, "rfc 2295 §8.1: 506 Variant Also Negotiates (its negotiation set up wrong)", status: Some((506, 506))),
    rule!(SiteUnavailable, "cloudlinux 508 Resource Limit Is Reached (a shared host's limits)", status: Some((508, 508))),
    rule!(SiteUnavailable, "cpanel 509 Bandwidth Limit Exceeded", status: Some((509, 509))),
    rule!(SiteUnavailable, "pantheon/qualys 529 Site is overloaded", status: Some((529, 529))),
    rule!(OriginTimeout, "de-facto 598/599 network read/connect timeout (some proxies)", status: Some((598, 599))),
    rule!(ServerError, "rfc 9110 §15.6: other server errors", status: Some((500, 599))),
    // An error answer the browser would not show (an empty body), and no look at the address to
    // say which status: only that the server answered with an error, which may be a 404.
    rule!(Unknown, "chromium ERR_HTTP_RESPONSE_CODE_FAILURE (an empty error page); gecko NS_ERROR_NET_ERROR_RESPONSE", net: Some(&[N::HttpResponseCode])),
    // Nothing the table knows.
    rule!(Unknown, "no row matched"),
];

/// The first matching row.
pub fn verdict(facts: &Facts) -> &'static Rule {
    // The last row matches anything, so `find` always succeeds; fall back to it regardless.
    RULES.iter().find(|r| r.matches(facts)).unwrap_or(&RULES[RULES.len() - 1])
}

/// Whether a row can find this site's stored data (its cookies) behind an answer with this
/// status. Such a page may get help whatever statuses the visitor chose: clearing the data is
/// what fixes it, and the page alone does not say so.
pub fn may_be_stale_site_data(status: u16) -> bool {
    RULES.iter().any(|r| r.verdict == Verdict::StaleSiteData && r.status.is_some_and(|(lo, hi)| (lo..=hi).contains(&status)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_marker_is_found_by_some_row_and_read_by_some_rule() {
        for &m in Marker::ALL {
            assert!(m.is_found_by_a_row(), "no row of the marker table finds {m:?}");
            assert!(RULES.iter().any(|r| r.marker == Some(m)), "no rule reads {m:?}: it is dead");
        }
    }

    #[test]
    fn every_network_error_kind_feeds_some_rule() {
        for &kind in NetKind::ALL {
            // `Other` is an error string no row of ours knows: the last row's "unknown" is its rule.
            if kind == NetKind::Other {
                continue;
            }
            assert!(RULES.iter().any(|r| r.net.is_some_and(|kinds| kinds.contains(&kind))), "no rule reads {kind:?}: it is dead");
        }
    }
}
