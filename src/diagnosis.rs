//! What the core tells the shell: the verdict, whose side it is on, and what to do.
//!
//! Verdict ids are stable strings (the JSON contract) and double as `_locales` message keys:
//! the key of a verdict's text is its id with `-` turned into `_`, behind a prefix
//! (see [`Verdict::locale_key`]), because browsers accept only `[A-Za-z0-9_@]` in message names.

use serde::Serialize;

/// Declares the verdict enum from one table: variant, id, side, transient, one-line meaning.
macro_rules! verdicts {
    ($( $(#[$doc:meta])* $variant:ident = $id:literal, $side:ident, $transient:literal; )+) => {
        /// Why a page failed to load, from the visitor's point of view.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
        pub enum Verdict {
            $( $(#[$doc])* #[serde(rename = $id)] $variant, )+
        }

        impl Verdict {
            /// Every verdict, in table order.
            pub const ALL: &'static [Verdict] = &[$(Verdict::$variant),+];

            /// The stable id used in JSON and in the overlay's `data-verdict`.
            pub const fn id(self) -> &'static str {
                match self { $(Verdict::$variant => $id,)+ }
            }

            /// Whose side the failure is on; `None` for [`Verdict::None`].
            pub const fn side(self) -> Option<Side> {
                match self { $(Verdict::$variant => side!($side),)+ }
            }

            /// Whether waiting is likely to fix it by itself.
            pub const fn transient(self) -> bool {
                match self { $(Verdict::$variant => $transient,)+ }
            }
        }
    };
}

macro_rules! side {
    (none) => {
        None
    };
    ($s:ident) => {
        Some(Side::$s)
    };
}

verdicts! {
    /// The site's gateway got no valid answer from the site's own server (refused, crashed,
    /// empty or broken reply).
    OriginDown = "origin-down", Site, true;
    /// The site's gateway gave up waiting for the site's own server.
    OriginTimeout = "origin-timeout", Site, true;
    /// The site itself says it is temporarily unavailable (overload, maintenance, no capacity).
    SiteUnavailable = "site-unavailable", Site, true;
    /// The site's setup is broken (TLS between CDN and origin, origin DNS, tunnel, edge function);
    /// waiting will not heal it.
    SiteConfig = "site-config", Site, false;
    /// The CDN, edge or platform in front of the site failed itself.
    CdnFailure = "cdn-failure", Site, true;
    /// The site's application failed (500 and its kin).
    ServerError = "server-error", Site, true;
    /// The site is limiting how often this visitor may ask (429 and its kin).
    RateLimited = "rate-limited", Site, true;
    /// The proxy configured on this device failed or could not reach the site.
    ProxyFailure = "proxy-failure", Network, true;
    /// The site's name could not be looked up.
    DnsFailure = "dns-failure", Network, true;
    /// No connection could be made to the site, or it was cut.
    ConnectionFailed = "connection-failed", Network, true;
    /// This device is offline.
    Offline = "offline", Network, true;
    /// A secure connection could not be set up.
    TlsFailure = "tls-failure", Network, false;
    /// An administrator or firewall blocked the page.
    BlockedByPolicy = "blocked-by-policy", Network, false;
    /// An extension in this browser blocked the page.
    BlockedByExtension = "blocked-by-extension", Browser, false;
    /// This site's stored cookies or data are the problem (redirect loops, oversized cookies).
    StaleSiteData = "stale-site-data", Browser, false;
    /// Not a failure: the page loaded, or the load was stopped on purpose.
    None = "none", none, false;
    /// It failed, but the evidence does not say why.
    Unknown = "unknown", Unknown, true;
}

impl Verdict {
    /// The `_locales` key of the verdict's headline (`verdict_origin_down`); `_detail` is
    /// appended for its explanation.
    pub fn locale_key(self) -> String {
        format!("verdict_{}", self.id().replace('-', "_"))
    }

    /// Whether this verdict means the page failed (anything but [`Verdict::None`]).
    pub const fn is_failure(self) -> bool {
        !matches!(self, Verdict::None)
    }

    /// Whether Page Medic may put its diagnosis page in place of the browser's own error page.
    /// Never for a certificate or TLS failure: that page is the browser's security warning (with
    /// its own way past it, where there is one), and Chromium's own auto-reload leaves it alone
    /// too (components/error_page/content/browser/net_error_auto_reloader.cc).
    pub const fn replaces_error_page(self) -> bool {
        !matches!(self, Verdict::None | Verdict::TlsFailure)
    }
}

/// Whose side a failure is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The site: its server, its gateway or CDN.
    Site,
    /// Between the visitor and the site: connection, DNS, proxy, firewall.
    Network,
    /// This browser: its cache, cookies or an extension.
    Browser,
    /// The evidence does not say.
    Unknown,
}

impl Side {
    /// The stable id used in JSON and in the overlay's `data-side`.
    pub const fn id(self) -> &'static str {
        match self {
            Side::Site => "site",
            Side::Network => "network",
            Side::Browser => "browser",
            Side::Unknown => "unknown",
        }
    }
}

/// Where on the way from the visitor to the site's server the failure is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Hop {
    /// This browser: its stored data or an extension.
    Browser,
    /// The network between: connection, DNS, proxy, firewall.
    Network,
    /// The site's gateway, CDN or platform in front of its server.
    Gateway,
    /// The site's own server.
    Server,
}

impl Verdict {
    /// Where the failure is on the way to the site's server; `None` for [`Verdict::None`] and
    /// [`Verdict::Unknown`].
    pub const fn hop(self) -> Option<Hop> {
        match self {
            Verdict::OriginDown | Verdict::OriginTimeout | Verdict::SiteUnavailable | Verdict::ServerError | Verdict::RateLimited | Verdict::SiteConfig => {
                Some(Hop::Server)
            }
            Verdict::CdnFailure => Some(Hop::Gateway),
            Verdict::ProxyFailure | Verdict::DnsFailure | Verdict::ConnectionFailed | Verdict::Offline | Verdict::TlsFailure | Verdict::BlockedByPolicy => {
                Some(Hop::Network)
            }
            Verdict::BlockedByExtension | Verdict::StaleSiteData => Some(Hop::Browser),
            Verdict::None | Verdict::Unknown => None,
        }
    }
}

/// What kind of machine generated an error response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GatewayKind {
    /// A content delivery network's edge (Cloudflare, CloudFront, Fastly, Akamai ...).
    Cdn,
    /// A cloud load balancer (AWS ALB/ELB, Azure Application Gateway ...).
    LoadBalancer,
    /// A reverse proxy run by the site (nginx, HAProxy, Varnish, Apache ...).
    ReverseProxy,
    /// A forward proxy on the visitor's side (Squid ...).
    ForwardProxy,
    /// A hosting platform's router (Heroku, Vercel, Netlify, GitHub Pages ...).
    Platform,
    /// The site's application server itself.
    App,
}

/// Who generated the error response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Gateway {
    /// Product or service name, as a visitor would know it ("Cloudflare", "nginx").
    pub name: &'static str,
    /// What kind of machine it is.
    pub kind: GatewayKind,
}

/// Declares a fieldless enum from one table of variant = id rows, with `ALL` and `id()`.
macro_rules! id_enum {
    ($(#[$enum_doc:meta])* $name:ident { $( $(#[$doc:meta])* $variant:ident = $id:literal; )+ }) => {
        $(#[$enum_doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
        pub enum $name {
            $( $(#[$doc])* #[serde(rename = $id)] $variant, )+
        }

        impl $name {
            /// Every value, in table order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable id used in JSON.
            pub const fn id(self) -> &'static str {
                match self { $($name::$variant => $id,)+ }
            }
        }
    };
}

id_enum! {
    /// Something the visitor (or Page Medic for them) can do, in the order offered. Each has one
    /// row in the panel's table of controls (extension/panel/actions.js).
    Action {
    /// Load the page again (automatically when `retry.auto`); for a form, send it again.
    Retry = "retry";
    /// Clear this site's cached files, or its cookies and storage.
    ClearSiteData = "clear-site-data";
    /// Reload bypassing the cache.
    HardReload = "hard-reload";
    /// Ask for the page the way another browser would (no cookies, no cache): is it just me?
    JustMe = "just-me";
    /// Read the site's own status page (its Statuspage summary), on the visitor's click only.
    StatusPage = "status-page";
    /// Keep checking the site after the visitor leaves, and say when it answers again.
    NotifyWhenBack = "notify-when-back";
    /// Look for extensions that may interfere.
    CheckExtensions = "check-extensions";
    /// Check the proxy settings of this device.
    CheckProxy = "check-proxy";
    /// Check the device's connection.
    CheckConnection = "check-connection";
    /// Send the site's support a report.
    ReportToSite = "report-to-site";
    /// Open a saved copy of the page in a public archive.
    SavedCopy = "saved-copy";
    }
}

id_enum! {
    /// What kind of fact a row of evidence is. Its words are the `_locales` message `evidence_` +
    /// the id with `-` as `_`, the row's value in place of `$1`.
    EvidenceKind {
    /// The HTTP status and its reason phrase ("502 Bad Gateway").
    Status = "status";
    /// The browser's error string ("net::ERR_CONNECTION_REFUSED").
    Error = "error";
    /// The name of who generated the answer ("nginx").
    Gateway = "gateway";
    /// The delay the site asked for with `Retry-After`, in seconds.
    RetryAfter = "retry-after";
    /// The request's method, when it may not be repeated ("POST").
    Method = "method";
    /// What in the response showed the verdict's marker (a header or a phrase of the page).
    Seen = "seen";
    /// The rule of the verdict table that gave the verdict, with its source.
    Rule = "rule";
    }
}

id_enum! {
    /// What the core has to tell beyond the verdict: what no error page says by itself. Its
    /// words are the `_locales` message `notice_` + the id with `-` as `_` (with `_at` or `_for`
    /// added when the notice has its `ms`).
    NoticeKind {
    /// The site is down for planned maintenance; `ms`: when it expects to be back (ms since the
    /// epoch), when it said so within the hour Page Medic waits.
    Maintenance = "maintenance";
    /// The site's `Retry-After` names a time already past: Page Medic keeps to its own schedule.
    RetryAfterPast = "retry-after-past";
    /// The site's `Retry-After` asks for longer than Page Medic waits by itself; `ms`: how long.
    RetryAfterFar = "retry-after-far";
    /// The error page came from a cache, not from the site just now (`seen`: the header that
    /// says so); `ms`: how long that copy stays fresh, when known: the next check waits for it.
    Cached = "cached";
    /// The provider in front of the site (`seen`) seems to be in trouble itself: `count` sites
    /// failed through it in this browser within `ms`; `place`: its data centre, where known.
    ProviderIncident = "provider-incident";
    /// An extension's block, or the browser's own (Chromium reports its Safe Browsing warning
    /// and its "Always use secure connections" page with the same error): its page stays.
    BrowsersOwnBlock = "browsers-own-block";
    }
}

impl Notice {
    /// A notice of this kind with nothing more to it.
    pub fn of(kind: NoticeKind) -> Notice {
        Notice { kind, ms: None, seen: None, count: None, place: None }
    }
}

/// A count of ms written as a JS number. serde-wasm-bindgen's own `u64` path formats an error
/// for numbers past 2^53, which brings integer formatting into the wasm (twiggy); these never
/// come near it (2^53 ms is 285,000 years).
#[cfg(target_arch = "wasm32")]
fn js_number<S: serde::Serializer>(ms: &Option<u64>, out: S) -> Result<S::Ok, S::Error> {
    match *ms {
        Some(ms) => out.serialize_some(&(ms as f64)),
        None => out.serialize_none(),
    }
}

/// One thing the core has to tell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// What it is.
    pub kind: NoticeKind,
    /// A time or a duration in ms, as its kind says.
    #[cfg_attr(target_arch = "wasm32", serde(serialize_with = "js_number"))]
    pub ms: Option<u64>,
    /// What in the response shows it (the site's text: shown as text).
    pub seen: Option<String>,
    /// How many, as its kind says.
    pub count: Option<u32>,
    /// Where, as its kind says (a data centre).
    pub place: Option<String>,
}

/// One fact a diagnosis rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// What kind of fact it is.
    pub kind: EvidenceKind,
    /// The fact, as printable text (from the failed site: shown as text, never as markup).
    pub value: String,
}

/// Why the retry decision is what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RetryReason {
    /// Backoff with jitter; the failure is likely to pass.
    Backoff,
    /// The server asked for this delay with `Retry-After`.
    RetryAfter,
    /// The request was not idempotent (a form POST): retrying would send it again.
    UnsafeMethod,
    /// Waiting cannot help this verdict.
    NotTransient,
    /// The device is offline: retry when the connection comes back.
    WaitForOnline,
    /// Attempts or time ran out.
    GaveUp,
    /// The visitor turned automatic retries off.
    Disabled,
    /// Nothing to retry: the page did not fail.
    NotFailed,
    /// The browser's own page stays in the tab (its warning, or the visitor's choice not to
    /// replace error pages), and Page Medic does not reload it.
    BrowserPage,
    /// The page reloads itself (HTML's `Refresh`): Page Medic does not retry on top of it.
    PageRefreshes,
}

/// A retry decision: whether to retry by itself, after how long, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Retry {
    /// Whether Page Medic retries by itself.
    pub auto: bool,
    /// Milliseconds to wait before the retry; `None` when there is no automatic retry.
    #[cfg_attr(target_arch = "wasm32", serde(serialize_with = "js_number"))]
    pub after_ms: Option<u64>,
    /// Why.
    pub reason: RetryReason,
}

/// The core's answer for one event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnosis {
    /// What happened.
    pub verdict: Verdict,
    /// Whether Page Medic shows its help for this failure (the visitor's choice of statuses, or
    /// this browser's stored data as the cause); false for anything that is not a failure.
    pub help: bool,
    /// Whose side it is on; absent for [`Verdict::None`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    /// Where on the way to the site's server it failed (for the visitor's picture); absent when
    /// not known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hop: Option<Hop>,
    /// The browser's error as the visitor and the site's support are told it (its name beside
    /// its number where the browser gave both); `None` for a response.
    pub error: Option<String>,
    /// Who generated the error response, when the response tells.
    pub gateway: Option<Gateway>,
    /// The id a support team asks for (cf-ray, x-amz-cf-id, ...), when the response has one.
    pub request_id: Option<String>,
    /// Every request id the response carried, as `name: id`, most specific first (the report's).
    pub request_ids: Vec<String>,
    /// The provider's data centre that answered, where the response names one (`FRA`).
    pub data_centre: Option<String>,
    /// Whether waiting is likely to fix it.
    pub transient: bool,
    /// Whether Page Medic may take the place of the browser's own error page (never its
    /// security warnings).
    pub replace_error_page: bool,
    /// Whether the browser's error hides an answer the site gave (an error status with an empty
    /// body, which neither browser shows): one look at the address tells its status and headers,
    /// and the event is diagnosed again with them.
    pub ask_site: bool,
    /// Whether the request may be made again without the visitor asking (an idempotent method,
    /// RFC 9110 §9.2.2): a reload of its tab once the site is back. A form's never is.
    pub repeatable: bool,
    /// The first retry decision.
    pub retry: Retry,
    /// What the response's `Retry-After` asked for, in ms from `now_ms`, when it had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", serde(serialize_with = "js_number"))]
    pub retry_after_ms: Option<u64>,
    /// What to offer, in order.
    pub actions: Vec<Action>,
    /// What the verdict rests on, fact by fact (the panel's "Why Page Medic thinks so").
    pub evidence: Vec<Evidence>,
    /// What else the evidence tells (planned maintenance, a cached error ...), in order.
    pub notices: Vec<Notice>,
    /// The site's own status page and its Statuspage summary's address, `[page, summary]`,
    /// where the site has one to ask (only ever on its own domain; empty where it has none):
    /// read on the visitor's click.
    pub status_page: Vec<String>,
}

/// What a Statuspage summary's `status.indicator` says of the site, as Page Medic tells it:
/// `operational`, `minor`, `major`, `critical`, or `unknown` for anything else (the page's own
/// words are shown beside it, as text). Statuspage's API documents none, minor, major, critical.
pub fn status_level(indicator: &str) -> &'static str {
    match indicator.trim() {
        "none" => "operational",
        "minor" => "minor",
        "major" => "major",
        "critical" => "critical",
        _ => "unknown",
    }
}

/// What to offer for each verdict, in order (the first is the primary action), for a request
/// that may be repeated (a GET).
fn offered(verdict: Verdict) -> &'static [Action] {
    use Action::*;
    match verdict {
        Verdict::OriginDown | Verdict::OriginTimeout | Verdict::CdnFailure | Verdict::ServerError => {
            &[Retry, JustMe, StatusPage, NotifyWhenBack, ReportToSite, SavedCopy]
        }
        Verdict::SiteUnavailable | Verdict::RateLimited => &[Retry, StatusPage, NotifyWhenBack, JustMe, SavedCopy, ReportToSite],
        // Waiting will not heal the site's setup: its support has to hear of it.
        Verdict::SiteConfig => &[ReportToSite, StatusPage, Retry, NotifyWhenBack, SavedCopy],
        // A proxy may be one an extension set.
        Verdict::ProxyFailure => &[CheckProxy, CheckExtensions, Retry, CheckConnection],
        Verdict::DnsFailure | Verdict::ConnectionFailed => &[Retry, CheckConnection, CheckProxy, SavedCopy],
        Verdict::Offline => &[CheckConnection, Retry],
        Verdict::TlsFailure => &[CheckConnection, ReportToSite, SavedCopy],
        Verdict::BlockedByPolicy => &[CheckProxy, SavedCopy],
        Verdict::BlockedByExtension => &[CheckExtensions, Retry],
        Verdict::StaleSiteData => &[ClearSiteData, HardReload, JustMe, Retry],
        Verdict::Unknown => &[Retry, HardReload, JustMe, StatusPage, NotifyWhenBack, CheckExtensions, ReportToSite, SavedCopy],
        Verdict::None => &[],
    }
}

/// What to offer for a verdict, in order. A page that answered a form (a request that may not be
/// repeated) is not asked for again behind the visitor's back: no "is it just me?" and no
/// watching, which would each request the address again.
pub fn actions(verdict: Verdict, idempotent: bool) -> Vec<Action> {
    offered(verdict).iter().copied().filter(|a| idempotent || !matches!(a, Action::JustMe | Action::NotifyWhenBack)).collect()
}

/// What to open once "is it just me?" has its answer. The page, fetched without this browser's
/// cookies and cache, loaded (`works`): something in this browser is in the way, its data for the
/// site or an extension, so clearing the site's data and the extensions that can change the site
/// open. It failed there too: the site's side, which the diagnosis already said; nothing opens.
pub fn after_just_me(works: bool) -> &'static [Action] {
    if works {
        &[Action::ClearSiteData, Action::CheckExtensions]
    } else {
        &[]
    }
}
