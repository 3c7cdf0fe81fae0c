//! Telling phrases and headers: facts about an error response beyond its status.

use super::{Probe, TextView, Value};
use crate::Event;

/// A fact read from a response's headers or page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Marker {
    /// Cloudflare's plain, unbranded 502/504 page: Cloudflare's own edge failed.
    CloudflareUnbranded,
    /// The CDN could not resolve the site's origin name (Cloudflare 1016 and kin).
    OriginDnsError,
    /// The site's tunnel to its CDN is down (Cloudflare 1033 and kin).
    TunnelError,
    /// The site's platform or edge setup is broken (edge function, unknown domain, ...).
    SiteMisconfigured,
    /// The platform in front of the site failed on its own.
    PlatformFailure,
    /// The gateway could not connect to, or got no usable answer from, the site's server.
    UpstreamDown,
    /// The gateway gave up waiting for the site's server.
    UpstreamTimeout,
    /// The page says a connection was refused: a gateway's upstream, or (on a 500) something
    /// inside the site's own software.
    SaysRefused,
    /// The page says an operation timed out: a gateway's upstream, or (on a 500) something inside
    /// the site's own software.
    SaysTimedOut,
    /// The site says it is down for maintenance.
    Maintenance,
    /// The page only quotes the 503's definition ("a temporary overload or scheduled
    /// maintenance"): busy or maintenance, it does not say which.
    BusyOrMaintenance,
    /// The request's headers (mostly cookies) were too large for the server.
    HeaderTooLarge,
    /// A proxy generated this page itself (not the site's answer passed through).
    ProxyGenerated,
    /// The service asks its callers to send fewer requests (an object store's "slow down").
    SlowDown,
    /// A bot check: the site's shield asks the browser to show a person is there, and its page
    /// does that itself (and may ask the visitor to tick a box).
    Challenge,
}

impl Marker {
    /// Every marker. The match below fails to compile when a marker is added and not listed.
    pub const ALL: &'static [Marker] = &[
        Marker::CloudflareUnbranded,
        Marker::OriginDnsError,
        Marker::TunnelError,
        Marker::SiteMisconfigured,
        Marker::PlatformFailure,
        Marker::UpstreamDown,
        Marker::UpstreamTimeout,
        Marker::SaysRefused,
        Marker::SaysTimedOut,
        Marker::Maintenance,
        Marker::BusyOrMaintenance,
        Marker::HeaderTooLarge,
        Marker::ProxyGenerated,
        Marker::SlowDown,
        Marker::Challenge,
    ];

    const fn _listed(self) {
        match self {
            Marker::CloudflareUnbranded
            | Marker::OriginDnsError
            | Marker::TunnelError
            | Marker::SiteMisconfigured
            | Marker::PlatformFailure
            | Marker::UpstreamDown
            | Marker::UpstreamTimeout
            | Marker::SaysRefused
            | Marker::SaysTimedOut
            | Marker::Maintenance
            | Marker::BusyOrMaintenance
            | Marker::HeaderTooLarge
            | Marker::ProxyGenerated
            | Marker::SlowDown
            | Marker::Challenge => {}
        }
    }

    /// Whether some row of the marker table can find this marker.
    pub fn is_found_by_a_row(self) -> bool {
        TABLE.iter().any(|row| row.marker == self)
    }
}

/// A small set of markers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MarkerSet(u32);

impl MarkerSet {
    /// Whether the set holds `m`.
    pub fn contains(self, m: Marker) -> bool {
        self.0 & (1 << m as u8) != 0
    }

    fn insert(&mut self, m: Marker) {
        self.0 |= 1 << m as u8;
    }
}

struct Row {
    probe: Probe,
    marker: Marker,
    source: &'static str,
}

macro_rules! rows {
    ($($probe:expr => $marker:ident, $source:literal;)+) => {
        &[$(Row { probe: $probe, marker: Marker::$marker, source: $source }),+]
    };
}

use Probe::{Body, Header, HeaderAndBody, HeaderAndHead};
use Value::{Any, Contains, StartsWith};

static TABLE: &[Row] = rows! {
    Body("bad gateway cloudflare") => CloudflareUnbranded, "cloudflare-docs: plain 502 page with a 'cloudflare' footer";
    Body("gateway time-out cloudflare") => CloudflareUnbranded, "cloudflare-docs: plain 504 page with a 'cloudflare' footer";
    Body("gateway timeout cloudflare") => CloudflareUnbranded, "cloudflare-docs: plain 504 page with a 'cloudflare' footer";
    Body("error 1016") => OriginDnsError, "cloudflare-docs: error 1016 origin DNS error";
    Body("origin dns error") => OriginDnsError, "cloudflare-docs: error 1016 title";
    Body("error 1033") => TunnelError, "cloudflare-docs: error 1033 Argo Tunnel error";
    Body("tunnel error") => TunnelError, "cloudflare-docs: error 1033 title";
    Header("x-vercel-error", StartsWith("dns_hostname")) => SiteMisconfigured, "vercel docs: DNS_HOSTNAME_* errors (502)";
    Header("x-vercel-error", Contains("middleware")) => SiteMisconfigured, "vercel docs: MIDDLEWARE_INVOCATION_FAILED (500)";
    Header("x-vercel-error", StartsWith("edge_function_invocation_failed")) => SiteMisconfigured, "vercel docs: EDGE_FUNCTION_INVOCATION_FAILED (500)";
    Header("x-vercel-error", StartsWith("deployment_")) => SiteMisconfigured, "vercel docs: DEPLOYMENT_* errors";
    Body("fastly error: unknown domain") => SiteMisconfigured, "fastly docs: 500 unknown domain";
    Body("the lambda function") => SiteMisconfigured, "aws docs: CloudFront 502/503 Lambda@Edge validation errors";
    Header("x-vercel-error", StartsWith("internal_")) => PlatformFailure, "vercel docs: INTERNAL_* errors are the platform's";
    Header("x-vercel-error", Contains("timeout")) => UpstreamTimeout, "vercel docs: FUNCTION_INVOCATION_TIMEOUT (504)";
    Header("x-vercel-error", StartsWith("no_response_from_function")) => UpstreamDown, "vercel docs: NO_RESPONSE_FROM_FUNCTION (502)";
    Body("upstream request timeout") => UpstreamTimeout, "envoy router: 504 local reply";
    Body("the server didn't respond in time") => UpstreamTimeout, "haproxy src/http_htx.c errmsg 504";
    Body("endpoint request timed out") => UpstreamTimeout, "aws docs: API Gateway integration timeout (504)";
    Body("first byte timeout") => UpstreamTimeout, "fastly docs: 503 first byte timeout";
    Body("the upstream server is timing out") => UpstreamTimeout, "kong: 504 message";
    Body("cloudfront attempted to establish a connection with the origin") => UpstreamDown, "aws docs: CloudFront 502";
    Body("origin timed out") => UpstreamTimeout, "aws docs: CloudFront 504";
    Header("x-squid-error", StartsWith("err_dns_fail")) => OriginDnsError, "squid errors/templates ERR_DNS_FAIL";
    Header("x-squid-error", StartsWith("err_read_timeout")) => UpstreamTimeout, "squid errors/templates ERR_READ_TIMEOUT";
    Header("x-squid-error", StartsWith("err_connect_fail")) => UpstreamDown, "squid errors/templates ERR_CONNECT_FAIL";
    Header("x-squid-error", StartsWith("err_zero_size_object")) => UpstreamDown, "squid errors/templates ERR_ZERO_SIZE_OBJECT";
    Header("x-squid-error", StartsWith("err_invalid_resp")) => UpstreamDown, "squid errors/templates ERR_INVALID_RESP";
    Header("x-squid-error", StartsWith("err_read_error")) => UpstreamDown, "squid errors/templates ERR_READ_ERROR";
    Body("no healthy upstream") => UpstreamDown, "envoy router: 503 no healthy upstream";
    Body("upstream connect error or disconnect/reset before headers") => UpstreamDown, "envoy router: 503 upstream reset";
    Body("no server is available to handle this request") => UpstreamDown, "haproxy src/http_htx.c errmsg 503";
    Body("backend fetch failed") => UpstreamDown, "varnish builtin.vcl vcl_backend_error";
    Body("backend is unhealthy") => UpstreamDown, "fastly docs en/guides/common-503-errors: 'Backend is unhealthy', the backend's health check fails";
    Body("all backends failed or unhealthy") => UpstreamDown, "fastly docs en/guides/common-503-errors: a director found no backend to answer";
    Body("backend read error") => UpstreamDown, "fastly docs en/guides/common-503-errors: 'backend read error', the backend's answer broke off";
    Body("failure to get a peer from the ring-balancer") => UpstreamDown, "kong: 503 no healthy targets";
    Body("could not connect to the requested server host") => UpstreamDown, "trafficserver body_factory connect#failed_connect";
    Body("an error occurred in the application and your page could not be served") => UpstreamDown, "heroku devcenter: H10/H13/H14 application error page";
    Body("due to maintenance downtime or capacity problems") => UpstreamDown, "apache httpd mod_proxy 503 stock text: the backend refused";
    HeaderAndBody("server", StartsWith("ats"), "too much time has passed without sending any data") => UpstreamTimeout, "trafficserver body_factory timeout#inactivity (captured)";
    Body("please reduce your request rate") => SlowDown, "aws docs: Amazon S3 SlowDown (503)";
    HeaderAndBody("server", StartsWith("h2o"), "i/o timeout") => UpstreamTimeout, "h2o lib/core/proxy.c: 502 'I/O timeout' (captured)";
    HeaderAndBody("server", StartsWith("ats"), "unable to locate the server requested") => OriginDnsError, "trafficserver body_factory connect#dns_failed (captured)";
    HeaderAndBody("server", StartsWith("ats"), "description:") => UpstreamDown, "trafficserver body_factory pages (captured: could not connect, server hangup, web server error)";
    HeaderAndHead("server", StartsWith("lighttpd"), "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>") => UpstreamDown, "lighttpd's error template, as a proxy whose backend failed (captured)";
    HeaderAndBody("server", StartsWith("awselb"), "503 service temporarily unavailable") => UpstreamDown, "aws docs: ALB 503 when the target group has no registered (healthy) targets";
    // Heroku's router page is a title and an iframe of herokucdn.com; its words are in the frame.
    HeaderAndBody("server", StartsWith("heroku"), "application error") => UpstreamDown, "heroku devcenter error-codes: the router's 'Application Error' page (H10, H12 ...)";
    HeaderAndBody("via", Contains("vegur"), "application error") => UpstreamDown, "heroku devcenter error-codes: the legacy router's 'Application Error' page";
    Body("zero size object") => UpstreamDown, "akamai techdocs: 'Zero size object', the origin sent an empty answer";
    Body("connection refused") => SaysRefused, "fastly docs common-503-errors; trafficserver; a gateway page saying its upstream refused";
    Body("the operation timed out") => SaysTimedOut, "microsoft docs: ARR 502.3 'The operation timed out'";
    Header("cf-mitigated", Contains("challenge")) => Challenge, "cloudflare-docs challenge-pages/detect-response";
    Body("enable javascript and cookies to continue") => Challenge, "cloudflare: challenge page";
    Body("checking your browser before accessing") => Challenge, "cloudflare's legacy I'm Under Attack Mode page (served as 503)";
    Body("needs to review the security of your connection before proceeding") => Challenge, "cloudflare managed challenge page (2022-2024)";
    Header("x-vercel-mitigated", Contains("challenge")) => Challenge, "vercel: Security Checkpoint (429)";
    // The site says it is down for maintenance, not merely the word (a page's menu or a company's
    // name may hold it: "Acme Heating & Maintenance").
    Body("for maintenance") => Maintenance, "common practice: 'down/offline/closed/unavailable for maintenance' (heroku's 'Offline for Maintenance')";
    Body("under maintenance") => Maintenance, "common practice: 'site under maintenance'";
    Body("undergoing maintenance") => Maintenance, "heroku devcenter maintenance-mode: 'This app is undergoing maintenance right now'";
    Body("scheduled maintenance") => Maintenance, "wordpress wp-includes/load.php: 'Briefly unavailable for scheduled maintenance'";
    Body("planned maintenance") => Maintenance, "common practice: 'planned maintenance'";
    Body("maintenance mode") => Maintenance, "common practice: 'in maintenance mode' (laravel, drupal, magento)";
    Body("performing maintenance") => Maintenance, "common practice: 'we are performing maintenance'";
    Body("performing some maintenance") => Maintenance, "common practice: the 'We'll be back soon!' page";
    Body("maintenance in progress") => Maintenance, "common practice: 'maintenance in progress'";
    Body("site maintenance") => Maintenance, "common practice: 'Site Maintenance' titles";
    Body("en maintenance") => Maintenance, "common practice (fr): 'site en maintenance'";
    Body("en mantenimiento") => Maintenance, "common practice (es): 'sitio en mantenimiento'";
    Body("wartungsarbeiten") => Maintenance, "common practice (de): 'Wartungsarbeiten'";
    // The status code's own definition, which stock pages quote: it names maintenance as one cause
    // of two, and says nothing of this site.
    Body("a temporary overload or scheduled maintenance") => BusyOrMaintenance, "rfc 7231 §6.6.4's definition of 503, quoted by stock pages (apache tomcat's status report)";
    Body("request header or cookie too large") => HeaderTooLarge, "nginx ngx_http_special_response.c 494/400 page";
    Body("size of a request header field exceeds server limit") => HeaderTooLarge, "apache httpd protocol.c 400 text";
    Body("request header fields too large") => HeaderTooLarge, "rfc 6585 §5 reason phrase";
    Body("header too long") => HeaderTooLarge, "jetty/tomcat 400 text";
    Header("x-squid-error", Any) => ProxyGenerated, "squid errorpage.cc";
    Body("generated by squid") => ProxyGenerated, "squid errors/templates footer";
    Body("proxy error") => ProxyGenerated, "apache httpd mod_proxy 502 page title";
    HeaderAndBody("server", StartsWith("ats"), "description:") => ProxyGenerated, "trafficserver body_factory pages (captured)";
    Body("generated by tinyproxy") => ProxyGenerated, "tinyproxy data/templates/default.html footer (captured as a forward proxy)";
    Body("this is privoxy") => ProxyGenerated, "privoxy's error templates: 'This is Privoxy <version> on <host>' (captured as a forward proxy)";
    Body("due to maintenance downtime or capacity problems") => ProxyGenerated, "apache httpd mod_proxy 503 when it cannot connect (captured as a forward proxy)";
};

/// The page phrases this table looks for.
pub(super) fn phrases() -> impl Iterator<Item = &'static str> {
    TABLE.iter().filter_map(|row| row.probe.phrase())
}

/// Every marker the response shows.
pub fn markers(event: &Event, text: &TextView) -> MarkerSet {
    let mut set = MarkerSet::default();
    for row in TABLE {
        if !set.contains(row.marker) && row.probe.matches(event, text) {
            set.insert(row.marker);
        }
    }
    set
}

/// The first cited source for a marker this response shows (for the evidence list).
pub fn source(event: &Event, text: &TextView, marker: Marker) -> Option<&'static str> {
    TABLE.iter().find(|row| row.marker == marker && row.probe.matches(event, text)).map(|row| row.source)
}
