//! The browsers' network error strings, read into kinds. One table for both browsers.
//!
//! Chromium reports `net::ERR_<NAME>` (net/base/net_error_list.h), sometimes with a `.SUFFIX`
//! (QUIC). Firefox's `webRequest` reports XPCOM names (`NS_ERROR_<NAME>`, xpcom/base/ErrorList.py)
//! or NSS/PKIX names for TLS, and its `webNavigation` reports `Error code <decimal>`, where network
//! errors are `0x804B0000 | n` (module NETWORK = 6, severity bit set).

/// What a network error says happened, before any other evidence is weighed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetKind {
    /// The load was stopped by the user or the page: not a failure.
    Aborted,
    /// The browser asks before it sends a form again (the visitor went back or forward to a
    /// form's answer it did not keep): its question, not a failure.
    FormResend,
    /// The browser asks the visitor to sign in (the site answered 401, or the proxy 407, with a
    /// challenge): its dialog, over a blank page of its own, not a failure.
    SignIn,
    /// The site's name could not be resolved.
    NameNotResolved,
    /// The site refused the connection.
    ConnectionRefused,
    /// Connecting or waiting for an answer timed out.
    TimedOut,
    /// The connection was reset, closed or cut mid-answer.
    ConnectionReset,
    /// The server closed the connection without sending anything.
    EmptyResponse,
    /// The server's answer could not be parsed (broken status line or headers).
    InvalidResponse,
    /// The device has no network.
    Offline,
    /// The network changed under the request (Wi-Fi switch, VPN up or down).
    NetworkChanged,
    /// The address is not reachable from here (routing, firewall).
    Unreachable,
    /// A secure connection could not be made or the certificate was refused.
    Tls,
    /// The configured proxy failed or could not reach the site.
    Proxy,
    /// The configured proxy wants credentials.
    ProxyAuth,
    /// An extension blocked the request.
    BlockedByClient,
    /// An administrator's policy or the browser's own rules blocked it.
    BlockedByPolicy,
    /// The browser's administrator blocked the address (an enterprise policy's block list): the
    /// page in its place is theirs.
    AdministratorBlock,
    /// The site sent the browser round in circles.
    TooManyRedirects,
    /// The site answered in a way no browser takes: a redirect to an address it will not load
    /// (malformed, or a scheme such as `file:`), or a proxy's sign-in challenge (a 407) from a
    /// server that is no proxy of the browser's.
    UnusableAnswer,
    /// The request's headers (mostly cookies) were too large to send.
    HeadersTooLarge,
    /// The browser did not render the answer for its HTTP status (no body to show).
    HttpResponseCode,
    /// The browser's own Safe Browsing warning (malware, phishing, unwanted software, a blocked
    /// address): its page, not a failure of the site or the network.
    SafeBrowsing,
    /// A failure the browser names no further: what a site's own service worker failing to
    /// answer a page load ends with in Chromium.
    Failed,
    /// A network error the table does not know.
    Other,
}

/// How a row's pattern is matched against the error string.
impl NetKind {
    /// Every kind. The match below fails to compile when a kind is added and not listed.
    pub const ALL: &'static [NetKind] = &[
        NetKind::Aborted,
        NetKind::FormResend,
        NetKind::SignIn,
        NetKind::NameNotResolved,
        NetKind::ConnectionRefused,
        NetKind::TimedOut,
        NetKind::ConnectionReset,
        NetKind::EmptyResponse,
        NetKind::InvalidResponse,
        NetKind::Offline,
        NetKind::NetworkChanged,
        NetKind::Unreachable,
        NetKind::Tls,
        NetKind::Proxy,
        NetKind::ProxyAuth,
        NetKind::BlockedByClient,
        NetKind::BlockedByPolicy,
        NetKind::AdministratorBlock,
        NetKind::TooManyRedirects,
        NetKind::UnusableAnswer,
        NetKind::HeadersTooLarge,
        NetKind::HttpResponseCode,
        NetKind::SafeBrowsing,
        NetKind::Failed,
        NetKind::Other,
    ];

    const fn _listed(self) {
        match self {
            NetKind::Aborted
            | NetKind::FormResend
            | NetKind::SignIn
            | NetKind::NameNotResolved
            | NetKind::ConnectionRefused
            | NetKind::TimedOut
            | NetKind::ConnectionReset
            | NetKind::EmptyResponse
            | NetKind::InvalidResponse
            | NetKind::Offline
            | NetKind::NetworkChanged
            | NetKind::Unreachable
            | NetKind::Tls
            | NetKind::Proxy
            | NetKind::ProxyAuth
            | NetKind::BlockedByClient
            | NetKind::BlockedByPolicy
            | NetKind::AdministratorBlock
            | NetKind::TooManyRedirects
            | NetKind::UnusableAnswer
            | NetKind::HeadersTooLarge
            | NetKind::HttpResponseCode
            | NetKind::SafeBrowsing
            | NetKind::Failed
            | NetKind::Other => {}
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Pattern {
    /// The string is exactly this, or this followed by a `.` suffix (Chromium's QUIC detail).
    Name(&'static str),
    /// The string starts with this (families of names: `SSL_ERROR_`, `SEC_ERROR_`).
    Prefix(&'static str),
    /// Firefox's NETWORK-module code `n`, as `NS_ERROR_...` name or as `Error code 0x804B0000|n`.
    Gecko(&'static str, u32),
    /// A Firefox code outside the NETWORK module, as its name or as `Error code <whole code>`.
    GeckoCode(&'static str, u64),
    /// Any `Error code <n>` of one Firefox module (`0x8000_0000 | (module + 0x45) << 16`): every
    /// NSS and PKIX failure shares the SECURITY module, whose codes are `-(NSS error)`.
    GeckoModule(u64),
}

/// One row: a pattern, what it means, and where the fact comes from.
struct Row {
    pattern: Pattern,
    kind: NetKind,
    /// Read by people (the table is the documentation); the wasm, which never shows it, is built
    /// without it (its size budget).
    #[cfg(not(target_arch = "wasm32"))]
    #[allow(dead_code)]
    source: &'static str,
}

// The rows' sources (native builds only, as the field).
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
const CHROMIUM: &str = "chromium net/base/net_error_list.h";
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
const GECKO: &str = "gecko xpcom/base/ErrorList.py";
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
const NSS: &str = "gecko security/manager/ssl (NSS/PKIX error names)";

macro_rules! rows {
    ($($pattern:expr => $kind:ident, $source:expr;)+) => {
        &[$(Row {
            pattern: $pattern,
            kind: NetKind::$kind,
            #[cfg(not(target_arch = "wasm32"))]
            source: $source,
        }),+]
    };
}

use Pattern::{Gecko, GeckoCode, GeckoModule, Name, Prefix};

/// The table. First match wins, so specific names stand before the prefixes that cover them.
static TABLE: &[Row] = rows! {
    Name("net::ERR_ABORTED") => Aborted, CHROMIUM;                         // -3
    Gecko("NS_BINDING_ABORTED", 2) => Aborted, GECKO;
    Gecko("NS_ERROR_DOCSHELL_DYING", 78) => Aborted, GECKO;
    // Chromium's "Confirm Form Resubmission" page; Firefox's "Document Expired".
    Name("net::ERR_CACHE_MISS") => FormResend, CHROMIUM;                   // -400
    Gecko("NS_ERROR_DOCUMENT_NOT_CACHED", 70) => FormResend, GECKO;
    // Chromium commits a blank error page under its sign-in dialog for a main-frame 401 or 407
    // (and shows the 401's own page if the visitor cancels): chrome/browser/ui/login/
    // login_tab_helper.cc; seen in Chromium 156. Firefox keeps the load open under its dialog
    // and reports nothing.
    Name("net::ERR_INVALID_AUTH_CREDENTIALS") => SignIn, CHROMIUM;         // -338
    Name("net::ERR_NAME_NOT_RESOLVED") => NameNotResolved, CHROMIUM;       // -105
    Name("net::ERR_NAME_RESOLUTION_FAILED") => NameNotResolved, CHROMIUM;  // -137
    // The resolver's own failures (-800 MALFORMED_RESPONSE, -802 SERVER_FAILED, -803 TIMED_OUT, ...).
    Prefix("net::ERR_DNS_") => NameNotResolved, CHROMIUM;
    Gecko("NS_ERROR_UNKNOWN_HOST", 30) => NameNotResolved, GECKO;
    Gecko("NS_ERROR_DEFINITIVE_UNKNOWN_HOST", 43) => NameNotResolved, GECKO;
    Name("net::ERR_CONNECTION_REFUSED") => ConnectionRefused, CHROMIUM;    // -102
    Gecko("NS_ERROR_CONNECTION_REFUSED", 13) => ConnectionRefused, GECKO;
    Name("net::ERR_CONNECTION_TIMED_OUT") => TimedOut, CHROMIUM;           // -118
    Name("net::ERR_TIMED_OUT") => TimedOut, CHROMIUM;                      // -7
    Gecko("NS_ERROR_NET_TIMEOUT", 14) => TimedOut, GECKO;
    Gecko("NS_ERROR_NET_TIMEOUT_EXTERNAL", 85) => TimedOut, GECKO;
    Name("net::ERR_CONNECTION_RESET") => ConnectionReset, CHROMIUM;        // -101
    Name("net::ERR_CONNECTION_CLOSED") => ConnectionReset, CHROMIUM;       // -100
    Name("net::ERR_CONNECTION_ABORTED") => ConnectionReset, CHROMIUM;      // -103
    Name("net::ERR_CONNECTION_FAILED") => ConnectionReset, CHROMIUM;       // -104
    Name("net::ERR_SOCKET_NOT_CONNECTED") => ConnectionReset, CHROMIUM;    // -15
    Name("net::ERR_INCOMPLETE_CHUNKED_ENCODING") => ConnectionReset, CHROMIUM; // -355
    Name("net::ERR_CONTENT_LENGTH_MISMATCH") => ConnectionReset, CHROMIUM; // -354
    // Every HTTP/2 failure (-337 PROTOCOL_ERROR, -352 PING_FAILED, -351 SERVER_REFUSED_STREAM,
    // -376 STREAM_CLOSED, -361 FLOW_CONTROL_ERROR, ...): the connection broke under the load.
    Prefix("net::ERR_HTTP2_") => ConnectionReset, CHROMIUM;
    Name("net::ERR_INCOMPLETE_HTTP2_HEADERS") => ConnectionReset, CHROMIUM; // -347
    // The server ended an HTTP/2 stream asking for HTTP/1.1, and the browser's retry over it failed.
    Name("net::ERR_HTTP_1_1_REQUIRED") => ConnectionReset, CHROMIUM;       // -365
    // QUIC's certificate failure is a certificate warning; its other failures (-356
    // PROTOCOL_ERROR, -358 HANDSHAKE_FAILED) a broken connection.
    Name("net::ERR_QUIC_CERT_ROOT_NOT_KNOWN") => Tls, CHROMIUM;            // -380
    Prefix("net::ERR_QUIC_") => ConnectionReset, CHROMIUM;
    Gecko("NS_ERROR_NET_RESET", 20) => ConnectionReset, GECKO;
    Gecko("NS_ERROR_NET_INTERRUPT", 71) => ConnectionReset, GECKO;
    Gecko("NS_ERROR_NET_PARTIAL_TRANSFER", 76) => ConnectionReset, GECKO;
    Gecko("NS_ERROR_NET_HTTP2_SENT_GOAWAY", 83) => ConnectionReset, GECKO;
    Gecko("NS_ERROR_NET_HTTP3_PROTOCOL_ERROR", 84) => ConnectionReset, GECKO;
    Name("net::ERR_EMPTY_RESPONSE") => EmptyResponse, CHROMIUM;            // -324
    Gecko("NS_ERROR_NET_EMPTY_RESPONSE", 36) => EmptyResponse, GECKO;
    Name("net::ERR_INVALID_HTTP_RESPONSE") => InvalidResponse, CHROMIUM;   // -370
    Name("net::ERR_RESPONSE_HEADERS_TRUNCATED") => InvalidResponse, CHROMIUM; // -357
    Name("net::ERR_INVALID_RESPONSE") => InvalidResponse, CHROMIUM;        // -320
    // -346 CONTENT_LENGTH, -349 CONTENT_DISPOSITION, -350 LOCATION: headers that contradict themselves.
    Prefix("net::ERR_RESPONSE_HEADERS_MULTIPLE_") => InvalidResponse, CHROMIUM;
    // A body its Content-Encoding does not describe (-330 FAILED, -371 INIT_FAILED).
    Prefix("net::ERR_CONTENT_DECODING_") => InvalidResponse, CHROMIUM;
    Name("net::ERR_INVALID_CHUNKED_ENCODING") => InvalidResponse, CHROMIUM; // -321
    Gecko("NS_ERROR_PARSING_HTTP_STATUS_LINE", 90) => InvalidResponse, GECKO;
    // Also what Firefox says of a redirect it will not follow (to file:, or to an address that
    // does not parse; seen in Firefox ESR 140): it names no redirect, so it stays a broken answer.
    Gecko("NS_ERROR_CORRUPTED_CONTENT", 29) => InvalidResponse, GECKO;
    Gecko("NS_ERROR_INVALID_CONTENT_ENCODING", 27) => InvalidResponse, GECKO;
    Name("net::ERR_INTERNET_DISCONNECTED") => Offline, CHROMIUM;           // -106
    Gecko("NS_ERROR_OFFLINE", 16) => Offline, GECKO;
    Name("net::ERR_NETWORK_CHANGED") => NetworkChanged, CHROMIUM;          // -21
    // The device slept (or suspended its network) during the load.
    Name("net::ERR_NETWORK_IO_SUSPENDED") => NetworkChanged, CHROMIUM;     // -331
    Name("net::ERR_ADDRESS_UNREACHABLE") => Unreachable, CHROMIUM;         // -109
    Name("net::ERR_NETWORK_ACCESS_DENIED") => Unreachable, CHROMIUM;       // -138
    Name("net::ERR_ADDRESS_INVALID") => Unreachable, CHROMIUM;             // -108
    Name("net::ERR_PROXY_CONNECTION_FAILED") => Proxy, CHROMIUM;           // -130
    Name("net::ERR_TUNNEL_CONNECTION_FAILED") => Proxy, CHROMIUM;          // -111
    Name("net::ERR_PROXY_CERTIFICATE_INVALID") => Proxy, CHROMIUM;         // -136
    Name("net::ERR_MANDATORY_PROXY_CONFIGURATION_FAILED") => Proxy, CHROMIUM; // -131
    Name("net::ERR_PROXY_HTTP_1_1_REQUIRED") => Proxy, CHROMIUM;           // -366
    Prefix("net::ERR_SOCKS_") => Proxy, CHROMIUM;                          // -120, -121
    // The proxy auto-config script (a company's PAC file) failed or ended: no proxy to ask.
    Prefix("net::ERR_PAC_") => Proxy, CHROMIUM;                            // -328, -348, -367
    Name("net::ERR_HTTPS_PROXY_TUNNEL_RESPONSE_REDIRECT") => Proxy, CHROMIUM; // -140
    Name("net::ERR_PROXY_AUTH_UNSUPPORTED") => ProxyAuth, CHROMIUM;        // -115
    Name("net::ERR_PROXY_AUTH_REQUESTED") => ProxyAuth, CHROMIUM;          // -127
    Gecko("NS_ERROR_PROXY_CONNECTION_REFUSED", 72) => Proxy, GECKO;
    Gecko("NS_ERROR_UNKNOWN_PROXY_HOST", 42) => Proxy, GECKO;
    Gecko("NS_ERROR_PROXY_BAD_GATEWAY", 1502) => Proxy, GECKO;
    Gecko("NS_ERROR_PROXY_GATEWAY_TIMEOUT", 1504) => Proxy, GECKO;
    Gecko("NS_ERROR_PROXY_SERVICE_UNAVAILABLE", 1503) => Proxy, GECKO;
    Gecko("NS_ERROR_PROXY_FORBIDDEN", 1403) => BlockedByPolicy, GECKO;
    Gecko("NS_ERROR_PROXY_AUTHENTICATION_FAILED", 1407) => ProxyAuth, GECKO;
    // A site's service worker that fails a page load (its fetch of the page rejected): Chromium
    // says ERR_FAILED (seen in Chromium 148; Firefox ESR 140 passes the worker's own network
    // error on), and Firefox names interception failures.
    Name("net::ERR_FAILED") => Failed, CHROMIUM;                           // -2
    Gecko("NS_ERROR_INTERCEPTION_FAILED", 100) => Failed, GECKO;
    Name("net::ERR_BLOCKED_BY_CLIENT") => BlockedByClient, CHROMIUM;       // -20
    // An extension's declarativeNetRequest block or webRequest cancel ends a Firefox load with
    // NS_ERROR_ABORT (captured with a blocking test extension in Firefox ESR 153).
    GeckoCode("NS_ERROR_ABORT", 0x8000_4004) => BlockedByClient, GECKO;
    // An enterprise policy's block list (Chromium's URLBlocklist, Firefox's WebsiteFilter; both
    // seen in Debian's Chromium 148 and Firefox ESR 140 with a machine policy file).
    Name("net::ERR_BLOCKED_BY_ADMINISTRATOR") => AdministratorBlock, CHROMIUM; // -22
    GeckoCode("NS_ERROR_BLOCKED_BY_POLICY", 0x8078_0003) => AdministratorBlock, GECKO;
    Name("net::ERR_BLOCKED_BY_RESPONSE") => BlockedByPolicy, CHROMIUM;     // -27
    Name("net::ERR_UNSAFE_PORT") => BlockedByPolicy, CHROMIUM;             // -312
    Gecko("NS_ERROR_PORT_ACCESS_NOT_ALLOWED", 19) => BlockedByPolicy, GECKO;
    Name("net::ERR_TOO_MANY_REDIRECTS") => TooManyRedirects, CHROMIUM;     // -310
    Gecko("NS_ERROR_REDIRECT_LOOP", 31) => TooManyRedirects, GECKO;
    // A redirect to an address that does not parse, or to one no page may lead to (file:).
    Name("net::ERR_INVALID_REDIRECT") => UnusableAnswer, CHROMIUM;         // -303
    Name("net::ERR_UNSAFE_REDIRECT") => UnusableAnswer, CHROMIUM;          // -311
    // A 407 from a server the browser reached directly (seen in Chromium 156, from nginx; Firefox
    // shows such a 407's own page).
    Name("net::ERR_UNEXPECTED_PROXY_AUTH") => UnusableAnswer, CHROMIUM;    // -323
    Name("net::ERR_RESPONSE_HEADERS_TOO_BIG") => HeadersTooLarge, CHROMIUM; // -325
    Name("net::ERR_HTTP_RESPONSE_CODE_FAILURE") => HttpResponseCode, CHROMIUM; // -379
    Gecko("NS_ERROR_NET_ERROR_RESPONSE", 35) => HttpResponseCode, GECKO;
    Name("net::ERR_CERT_COMMON_NAME_INVALID") => Tls, CHROMIUM;            // -200
    Prefix("net::ERR_CERT_") => Tls, CHROMIUM;                             // -200 .. -218
    Prefix("net::ERR_SSL_") => Tls, CHROMIUM;                              // -107, -113, ...
    Name("net::ERR_BAD_SSL_CLIENT_AUTH_CERT") => Tls, CHROMIUM;            // -117
    // "The server's response was insecure (e.g. there was a cert error)."
    Name("net::ERR_INSECURE_RESPONSE") => Tls, CHROMIUM;                   // -501
    // The rest of the certificate range (-200 .. -218) and the TLS failures not named ERR_SSL_*:
    // without them Page Medic took a certificate warning for an unknown error.
    Name("net::ERR_CERTIFICATE_TRANSPARENCY_REQUIRED") => Tls, CHROMIUM;   // -214
    Name("net::ERR_TLS13_DOWNGRADE_DETECTED") => Tls, CHROMIUM;            // -180
    Name("net::ERR_INVALID_ECH_CONFIG_LIST") => Tls, CHROMIUM;             // -182
    Name("net::ERR_ECH_NOT_NEGOTIATED") => Tls, CHROMIUM;                  // -183
    Name("net::ERR_ECH_FALLBACK_CERTIFICATE_INVALID") => Tls, CHROMIUM;    // -184
    Name("net::ERR_NO_SSL_VERSIONS_ENABLED") => Tls, CHROMIUM;             // -112
    Name("net::ERR_ALPN_NEGOTIATION_FAILED") => Tls, CHROMIUM;             // -122
    Name("net::ERR_CLIENT_AUTH_CERT_TYPE_UNSUPPORTED") => Tls, CHROMIUM;   // -151
    Gecko("NS_ERROR_NET_INADEQUATE_SECURITY", 82) => Tls, GECKO;
    Gecko("NS_ERROR_BAD_HSTS_CERT", 89) => Tls, GECKO;
    Prefix("SSL_ERROR_") => Tls, NSS;
    Prefix("SEC_ERROR_") => Tls, NSS;
    Prefix("MOZILLA_PKIX_ERROR_") => Tls, NSS;
    Prefix("NS_ERROR_GENERATE_FAILURE(NS_ERROR_MODULE_SECURITY") => Tls, NSS;
    // Firefox's webNavigation gives certificate and TLS failures as numbers only, e.g.
    // 2153390067 = 0x805A1FF3 = SEC_ERROR_UNKNOWN_ISSUER (-8179), 2153398258 =
    // MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT (-16370): all of module SECURITY (21).
    GeckoModule(GECKO_SECURITY_BASE) => Tls, NSS;
    // Safe Browsing: Firefox names the list that matched (module URILOADER, 24).
    GeckoCode("NS_ERROR_MALWARE_URI", 0x805D_001E) => SafeBrowsing, GECKO;
    GeckoCode("NS_ERROR_PHISHING_URI", 0x805D_001F) => SafeBrowsing, GECKO;
    GeckoCode("NS_ERROR_UNWANTED_URI", 0x805D_0023) => SafeBrowsing, GECKO;
    GeckoCode("NS_ERROR_HARMFUL_URI", 0x805D_0026) => SafeBrowsing, GECKO;
    // The "blocked" list's page (about:blocked?e=blockedByPolicy; seen with the built-in test
    // entry itisatrap.org/firefox/blocked.html in Firefox ESR 140).
    GeckoCode("NS_ERROR_BLOCKED_URI", 0x805D_0025) => SafeBrowsing, GECKO;
};

/// Firefox's NETWORK module base: `NS_ERROR_GENERATE_FAILURE(NS_ERROR_MODULE_NETWORK, 0)`.
const GECKO_NETWORK_BASE: u64 = 0x804B_0000;
/// Firefox's SECURITY module base (NSS and PKIX errors).
const GECKO_SECURITY_BASE: u64 = 0x805A_0000;

/// Reads a browser error string into a kind; `None` for an empty string.
pub fn classify(error: &str) -> Option<NetKind> {
    let error = error.trim();
    if error.is_empty() {
        return None;
    }
    let code = gecko_code(error);
    let hit = TABLE.iter().find(|row| match row.pattern {
        Name(name) => error == name || (error.starts_with(name) && error.as_bytes().get(name.len()) == Some(&b'.')),
        Prefix(prefix) => error.starts_with(prefix),
        Gecko(name, n) => error == name || code == Some(GECKO_NETWORK_BASE + u64::from(n)),
        GeckoCode(name, whole) => error == name || code == Some(whole),
        GeckoModule(base) => code.is_some_and(|c| c & 0xFFFF_0000 == base),
    });
    Some(hit.map_or(NetKind::Other, |row| row.kind))
}

/// Reads a browser error into a kind as `classify` does, and a number the table does not know by
/// the name the browser gave it (`name`: Firefox's `NS_ERROR_...` for the same failure).
pub fn classify_named(error: &str, name: Option<&str>) -> Option<NetKind> {
    match (classify(error), name) {
        (Some(NetKind::Other), Some(name)) if is_number_only(error) => classify(name),
        (kind, _) => kind,
    }
}

/// Whether the error is a number only (Firefox's `webNavigation`: `Error code N`).
pub fn is_number_only(error: &str) -> bool {
    gecko_code(error.trim()).is_some()
}

/// The number in Firefox's `Error code N` (decimal, or `0x` hex).
fn gecko_code(error: &str) -> Option<u64> {
    let rest = error.strip_prefix("Error code ")?.trim();
    match rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => rest.parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! cases {
        ($($name:ident: $input:expr => $kind:expr;)+) => {
            $(#[test] fn $name() { assert_eq!(classify($input), $kind); })+
        };
    }

    cases! {
        chromium_dns: "net::ERR_NAME_NOT_RESOLVED" => Some(NetKind::NameNotResolved);
        chromium_quic_suffix: "net::ERR_QUIC_PROTOCOL_ERROR.QUIC_TOO_MANY_RTOS" => Some(NetKind::ConnectionReset);
        chromium_suffix_on_name: "net::ERR_CONNECTION_REFUSED.X" => Some(NetKind::ConnectionRefused);
        chromium_no_false_prefix: "net::ERR_CONNECTION_REFUSEDX" => Some(NetKind::Other);
        chromium_cert: "net::ERR_CERT_AUTHORITY_INVALID" => Some(NetKind::Tls);
        chromium_generic_failure: "net::ERR_FAILED" => Some(NetKind::Failed);
        firefox_interception_code: "Error code 2152398948" => Some(NetKind::Failed);
        chromium_ct_is_a_certificate_error: "net::ERR_CERTIFICATE_TRANSPARENCY_REQUIRED" => Some(NetKind::Tls);
        chromium_ech: "net::ERR_ECH_FALLBACK_CERTIFICATE_INVALID" => Some(NetKind::Tls);
        firefox_name: "NS_ERROR_UNKNOWN_HOST" => Some(NetKind::NameNotResolved);
        firefox_decimal_refused: "Error code 2152398861" => Some(NetKind::ConnectionRefused);
        firefox_decimal_aborted: "Error code 2152398850" => Some(NetKind::Aborted);
        chromium_form_resubmission: "net::ERR_CACHE_MISS" => Some(NetKind::FormResend);
        chromium_sign_in_dialog: "net::ERR_INVALID_AUTH_CREDENTIALS" => Some(NetKind::SignIn);
        chromium_http2_family: "net::ERR_HTTP2_PING_FAILED" => Some(NetKind::ConnectionReset);
        chromium_pac_script: "net::ERR_PAC_SCRIPT_FAILED" => Some(NetKind::Proxy);
        chromium_alpn_is_the_handshake: "net::ERR_ALPN_NEGOTIATION_FAILED" => Some(NetKind::Tls);
        chromium_http2_stream: "net::ERR_HTTP2_SERVER_REFUSED_STREAM" => Some(NetKind::ConnectionReset);
        chromium_device_slept: "net::ERR_NETWORK_IO_SUSPENDED" => Some(NetKind::NetworkChanged);
        chromium_dns_family: "net::ERR_DNS_SERVER_REQUIRES_TCP" => Some(NetKind::NameNotResolved);
        chromium_bad_compression: "net::ERR_CONTENT_DECODING_FAILED" => Some(NetKind::InvalidResponse);
        chromium_two_locations: "net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION" => Some(NetKind::InvalidResponse);
        chromium_quic_handshake: "net::ERR_QUIC_HANDSHAKE_FAILED" => Some(NetKind::ConnectionReset);
        chromium_quic_certificate: "net::ERR_QUIC_CERT_ROOT_NOT_KNOWN" => Some(NetKind::Tls);
        chromium_invalid_redirect: "net::ERR_INVALID_REDIRECT" => Some(NetKind::UnusableAnswer);
        chromium_unsafe_redirect: "net::ERR_UNSAFE_REDIRECT" => Some(NetKind::UnusableAnswer);
        chromium_direct_407: "net::ERR_UNEXPECTED_PROXY_AUTH" => Some(NetKind::UnusableAnswer);
        chromium_http2_headers: "net::ERR_INCOMPLETE_HTTP2_HEADERS" => Some(NetKind::ConnectionReset);
        chromium_http11_required: "net::ERR_HTTP_1_1_REQUIRED" => Some(NetKind::ConnectionReset);
        chromium_insecure_response: "net::ERR_INSECURE_RESPONSE" => Some(NetKind::Tls);
        chromium_socks: "net::ERR_SOCKS_CONNECTION_HOST_UNREACHABLE" => Some(NetKind::Proxy);
        firefox_document_expired: "Error code 2152398918" => Some(NetKind::FormResend);
        firefox_decimal_offline: "Error code 2152398864" => Some(NetKind::Offline);
        firefox_decimal_timeout: "Error code 2152398862" => Some(NetKind::TimedOut);
        firefox_hex: "Error code 0x804B001E" => Some(NetKind::NameNotResolved);
        firefox_proxy_bad_gateway: "NS_ERROR_PROXY_BAD_GATEWAY" => Some(NetKind::Proxy);
        firefox_nss: "SEC_ERROR_UNKNOWN_ISSUER" => Some(NetKind::Tls);
        firefox_extension_block: "Error code 2147500036" => Some(NetKind::BlockedByClient);
        firefox_unknown_issuer_code: "Error code 2153390067" => Some(NetKind::Tls);
        firefox_self_signed_code: "Error code 2153398258" => Some(NetKind::Tls);
        firefox_bad_cert_domain_code: "Error code 2153394164" => Some(NetKind::Tls);
        firefox_security_module_hex: "Error code 0x805A2FF0" => Some(NetKind::Tls);
        firefox_phishing: "Error code 2153578527" => Some(NetKind::SafeBrowsing);
        firefox_malware_name: "NS_ERROR_MALWARE_URI" => Some(NetKind::SafeBrowsing);
        firefox_blocked_list_code: "Error code 2153578533" => Some(NetKind::SafeBrowsing);
        firefox_policy_code: "Error code 2155347971" => Some(NetKind::AdministratorBlock);
        chromium_administrator: "net::ERR_BLOCKED_BY_ADMINISTRATOR" => Some(NetKind::AdministratorBlock);
        firefox_tracking_is_not_safe_browsing: "Error code 2153578530" => Some(NetKind::Other);
        unknown: "something else" => Some(NetKind::Other);
        garbage_code: "Error code 99999999999999999999999" => Some(NetKind::Other);
        empty: "  " => None;
    }
}
