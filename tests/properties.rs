//! Properties over generated input: the core never panics, whatever a hostile server sends, and
//! retry delays stay within the policy's bounds. `PROPTEST_CASES` sets the number of cases
//! (the long run in README: `PROPTEST_CASES=1000000 cargo test --release --test properties`).
#![cfg(not(target_arch = "wasm32"))]

use page_medic::evidence::TextView;
use page_medic::report::{report, shareable_url, Failure, Lang};
use page_medic::retry::{retry_after_ms, Attempt, Policy};
use page_medic::{diagnose, diagnose_json, Browser, Event, Verdict};
use proptest::prelude::*;

/// Error strings: real ones from both browsers, near misses, and noise.
fn error_string() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        prop::sample::select(vec![
            "net::ERR_NAME_NOT_RESOLVED",
            "net::ERR_CONNECTION_REFUSED",
            "net::ERR_ABORTED",
            "net::ERR_QUIC_PROTOCOL_ERROR.X",
            "NS_ERROR_UNKNOWN_HOST",
            "NS_BINDING_ABORTED",
            "Error code 2152398861",
            "Error code ",
            "Error code -1",
            "Error code 0xFFFFFFFFFFFFFFFFFFFF",
            "SEC_ERROR_UNKNOWN_ISSUER",
            "net::ERR_",
            "",
        ])
        .prop_map(|s| Some(s.to_string())),
        any::<String>().prop_map(Some),
    ]
}

/// Bodies: arbitrary text, and markup-heavy fragments that exercise the text view.
fn body() -> impl Strategy<Value = Option<String>> {
    let fragment = prop::sample::select(vec![
        "<",
        ">",
        "</",
        "<script>",
        "</script>",
        "<style",
        "<!--",
        "-->",
        "&",
        "&#",
        "&#x",
        ";",
        "&#35;",
        "&#xD800;",
        "&amp;",
        "Ray ID:",
        "Reference #",
        "XID:",
        "nginx",
        "cloudflare",
        "Bad Gateway",
        "maintenance",
        "é",
        "服务",
        "\u{202E}",
        "\0",
        " ",
        "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>",
    ]);
    prop_oneof![Just(None), any::<String>().prop_map(Some), prop::collection::vec(fragment, 0..60).prop_map(|parts| Some(parts.concat())),]
}

fn header() -> impl Strategy<Value = (String, String)> {
    let name = prop_oneof![
        prop::sample::select(vec!["Server", "cf-ray", "Retry-After", "x-varnish", "X-Squid-Error", "x-vercel-error", "via"]).prop_map(String::from),
        any::<String>(),
    ];
    let value = prop_oneof![
        prop::sample::select(vec!["nginx", "cloudflare", "120", "Tue, 17 Nov 2026 23:42:00 GMT", "ERR_CONNECT_FAIL 111", "awselb/2.0", ""])
            .prop_map(String::from),
        any::<String>(),
    ];
    (name, value)
}

fn event() -> impl Strategy<Value = Event> {
    (
        any::<String>(),
        prop::option::of(prop_oneof![Just("GET".to_string()), Just("post".to_string()), any::<String>()]),
        prop::option::of(any::<u16>()),
        prop::option::of(any::<String>()),
        prop::collection::vec(header(), 0..12),
        body(),
        (
            error_string(),
            prop::option::of(prop_oneof![
                prop::sample::select(vec!["NS_ERROR_CONNECTION_REFUSED", "NS_ERROR_", "NS_ERROR_PROXY_BAD_GATEWAY", "ns_error_x"]).prop_map(String::from),
                any::<String>(),
            ]),
        ),
        (any::<bool>(), any::<bool>(), prop::option::of(any::<bool>()), prop::option::of(any::<f64>()), prop::option::of(any::<f64>())),
        (
            prop::option::of(any::<u32>()),
            prop::option::of(prop::sample::select(vec![Browser::Chrome, Browser::Firefox])),
            any::<bool>(),
            any::<bool>(),
            prop::option::of(prop_oneof![Just("5; url=/".to_string()), any::<String>()]),
        ),
        prop::collection::vec(
            (prop_oneof![Just("a.example".to_string()), any::<String>()], prop_oneof![Just("Cloudflare".to_string()), any::<String>()], any::<f64>()),
            0..6,
        ),
    )
        .prop_map(
            |(
                url,
                method,
                status,
                status_text,
                headers,
                body,
                (error, error_name),
                (via_proxy, proxy_sign_in, online, now_ms, jitter),
                (blockers, browser, look_failed, upgraded, refresh),
                recent,
            )| Event {
                url,
                method,
                status,
                status_text,
                headers,
                body,
                error,
                error_name,
                via_proxy,
                look_failed,
                upgraded,
                proxy_sign_in,
                refresh,
                online,
                now_ms,
                blockers,
                browser,
                jitter,
                recent,
            },
        )
}

proptest! {
    #[test]
    fn diagnose_never_panics_and_stays_consistent(event in event()) {
        let d = diagnose(&event);
        prop_assert_eq!(d.side, d.verdict.side());
        prop_assert_eq!(d.transient, d.verdict.transient());
        if let Some(id) = &d.request_id {
            prop_assert!(!id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_graphic()));
        }
        if !event.idempotent() {
            prop_assert!(!d.retry.auto, "a non-idempotent request is never retried automatically");
        }
        if d.verdict == Verdict::None {
            prop_assert!(d.actions.is_empty());
            prop_assert!(!d.help, "no help where nothing failed");
        }
        for row in &d.evidence {
            prop_assert!(!row.value.chars().any(char::is_control), "evidence is plain text: {:?}", row);
        }
        if let Some(error) = &d.error {
            prop_assert!(!error.chars().any(char::is_control) && !error.is_empty(), "the error is told as plain text: {:?}", error);
        }
        prop_assert!(serde_json::to_string(&d).is_ok());
        prop_assert!(!shareable_url(&event.url).contains(['?', '#']), "no query string or fragment leaves in a report");
        let text = report(&Failure::new(&event, &d, &["retry".to_string()]), Lang::ZhCn);
        prop_assert_eq!(text.lines().count(), 10);
        for n in &d.notices {
            prop_assert!(n.seen.as_ref().is_none_or(|s| !s.chars().any(char::is_control)), "notices are plain text: {:?}", n);
        }
        prop_assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn diagnose_json_answers_every_line(line in any::<String>()) {
        let out: serde_json::Value = serde_json::from_str(&diagnose_json(&line)).expect("always JSON");
        prop_assert!(out.get("verdict").is_some() || out.get("error").is_some());
    }

    #[test]
    fn text_view_never_panics(body in body(), label in "[ -~]{0,12}") {
        let view = TextView::new(body.as_deref().unwrap_or(""));
        let _ = view.token_after(&label.to_ascii_lowercase());
        prop_assert!(!view.text.contains("  "));
    }

    #[test]
    fn retry_delays_stay_within_bounds(
        verdict in prop::sample::select(Verdict::ALL.to_vec()),
        idempotent in any::<bool>(),
        retry_after in prop::option::of(any::<u64>()),
        attempt in any::<u32>(),
        elapsed in any::<u64>(),
        jitter in any::<f64>(),
        refreshes in any::<bool>(),
    ) {
        let policy = Policy::default();
        let r = policy.decide(&Attempt { verdict, idempotent, retry_after_ms: retry_after, attempt, elapsed_ms: elapsed, jitter, refreshes });
        if r.auto {
            prop_assert!(idempotent && verdict.transient());
            prop_assert!(!refreshes || verdict == Verdict::Offline, "a page that reloads itself is not retried on top");
            if let Some(ms) = r.after_ms {
                prop_assert!(ms >= policy.floor_ms);
                let longest = (policy.cap_ms / 100 * (100 + policy.spread_percent)).max(policy.first_ms.1);
                prop_assert!(ms <= longest.max(retry_after.unwrap_or(0)));
                prop_assert!(elapsed.saturating_add(ms) <= policy.max_elapsed_ms, "never past the hour");
                if let Some(ra) = retry_after {
                    prop_assert!(ms >= ra, "never earlier than Retry-After");
                }
            }
        }
    }

    #[test]
    fn retry_after_never_panics(value in any::<String>(), now in any::<f64>()) {
        let _ = retry_after_ms(&value, now);
    }

    /// The core's HTTP dates against `httpdate`'s, on strings shaped like dates in each of the
    /// three formats, with every field sometimes out of range or misspelt.
    #[test]
    fn http_dates_are_read_as_httpdate_reads_them(
        date in prop_oneof![
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Sunday|Xyz), [0-3][0-9] (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|jan) (19[6-9][0-9]|20[0-9][0-9]|9999) [0-2][0-9]:[0-6][0-9]:[0-6][0-9] (GMT|UTC)",
            "(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Sun), [0-3][0-9]-(Jan|Feb|Nov|Dec|Mai)-[0-9][0-9] [0-2][0-9]:[0-6][0-9]:[0-6][0-9] GMT",
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Dec) ( [1-9]|[0-3][0-9]) [0-2][0-9]:[0-6][0-9]:[0-6][0-9] (19[7-9][0-9]|20[0-9][0-9])",
            "[ -~]{0,34}",
        ]
    ) {
        let theirs = httpdate::parse_http_date(&date).ok().map(|t| t.duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64);
        prop_assert_eq!(page_medic::http_date::parse_ms(&date), theirs, "{}", date);
    }
}

/// Text made of the evidence tables' own phrases, pieces of them, and noise: where the one-pass
/// phrase search could go wrong (shared starts, phrases cut short at either end, phrases at the
/// very end, phrases at every offset from the scan's steps).
fn phrase_soup() -> impl Strategy<Value = String> {
    let phrases: Vec<&'static str> = page_medic::evidence::phrases().phrases().to_vec();
    let piece = prop_oneof![
        prop::sample::select(phrases.clone()).prop_map(str::to_string),
        (prop::sample::select(phrases.clone()), 0usize..12).prop_map(|(p, cut)| p[..p.len().saturating_sub(cut)].to_string()),
        (prop::sample::select(phrases), 0usize..12).prop_map(|(p, cut)| p.get(cut..).unwrap_or(p).to_string()),
        "[a-z :#/.-]{0,6}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn the_one_pass_phrase_search_agrees_with_contains(text in phrase_soup()) {
        let view = TextView::new(&text);
        for &phrase in page_medic::evidence::phrases().phrases() {
            prop_assert_eq!(view.contains(phrase), view.lower.contains(phrase), "{:?} in {:?}", phrase, view.lower);
        }
    }
}
