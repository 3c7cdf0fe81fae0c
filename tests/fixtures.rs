//! Every fixture case through the core: real servers' responses (tests/fixtures/captured.json,
//! written by the capture rig) and hosted services' documented responses
//! (tests/fixtures/documented.json, each case naming its source).
#![cfg(not(target_arch = "wasm32"))]

use page_medic::report::{report, Failure, Lang};
use page_medic::{diagnose, parse_event, EvidenceKind, Verdict};
use serde_json::Value;

mod common;
use common::all_cases;

fn run(file: &str) -> usize {
    let path = format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let fixture: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(fixture["provenance"].as_str().is_some_and(|p| !p.is_empty()), "{path} must say where its cases come from");
    let cases = fixture["cases"].as_array().expect("cases");
    let mut failures = Vec::new();
    for case in cases {
        let id = case["id"].as_str().expect("every case has an id");
        assert!(case["source"].as_str().is_some_and(|s| !s.is_empty()), "{id}: no source");
        let event = parse_event(&case["event"].to_string()).unwrap_or_else(|e| panic!("{id}: {e}"));
        let got = serde_json::to_value(diagnose(&event)).expect("diagnosis serializes");
        let expect = &case["expect"];
        let mut check = |field: &str, got: &Value| {
            if let Some(want) = expect.get(field) {
                if want != got {
                    failures.push(format!("{id}: {field} is {got}, expected {want}"));
                }
            }
        };
        check("verdict", &got["verdict"]);
        check("side", &got["side"]);
        check("gateway", &got["gateway"]);
        check("request_id", &got["request_id"]);
        check("transient", &got["transient"]);
        check("retry_after_ms", &got["retry"]["after_ms"]);
        check("retry_auto", &got["retry"]["auto"]);
        check("replace_error_page", &got["replace_error_page"]);
        check("notices", &got["notices"].as_array().map(|ns| ns.iter().map(|n| n["kind"].clone()).collect()).unwrap_or_default());
    }
    assert!(failures.is_empty(), "{} of {} cases in {file} disagree:\n{}", failures.len(), cases.len(), failures.join("\n"));
    cases.len()
}

#[test]
fn captured_real_server_responses() {
    let n = run("captured.json");
    assert!(n >= 60, "the capture rig recorded only {n} cases");
}

#[test]
fn documented_hosted_service_responses() {
    let n = run("documented.json");
    assert!(n >= 30, "only {n} documented cases");
}

#[test]
fn every_verdict_is_reachable_from_the_fixtures() {
    let mut seen = std::collections::HashSet::new();
    for (_, case) in all_cases() {
        seen.insert(diagnose(&parse_event(&case["event"].to_string()).unwrap()).verdict);
    }
    let missing: Vec<_> = Verdict::ALL.iter().filter(|v| !seen.contains(v)).map(|v| v.id()).collect();
    assert!(missing.is_empty(), "no fixture reaches {missing:?}");
}

/// Captured pages that open with an XML declaration (lighttpd's template), as the overlay hands
/// them over in a browser: an HTML parser keeps `<?xml ...?>` as a comment, `<!--?xml ...?-->`
/// (WHATWG HTML §13.2.5.6, "unexpected question mark instead of tag name"). Same verdicts.
#[test]
fn captured_pages_as_a_browser_parsed_them() {
    let path = format!("{}/tests/fixtures/captured.json", env!("CARGO_MANIFEST_DIR"));
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut checked = 0;
    for case in fixture["cases"].as_array().unwrap() {
        let mut event = case["event"].clone();
        let Some(body) = event["body"].as_str().filter(|b| b.starts_with("<?")) else { continue };
        let end = body.find('>').expect("the declaration ends");
        let parsed = format!("<!--{}-->{}", &body[1..end], &body[end + 1..]);
        event["body"] = Value::String(parsed);
        let got = diagnose(&parse_event(&event.to_string()).unwrap());
        assert_eq!(got.verdict.id(), case["expect"]["verdict"].as_str().unwrap(), "{}", case["id"]);
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} captured pages open with an XML declaration");
}

/// The report is made from the diagnosis as the shell stores it (JSON), never from a new one: for
/// every fixture it names the verdict, gateway and request id the panel showed, at the time of
/// the failure.
#[test]
fn the_report_and_the_panel_agree_on_every_fixture() {
    let mut checked = 0;
    for (id, case) in all_cases() {
        {
            let mut event = parse_event(&case["event"].to_string()).unwrap();
            event.now_ms = Some(1_700_000_000_000.0);
            let stored: Value = serde_json::to_value(diagnose(&event)).unwrap();
            let text = |v: &Value| v.as_str().map(str::to_string);
            let failure = Failure {
                verdict: text(&stored["verdict"]).unwrap(),
                gateway: text(&stored["gateway"]["name"]),
                request_id: text(&stored["request_id"]),
                ..Failure::new(&event, &diagnose(&event), &[])
            };
            let told = report(&failure, Lang::En);
            let line = |label: &str| told.lines().find_map(|l| l.strip_prefix(label)).map(str::to_string);
            assert_eq!(line("Page Medic's verdict: "), text(&stored["verdict"]), "{id}");
            assert_eq!(line("Generated by: "), Some(text(&stored["gateway"]["name"]).unwrap_or_else(|| "-".into())), "{id}");
            let shown_id = text(&stored["request_id"]).map(|r| r.chars().filter(|c| !c.is_control()).collect::<String>());
            let ids = line("Request IDs: ").unwrap_or_default();
            match shown_id.filter(|r| !r.is_empty()) {
                // The panel's id is the report's first, and every other id the response carried follows.
                Some(shown) => {
                    assert!(ids.split("; ").next().is_some_and(|first| first.ends_with(&shown)), "{id}: {ids} does not start with {shown}");
                    for other in stored["request_ids"].as_array().unwrap() {
                        assert!(ids.contains(other.as_str().unwrap()), "{id}: {ids} lacks {other}");
                    }
                }
                None => assert_eq!(ids, "-", "{id}"),
            }
            assert_eq!(line("Time (UTC): ").as_deref(), Some("Tue, 14 Nov 2023 22:13:20 GMT"), "{id}");
            checked += 1;
        }
    }
    assert!(checked >= 90, "only {checked} fixtures");
}

/// Every row of the verdict table is reached by some fixture case (the rule a diagnosis rests on
/// is the last of its evidence): a row nothing reaches is dead, or untested.
#[test]
fn every_rule_row_is_reached_by_some_fixture() {
    let mut reached = std::collections::HashSet::new();
    for (_, case) in all_cases() {
        let d = diagnose(&parse_event(&case["event"].to_string()).unwrap());
        let rule = d.evidence.iter().rev().find(|e| e.kind == EvidenceKind::Rule).expect("every diagnosis names its rule");
        reached.insert(rule.value.clone());
    }
    let missing: Vec<_> = page_medic::rules::RULES.iter().map(|r| r.source).filter(|s| !reached.contains(*s)).collect();
    assert!(missing.is_empty(), "{} rows no fixture reaches:\n{}", missing.len(), missing.join("\n"));
}
