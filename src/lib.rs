//! Page Medic's decision core: reads what a browser saw of a failed page load and says what
//! happened, whose side it is on, and what to do. It does no I/O and reads no clock or
//! randomness: time and jitter come in with the event.
//!
//! ```
//! use page_medic::{diagnose, parse_event, Side, Verdict};
//!
//! let event = parse_event(r#"{
//!     "url": "https://shop.example/cart?id=7",
//!     "status": 502,
//!     "headers": [["Server", "nginx/1.22.1"]],
//!     "body": "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.22.1</center></body></html>"
//! }"#).unwrap();
//! let d = diagnose(&event);
//! assert_eq!(d.verdict, Verdict::OriginDown);
//! assert_eq!(d.side, Some(Side::Site));
//! assert_eq!(d.gateway.unwrap().name, "nginx");
//! assert!(d.retry.auto);
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod diagnosis;
pub mod event;
pub mod evidence;
pub mod http_date;
pub mod incident;
pub mod net_error;
pub mod report;
pub mod retry;
pub mod rules;
pub mod site;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use diagnosis::{Action, Diagnosis, Evidence, EvidenceKind, Gateway, GatewayKind, Hop, Notice, NoticeKind, Retry, RetryReason, Side, Verdict};
pub use event::{parse_event, Browser, Event, EventError};

use evidence::TextView;
use rules::Facts;

/// The shortest Retry-After on a 503 that says the site is down on purpose, for a while.
const PLANNED_WAIT_MS: u64 = 60_000;

/// What the visitor chose in Page Medic's options that bears on a decision. It is passed in for
/// every decision, the first included.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Choices {
    /// The HTTP statuses the visitor wants help with; `None`: every server error (for callers
    /// without options: the command line, tests).
    pub statuses: Option<Vec<u16>>,
    /// The visitor's limit on automatic retries; the policy's default when absent.
    pub retry_limit: Option<u32>,
    /// Whether Page Medic retries by itself (absent: yes).
    pub auto_retry: Option<bool>,
    /// Whether Page Medic may take the place of the browser's error pages (absent: yes).
    pub replace_error_pages: Option<bool>,
}

impl Choices {
    /// Whether the visitor wants help with this status.
    pub fn wants(&self, status: u16) -> bool {
        self.statuses.as_ref().map_or((500..=599).contains(&status), |list| list.contains(&status))
    }

    /// The retry policy under the visitor's limit.
    pub fn policy(&self) -> retry::Policy {
        let defaults = retry::Policy::default();
        retry::Policy { max_attempts: self.retry_limit.unwrap_or(defaults.max_attempts), automatic: self.auto_retry.unwrap_or(true), ..defaults }
    }
}

/// Whether a page that answered with `status` may get help, before its page is read: the visitor
/// wants help with the status, or a row of the table can find this site's stored data behind it.
pub fn may_help(status: u16, choices: &Choices) -> bool {
    choices.wants(status) || rules::may_be_stale_site_data(status)
}

/// Whether the visitor asked Page Medic to leave `host` alone: `ignored_sites` (one host a line,
/// as the visitor wrote them in the options) names it or a domain it is under. ASCII case and a
/// final dot do not matter. Asked before anything else is done for a failed page.
pub fn ignores(host: &str, ignored_sites: &str) -> bool {
    let host = host.as_bytes();
    let host = host.strip_suffix(b".").unwrap_or(host);
    ignored_sites.as_bytes().split(|&c| c == b'\n').any(|site| {
        let site = site.trim_ascii();
        let site = site.strip_suffix(b".").unwrap_or(site);
        let Some(head) = host.len().checked_sub(site.len()) else { return false };
        !site.is_empty() && host[head..].eq_ignore_ascii_case(site) && (head == 0 || host[head - 1] == b'.')
    })
}

/// Diagnoses one event for a visitor who kept the default choices.
pub fn diagnose(event: &Event) -> Diagnosis {
    diagnose_with(event, &Choices::default())
}

/// Diagnoses one event under the visitor's choices.
pub fn diagnose_with(event: &Event, choices: &Choices) -> Diagnosis {
    let policy = &choices.policy();
    let net = event.error.as_deref().and_then(|error| net_error::classify_named(error, event.error_name()));
    // An error that may only hide the site's answer (an empty error page, an error page the
    // browser would not show, a service worker's failure): the address is asked once, and its
    // answer, where it came, speaks instead of the error.
    let hid_answer = matches!(net, Some(net_error::NetKind::HttpResponseCode | net_error::NetKind::Failed | net_error::NetKind::InvalidResponse));
    // A body only speaks for a response; a network error has none worth reading.
    let text = if event.status.is_some() { TextView::new(event.body()) } else { TextView::default() };
    let markers = evidence::markers(event, &text);
    let facts = Facts {
        status: event.status,
        net: net.filter(|_| !(hid_answer && event.status.is_some())),
        markers,
        via_proxy: event.via_proxy,
        look_failed: event.look_failed,
        upgraded: event.upgraded,
        proxy_sign_in: event.proxy_sign_in,
        online: event.online(),
        blockers: event.blockers,
        browser: event.browser,
    };
    let rule = rules::verdict(&facts);
    let verdict = rule.verdict;

    let (gateway, request_id, request_ids, data_centre) = if event.status.is_some() {
        (evidence::gateway(event, &text), evidence::request_id(event, &text), evidence::request_ids(event, &text), evidence::data_centre(event, &text))
    } else {
        (None, None, Vec::new(), None)
    };

    let now_ms = event.now_ms.unwrap_or(0.0);
    let mut notices = Vec::new();
    let asked = event.header("retry-after").and_then(|v| retry::read_retry_after(v, now_ms));
    let retry_after = match asked {
        Some(retry::RetryAfter::In(ms)) => Some(ms),
        // A date already past: the policy's own schedule, and the visitor is told.
        Some(retry::RetryAfter::Past) => {
            notices.push(Notice::of(NoticeKind::RetryAfterPast));
            None
        }
        None => None,
    };
    let far = retry_after.filter(|&ms| ms > policy.max_elapsed_ms);
    // Planned maintenance: the site says it is unavailable and says so deliberately (a maintenance
    // page, or a 503 with Retry-After, RFC 9110 §15.6.4), with when it expects to be back where
    // it said so within the hour. A 503 is overload as often (§15.6.4 names both): a Retry-After
    // shorter than a minute is a busy server shedding load (0 is "try again now"; Varnish's own
    // 503 says 5), nothing planned.
    let planned = matches!(asked, Some(retry::RetryAfter::Past)) || retry_after.is_some_and(|ms| ms >= PLANNED_WAIT_MS);
    // A page that only quotes the 503's definition ("overload or scheduled maintenance") says nothing of plans.
    let says_maintenance = markers.contains(evidence::Marker::Maintenance) && !markers.contains(evidence::Marker::BusyOrMaintenance);
    if verdict == Verdict::SiteUnavailable && (planned || says_maintenance) {
        let back = retry_after.filter(|&ms| ms > 0 && far.is_none() && now_ms > 0.0).map(|ms| (now_ms as u64).saturating_add(ms));
        notices.push(Notice { ms: back, ..Notice::of(NoticeKind::Maintenance) });
    }
    if far.is_some() {
        notices.push(Notice { ms: far, ..Notice::of(NoticeKind::RetryAfterFar) });
    }
    if verdict == Verdict::BlockedByExtension && rule.keeps_browser_page {
        notices.push(Notice::of(NoticeKind::BrowsersOwnBlock));
    }
    // An error a cache keeps: asking before its copy expires gets the same copy back.
    let cached = event.status.and_then(|_| evidence::cached(event));
    let cache_wait = cached.as_ref().and_then(|c| c.fresh_ms);
    if let Some(c) = cached {
        notices.push(Notice { ms: c.fresh_ms, seen: Some(c.seen), ..Notice::of(NoticeKind::Cached) });
    }
    if let Some(incident) = gateway.filter(|_| verdict.side() == Some(Side::Site)).and_then(|g| incident::provider_incident(event, g)) {
        notices.push(Notice { place: data_centre.clone(), ..incident });
    }
    // The site's own status page, where it has one to ask (a network error's site too: whether
    // it is down for everyone may be on it).
    let links: Vec<&str> = event.headers.iter().filter(|(n, _)| n.trim_ascii().eq_ignore_ascii_case("link")).map(|(_, v)| v.as_str()).collect();
    let status_page = site::status_page(&event.url, &links, if event.status.is_some() { event.body() } else { "" });
    let replace_error_page = verdict.replaces_error_page() && !rule.keeps_browser_page && choices.replace_error_pages != Some(false);
    let retry = if event.status.is_none() && verdict.is_failure() && !replace_error_page {
        // The browser's own page stays (its warning, or the visitor's choice): reloading it
        // behind the visitor's back would take it away from them.
        Retry { auto: false, after_ms: None, reason: RetryReason::BrowserPage }
    } else {
        policy.decide(&retry::Attempt {
            verdict,
            idempotent: event.idempotent(),
            retry_after_ms: retry_after.max(cache_wait),
            attempt: 0,
            elapsed_ms: 0,
            jitter: event.jitter.unwrap_or(0.5),
            refreshes: event.header("refresh").is_some_and(retry::declares_refresh) || event.refresh.as_deref().is_some_and(retry::declares_refresh),
        })
    };

    let mut evidence = Vec::new();
    let mut fact = |kind: EvidenceKind, value: String| evidence.push(Evidence { kind, value });
    if let Some(status) = event.status {
        let reason = event.status_text.as_deref().map(printable).unwrap_or_default();
        fact(EvidenceKind::Status, [decimal(status.into(), 1).as_str(), " ", &reason].concat().trim_end().to_string());
    }
    let error = event.error_told();
    if let Some(error) = &error {
        fact(EvidenceKind::Error, error.clone());
    }
    if let Some(g) = gateway {
        fact(EvidenceKind::Gateway, g.name.to_string());
    }
    if let Some(ms) = retry_after {
        fact(EvidenceKind::RetryAfter, decimal(ms / 1000, 1));
    }
    if !event.idempotent() {
        fact(EvidenceKind::Method, printable(&event.method()));
    }
    if let Some(source) = rule.marker.and_then(|m| evidence::marker_source(event, &text, m)) {
        fact(EvidenceKind::Seen, source.to_string());
    }
    fact(EvidenceKind::Rule, rule.source.to_string());

    // A response gets help for a status the visitor chose, or where this browser's stored data
    // is the cause; a network error whenever it is a failure.
    let help = verdict.is_failure() && event.status.is_none_or(|s| choices.wants(s) || verdict == Verdict::StaleSiteData);

    Diagnosis {
        verdict,
        help,
        side: verdict.side(),
        hop: verdict.hop(),
        error,
        gateway,
        request_id,
        request_ids,
        data_centre,
        transient: verdict.transient(),
        replace_error_page,
        ask_site: match event.status {
            // An error that may hide the site's answer (`hid_answer` above): the address is
            // asked, once.
            None => !event.look_failed && hid_answer,
            // A page whose response head could not be read back (its site said `no-store`) and
            // whose body does not name who answered.
            Some(_) => help && event.headers.is_empty() && gateway.is_none(),
        },
        repeatable: event.idempotent(),
        retry,
        retry_after_ms: retry_after,
        actions: diagnosis::actions(verdict, event.idempotent()).into_iter().filter(|&a| a != Action::StatusPage || status_page.is_some()).collect(),
        evidence,
        notices,
        status_page: status_page.map_or_else(Vec::new, |(page, summary)| vec![page, summary]),
    }
}

/// Diagnoses one event given as JSON and answers JSON: the diagnosis, or `{"error": "..."}`.
pub fn diagnose_json(json: &str) -> String {
    match parse_event(json) {
        Ok(event) => serde_json::to_string(&diagnose(&event)).unwrap_or_else(|e| error_json(&format!("cannot write diagnosis: {e}"))),
        Err(e) => error_json(&e.to_string()),
    }
}

/// `{"error": message}` as JSON.
pub fn error_json(message: &str) -> String {
    serde_json::json!({ "error": message }).to_string()
}

/// `n` in decimal, at least `width` digits (zeros in front): the core's numbers are written with
/// this rather than `format!`, whose padding and `Display` paths cost the wasm more.
pub(crate) fn decimal(n: u64, width: usize) -> String {
    let mut digits = Vec::with_capacity(20);
    let mut n = n;
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 && digits.len() >= width {
            break;
        }
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// Where `needle` first occurs in `hay` (bytes). Substring searches in the core go through this,
/// not `str::find`: `str`'s searcher and `str` slicing bring panic formatting into the wasm
/// (about 2 KB gzip of its budget; docs/performance-notes.md). `memchr` finds the candidates.
pub(crate) fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let Some(&first) = needle.first() else { return Some(0) };
    memchr::memchr_iter(first, hay).find(|&at| hay.get(at..).is_some_and(|rest| rest.starts_with(needle)))
}

/// Hostile text made safe to quote: control characters dropped, at most 100 characters.
pub(crate) fn printable(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() && !is_bidi_control(*c)).take(100).collect::<String>().trim().to_string()
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn network_error(error: &str) -> Diagnosis {
        diagnose(&parse_event(&format!(r#"{{"url":"https://a.example/","error":"{error}"}}"#)).unwrap())
    }

    #[test]
    fn an_error_firefox_gave_as_a_number_is_told_by_its_name_beside_it() {
        let failed = |error: &str, name: Option<&str>| {
            diagnose(&Event { url: "https://a.example/".into(), error: Some(error.into()), error_name: name.map(str::to_string), ..Event::default() })
        };
        let told = |d: &Diagnosis| (d.error.clone(), d.evidence.iter().find(|e| e.kind == EvidenceKind::Error).map(|e| e.value.clone()));
        let named = failed("Error code 2152398861", Some("NS_ERROR_CONNECTION_REFUSED"));
        let both = Some("NS_ERROR_CONNECTION_REFUSED (Error code 2152398861)".to_string());
        assert_eq!(told(&named), (both.clone(), both), "the panel's facts, its evidence and the report say the same");
        assert_eq!(named.verdict, Verdict::ConnectionFailed);
        let number = Some("Error code 2152398861".to_string());
        assert_eq!(told(&failed("Error code 2152398861", None)), (number.clone(), number), "no name: the number as it came");
        for other in [
            "",
            "NS_ERROR_",
            "ns_error_connection_refused",
            "Peer's Certificate issuer is not recognized.",
            "<b>NS_ERROR_X</b>",
            "NS_ERROR_X\u{202E}",
            &["NS_ERROR_", &"A".repeat(80)].concat(),
        ] {
            assert_eq!(failed("Error code 2152398861", Some(other)).error.as_deref(), Some("Error code 2152398861"), "not a name of Firefox's: {other:?}");
        }
        // A name already (Chromium's, or Firefox's own where it gave one): told as it came.
        assert_eq!(failed("net::ERR_CONNECTION_REFUSED", Some("NS_ERROR_NET_RESET")).error.as_deref(), Some("net::ERR_CONNECTION_REFUSED"));
        assert_eq!(failed("net::ERR_CONNECTION_REFUSED", Some("NS_ERROR_NET_RESET")).verdict, Verdict::ConnectionFailed);
        // A number the table does not know is read by its name; a known number by the number.
        assert_eq!(failed("Error code 2152399103", None).verdict, Verdict::Unknown, "the control: an unknown number");
        assert_eq!(failed("Error code 2152399103", Some("NS_ERROR_UNKNOWN_HOST")).verdict, Verdict::DnsFailure);
        assert_eq!(failed("Error code 2152398861", Some("NS_ERROR_UNKNOWN_HOST")).verdict, Verdict::ConnectionFailed);
        let response = diagnose(&Event { url: "https://a.example/".into(), status: Some(502), ..Event::default() });
        assert_eq!(response.error, None, "a response has no browser error");
    }

    #[test]
    fn the_browsers_security_warnings_stay_the_browsers() {
        for error in [
            "net::ERR_CERT_AUTHORITY_INVALID",
            "net::ERR_CERT_COMMON_NAME_INVALID",
            "net::ERR_CERT_DATE_INVALID",
            "net::ERR_SSL_PROTOCOL_ERROR",
            "Error code 2153390067",
            "Error code 2153398258",
            "Error code 2153394164",
            "SEC_ERROR_UNKNOWN_ISSUER",
            "NS_ERROR_BAD_HSTS_CERT",
        ] {
            let d = network_error(error);
            assert_eq!(d.verdict, Verdict::TlsFailure, "{error}");
            assert!(!d.replace_error_page, "{error}: Page Medic must not take the warning's place");
            assert!(!d.retry.auto, "{error}: a warning is never retried");
        }
    }

    #[test]
    fn a_safe_browsing_warning_is_not_page_medics_business() {
        for error in ["Error code 2153578526", "Error code 2153578527", "NS_ERROR_HARMFUL_URI", "Error code 2153578533"] {
            let d = network_error(error);
            assert_eq!(d.verdict, Verdict::None, "{error}");
            assert!(!d.replace_error_page && !d.retry.auto, "{error}");
        }
    }

    fn blocked(browser: &str, blockers: Option<u32>) -> Diagnosis {
        let blockers = blockers.map_or(String::new(), |n| format!(r#","blockers":{n}"#));
        let json = format!(r#"{{"url":"https://a.example/","error":"net::ERR_BLOCKED_BY_CLIENT","browser":"{browser}"{blockers}}}"#);
        diagnose(&parse_event(&json).unwrap())
    }

    #[test]
    fn chromiums_safe_browsing_warning_is_never_taken_for_an_extensions_block() {
        // No other extension could have blocked it: the browser's own warning.
        let d = blocked("chrome", Some(0));
        assert_eq!(d.verdict, Verdict::None);
        assert!(!d.replace_error_page && !d.retry.auto);
        // Unknown (no `management` permission): maybe an extension, maybe the warning.
        let d = blocked("chrome", None);
        assert_eq!(d.verdict, Verdict::BlockedByExtension);
        assert!(!d.replace_error_page, "the page may be Safe Browsing's warning: it stays");
        assert_eq!(d.notices, [Notice::of(NoticeKind::BrowsersOwnBlock)], "and the popup says it may be");
        // An extension that could block it is there: its block, or still the browser's warning
        // (an ad blocker does not stop Safe Browsing): the page stays, the popup helps.
        let d = blocked("chrome", Some(2));
        assert_eq!(d.verdict, Verdict::BlockedByExtension);
        assert!(!d.replace_error_page && !d.retry.auto, "the page may be Safe Browsing's warning: it stays");
        assert_eq!(d.notices, [Notice::of(NoticeKind::BrowsersOwnBlock)]);
        assert_eq!(d.actions.first(), Some(&Action::CheckExtensions), "the popup offers the extensions first");
        // Firefox names its warnings apart (NS_ERROR_PHISHING_URI ...): its extension block is one.
        let d = diagnose(&parse_event(r#"{"url":"https://a.example/","error":"NS_ERROR_ABORT","browser":"firefox","blockers":2}"#).unwrap());
        assert_eq!(d.verdict, Verdict::BlockedByExtension);
        assert!(d.replace_error_page && d.notices.is_empty());
    }

    #[test]
    fn an_administrators_block_page_stays_theirs() {
        for error in ["net::ERR_BLOCKED_BY_ADMINISTRATOR", "Error code 2155347971"] {
            let d = network_error(error);
            assert_eq!(d.verdict, Verdict::BlockedByPolicy, "{error}");
            assert!(!d.replace_error_page && !d.retry.auto, "{error}");
        }
    }

    #[test]
    fn other_network_errors_take_the_browsers_page() {
        assert!(network_error("net::ERR_CONNECTION_REFUSED").replace_error_page);
        assert!(network_error("Error code 2152398861").replace_error_page);
    }

    #[test]
    fn the_visitors_statuses_decide_help_and_stale_site_data_always_gets_it() {
        let only = |statuses: &[u16]| Choices { statuses: Some(statuses.to_vec()), ..Choices::default() };
        let page = |status: u16, body: &str| Event { url: "https://a.example/".into(), status: Some(status), body: Some(body.into()), ..Event::default() };
        assert!(diagnose_with(&page(502, ""), &only(&[502])).help);
        assert!(!diagnose_with(&page(503, ""), &only(&[502])).help, "a status the visitor left out");
        assert!(diagnose_with(&page(431, ""), &only(&[502])).help, "a 431 is this browser's stored data");
        assert!(diagnose_with(&page(400, "400 Request Header Or Cookie Too Large"), &only(&[])).help);
        assert!(!diagnose_with(&page(400, "Bad request"), &only(&[400])).help, "a plain 400 is no failure of the site's");
        assert!(!diagnose_with(&page(404, ""), &only(&[404])).help);
        let offline = Event { url: "https://a.example/".into(), error: Some("net::ERR_INTERNET_DISCONNECTED".into()), ..Event::default() };
        assert!(diagnose_with(&offline, &only(&[])).help, "a network error needs no status");
        // The statuses the table can find stale site data behind, known before the page is read.
        let early: Vec<u16> = (100..=599).filter(|&s| may_help(s, &only(&[]))).collect();
        assert_eq!(early, [400, 431, 494]);
        assert!(may_help(502, &only(&[502])) && !may_help(503, &only(&[502])));
    }

    #[test]
    fn a_site_the_visitor_ignores_is_left_alone_and_so_are_its_subdomains() {
        let list = "Shop.Example\n \n\nintranet.\r\n";
        for host in ["shop.example", "a.b.SHOP.example", "shop.example.", "intranet"] {
            assert!(ignores(host, list), "{host}");
        }
        for host in ["myshop.example", "shop.example.evil", "example", "ü", "", "."] {
            assert!(!ignores(host, list), "{host}");
        }
        assert!(!ignores("shop.example", ""), "an empty list leaves nothing alone");
    }

    #[test]
    fn a_forms_answer_is_never_requested_again_behind_the_visitors_back() {
        let page = |method: &str| Event { url: "https://a.example/".into(), method: Some(method.into()), status: Some(502), ..Event::default() };
        let get = diagnose(&page("GET")).actions;
        assert_eq!(get, [Action::Retry, Action::JustMe, Action::StatusPage, Action::NotifyWhenBack, Action::ReportToSite, Action::SavedCopy]);
        let post = diagnose(&page("POST")).actions;
        assert_eq!(
            post,
            [Action::Retry, Action::StatusPage, Action::ReportToSite, Action::SavedCopy],
            "Retry stays: the visitor may send it again; the status page is another address"
        );
        let address = Event { url: "http://127.0.0.1:8080/".into(), ..page("GET") };
        let d = diagnose(&address);
        assert!(d.status_page.is_empty() && !d.actions.contains(&Action::StatusPage), "no status page to ask, no button: {:?}", d.actions);
    }

    #[test]
    fn is_it_just_me_opens_this_browsers_side_only_when_the_page_works_elsewhere() {
        assert_eq!(diagnosis::after_just_me(true), [Action::ClearSiteData, Action::CheckExtensions]);
        assert_eq!(diagnosis::after_just_me(false), []);
    }

    #[test]
    fn every_action_is_offered_for_some_verdict() {
        let offered: std::collections::HashSet<Action> = Verdict::ALL.iter().flat_map(|&v| diagnosis::actions(v, true)).collect();
        let never: Vec<_> = Action::ALL.iter().filter(|a| !offered.contains(a)).map(|a| a.id()).collect();
        assert!(never.is_empty(), "no verdict offers {never:?}");
    }

    #[test]
    fn the_visitors_switches_hold_for_the_first_decision() {
        let page = Event { url: "https://a.example/".into(), status: Some(502), ..Event::default() };
        let off = Choices { auto_retry: Some(false), ..Choices::default() };
        assert_eq!(diagnose_with(&page, &off).retry.reason, RetryReason::Disabled);
        assert!(diagnose_with(&page, &Choices::default()).retry.auto);
        let refused = Event { url: "https://a.example/".into(), error: Some("net::ERR_CONNECTION_REFUSED".into()), ..Event::default() };
        assert!(diagnose_with(&refused, &Choices::default()).replace_error_page);
        let keep = Choices { replace_error_pages: Some(false), ..Choices::default() };
        let d = diagnose_with(&refused, &keep);
        assert!(!d.replace_error_page && d.help, "the browser's page stays; the popup still explains");
        assert_eq!(d.retry, Retry { auto: false, after_ms: None, reason: RetryReason::BrowserPage }, "and is not reloaded behind the visitor");
    }

    #[test]
    fn a_page_that_reloads_itself_gets_help_but_no_retry_on_top_of_its_own() {
        let page = |headers: Vec<(String, String)>, body: &str| Event {
            url: "https://a.example/".into(),
            status: Some(503),
            headers,
            body: Some(body.into()),
            ..Event::default()
        };
        let maintenance = "<title>Down for maintenance</title><p>Back soon. Please refresh the page in a minute.</p>";
        let plain = diagnose(&page(vec![], maintenance));
        assert_eq!((plain.retry.auto, plain.retry.reason), (true, RetryReason::Backoff), "the control: retried by Page Medic");
        for (headers, refresh) in
            [(vec![], Some("30")), (vec![], Some(" 5; url=/")), (vec![], Some(".5")), (vec![("Refresh".to_string(), "15".to_string())], None)]
        {
            let d = diagnose(&Event { refresh: refresh.map(String::from), ..page(headers.clone(), maintenance) });
            assert!(d.help, "{refresh:?} {headers:?}: still explained");
            assert_eq!(d.verdict, Verdict::SiteUnavailable);
            assert_eq!(d.retry, Retry { auto: false, after_ms: None, reason: RetryReason::PageRefreshes }, "{refresh:?} {headers:?}");
        }
        // What the browser ignores refreshes nothing.
        for ignored in ["", "soon", "url=/x", "-5"] {
            let d = diagnose(&Event { refresh: Some(ignored.into()), ..page(vec![("refresh".into(), ignored.into())], maintenance) });
            assert_eq!(d.retry.reason, RetryReason::Backoff, "{ignored:?}");
        }
    }

    #[test]
    fn a_service_workers_failure_asks_the_address_and_a_failed_look_is_a_connection_failure() {
        for error in ["net::ERR_FAILED", "Error code 2152398948"] {
            let failed = Event { url: "https://a.example/".into(), error: Some(error.into()), ..Event::default() };
            let d = diagnose(&failed);
            assert!(d.ask_site && d.verdict == Verdict::Unknown && d.replace_error_page, "{error}: {d:?}");
            let unreachable = Event { look_failed: true, ..failed };
            let d = diagnose(&unreachable);
            assert_eq!(d.verdict, Verdict::ConnectionFailed, "{error}");
            assert!(!d.ask_site && d.retry.auto, "{error}: asked once; retried by itself");
        }
        // A look that failed says nothing of another error.
        let refused = Event { url: "https://a.example/".into(), error: Some("net::ERR_BLOCKED_BY_CLIENT".into()), look_failed: true, ..Event::default() };
        assert_eq!(diagnose(&refused).verdict, Verdict::BlockedByExtension);
    }

    #[test]
    fn an_address_the_browser_upgraded_to_https_keeps_its_page_where_https_cannot_connect() {
        let upgraded = |error: &str| Event { url: "https://a.example/".into(), error: Some(error.into()), upgraded: true, ..Event::default() };
        for error in ["Error code 2152398861", "NS_ERROR_NET_TIMEOUT", "NS_ERROR_NET_RESET"] {
            let d = diagnose(&upgraded(error));
            assert_eq!(d.verdict, Verdict::ConnectionFailed, "{error}");
            assert!(d.help && !d.replace_error_page, "{error}: HTTPS-Only's page, which offers the http site, stays: {d:?}");
            assert_eq!(d.retry.reason, RetryReason::BrowserPage, "{error}: nor is it retried");
            assert!(!d.retry.auto && d.transient, "{error}: though waiting may help");
            assert!(diagnose(&Event { upgraded: false, ..upgraded(error) }).replace_error_page, "{error}: an address the visitor asked for");
        }
        // Its certificate warnings were the browser's already; other errors are as ever.
        assert_eq!(diagnose(&upgraded("SEC_ERROR_UNKNOWN_ISSUER")).verdict, Verdict::TlsFailure);
        assert_eq!(diagnose(&upgraded("NS_ERROR_UNKNOWN_HOST")).verdict, Verdict::DnsFailure);
    }

    #[test]
    fn an_error_that_hides_the_sites_answer_asks_for_a_look_and_the_answer_is_then_diagnosed() {
        // (Chromium's ERR_INVALID_RESPONSE is also its refusal of an error page it would download:
        // an octet stream, an attachment, a type it does not show. Seen in Chromium 156.)
        for error in ["net::ERR_HTTP_RESPONSE_CODE_FAILURE", "NS_ERROR_NET_ERROR_RESPONSE", "Error code 2152398883", "net::ERR_INVALID_RESPONSE"] {
            let hidden = Event { url: "https://a.example/".into(), error: Some(error.into()), ..Event::default() };
            assert!(diagnose(&hidden).ask_site, "{error}");
            let seen = Event { status: Some(502), headers: vec![("Server".into(), "nginx".into())], ..hidden.clone() };
            let d = diagnose(&seen);
            assert!(!d.ask_site && d.verdict == Verdict::OriginDown, "{error}: {d:?}");
            assert_eq!(d.gateway.map(|g| g.name), Some("nginx"), "{error}");
            let unanswered = Event { look_failed: true, ..hidden };
            assert!(!diagnose(&unanswered).ask_site, "{error}: asked once");
        }
        // A response that is not one (garbage for headers): the look fails too, and it stays the connection's.
        let garbage = Event { url: "https://a.example/".into(), error: Some("net::ERR_INVALID_HTTP_RESPONSE".into()), look_failed: true, ..Event::default() };
        assert_eq!(diagnose(&garbage).verdict, Verdict::ConnectionFailed);
        let refused = Event { url: "https://a.example/".into(), error: Some("net::ERR_CONNECTION_REFUSED".into()), ..Event::default() };
        assert!(!diagnose(&refused).ask_site);
    }

    fn notices(headers: &[(&str, &str)], body: &str, now_ms: f64) -> Diagnosis {
        diagnose(&Event {
            url: "https://a.example/".into(),
            status: Some(503),
            headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
            body: Some(body.into()),
            now_ms: Some(now_ms),
            ..Event::default()
        })
    }

    fn kinds(d: &Diagnosis) -> Vec<NoticeKind> {
        d.notices.iter().map(|n| n.kind).collect()
    }

    // 2026-12-01T14:00:00Z, and the same day at 14:30 as an HTTP date.
    const NOW: f64 = 1_796_133_600_000.0;
    const AT_1430: &str = "Tue, 01 Dec 2026 14:30:00 GMT";

    #[test]
    fn planned_maintenance_says_when_the_site_expects_to_be_back_and_the_retry_aims_there() {
        let d = notices(&[("Retry-After", AT_1430)], "Service Unavailable", NOW);
        assert_eq!(d.verdict, Verdict::SiteUnavailable);
        assert_eq!(d.notices, [Notice { ms: Some(1_796_135_400_000), ..Notice::of(NoticeKind::Maintenance) }]);
        assert_eq!((d.retry.auto, d.retry.after_ms), (true, Some(1_800_000)), "the retry is at 14:30, not before");
        let d = notices(&[("Retry-After", "120")], "", NOW);
        assert_eq!(d.notices[0].ms, Some(NOW as u64 + 120_000), "seconds count from now");
        // A busy server's "try again at once" or in a few seconds plans nothing.
        for busy in ["0", "5", "59"] {
            let d = notices(&[("Retry-After", busy)], "<h1>Error 503 Backend is busy</h1>", NOW);
            assert_eq!((d.verdict, kinds(&d)), (Verdict::SiteUnavailable, vec![]), "Retry-After: {busy}");
        }
        // The word alone is no such statement: a page's menu or its company's name may hold it.
        for page in ["<nav><a>Home</a><a>Maintenance plans</a></nav><h1>Bad Gateway</h1>", "<footer>Acme Heating &amp; Maintenance Ltd</footer>"] {
            assert_eq!(kinds(&notices(&[], page, NOW)), [], "{page}");
        }
        for page in [
            "<title>Site Maintenance</title><p>Sorry for the inconvenience but we&rsquo;re performing some maintenance at the moment.</p>",
            "Briefly unavailable for scheduled maintenance. Check back in a minute.",
            "<h1>Be right back.</h1><p>The site is in maintenance mode.</p>",
            "<h1>Site en maintenance</h1>",
        ] {
            assert_eq!(kinds(&notices(&[], page, NOW)), [NoticeKind::Maintenance], "{page}");
        }
        let d = notices(&[("Retry-After", "0")], "<h1>Down for maintenance</h1>", NOW);
        assert_eq!(d.notices, [Notice::of(NoticeKind::Maintenance)], "the page says so, with no time to be back at");
        let d = notices(&[], "<h1>Down for maintenance</h1><p>We'll be back shortly.</p>", NOW);
        assert_eq!(d.notices, [Notice::of(NoticeKind::Maintenance)], "a maintenance page without a time");
        assert_eq!(kinds(&notices(&[], "Service Unavailable", NOW)), [], "a bare 503 says nothing planned");
        // Varnish's own 503 sends Retry-After: 5, and is no maintenance: its backend failed.
        let varnish = "<!DOCTYPE html><html><head><title>503 Backend fetch failed</title></head><body><h1>Error 503 Backend fetch failed</h1><p>Backend fetch failed</p><h3>Guru Meditation:</h3><p>XID: 32770</p><hr><p>Varnish cache server</p></body></html>";
        let d = notices(&[("Retry-After", "5"), ("Via", "1.1 varnish (Varnish/7.1)")], varnish, NOW);
        assert_ne!(d.verdict, Verdict::SiteUnavailable);
        assert_eq!(kinds(&d), []);
    }

    #[test]
    fn an_absurd_retry_after_is_said_and_bounded_by_the_policy() {
        let past = notices(&[("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT")], "", NOW);
        assert_eq!(kinds(&past), [NoticeKind::RetryAfterPast, NoticeKind::Maintenance]);
        assert_eq!(past.notices[1].ms, None, "no time to be back at");
        assert_eq!(past.retry.reason, RetryReason::Backoff, "the policy's own schedule");
        assert!(past.retry.after_ms.is_some_and(|ms| (10_000..=30_000).contains(&ms)));
        let days = notices(&[("Retry-After", "259200")], "", NOW);
        assert_eq!(kinds(&days), [NoticeKind::Maintenance, NoticeKind::RetryAfterFar]);
        assert_eq!((days.notices[0].ms, days.notices[1].ms), (None, Some(259_200_000)));
        assert!(!days.retry.auto, "no wait of days without the visitor");
    }

    #[test]
    fn a_cached_error_is_named_and_the_next_check_waits_until_the_copy_expires() {
        let d = notices(&[("X-Cache-Status", "HIT"), ("Cache-Control", "max-age=45")], "", NOW);
        assert_eq!(d.notices, [Notice { ms: Some(45_000), seen: Some("x-cache-status: HIT".into()), ..Notice::of(NoticeKind::Cached) }]);
        assert_eq!(d.retry.after_ms, Some(45_000), "not before the cached copy expires");
        let short = notices(&[("Age", "3"), ("Cache-Control", "max-age=5")], "", NOW);
        assert!(short.retry.after_ms.is_some_and(|ms| ms >= 10_000), "the policy's first step still holds: {:?}", short.retry);
        let unknown = notices(&[("CF-Cache-Status", "HIT")], "", NOW);
        assert_eq!(unknown.notices[0].ms, None);
        let hostile = notices(&[("X-Cache", "HIT\u{202e}<script>alert(1)</script>")], "", NOW);
        assert!(!hostile.notices[0].seen.as_ref().unwrap().contains('\u{202e}'), "bidi controls dropped");
        let network = diagnose(&Event {
            url: "https://a.example/".into(),
            error: Some("net::ERR_CONNECTION_REFUSED".into()),
            headers: vec![("Age".into(), "9".into())],
            ..Event::default()
        });
        assert_eq!(kinds(&network), [], "a network error came from no cache");
    }

    #[test]
    fn a_page_without_its_headers_asks_for_a_look_only_when_its_body_does_not_name_who_answered() {
        let headless = Event { url: "https://a.example/".into(), status: Some(502), body: Some("<h1>Could Not Connect</h1>".into()), ..Event::default() };
        assert!(diagnose(&headless).ask_site, "no headers, no gateway in the body");
        let stock = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        let named = Event { body: Some(stock.into()), ..headless.clone() };
        let d = diagnose(&named);
        assert!(d.gateway.is_some() && !d.ask_site, "the body names the gateway: {d:?}");
        let with_head = Event { headers: vec![("Server".into(), "ATS/9.2.5".into())], ..headless.clone() };
        assert!(!diagnose(&with_head).ask_site, "the page's own headers were read");
        let not_helped = Event { status: Some(404), ..headless };
        assert!(!diagnose(&not_helped).ask_site, "no help, no request");
    }
}
