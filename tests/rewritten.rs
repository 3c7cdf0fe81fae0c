//! Every fixture case again, re-written the ways other servers, templates and browsers write the
//! same answer: the diagnosis must not change. A row tuned to one fixture's exact bytes (its
//! header names' case, its line breaks, its entities) fails here, as it would on the web.
//! (Exact template rows, which read a stock page's raw first bytes, are what the browser-parsed
//! check in tests/fixtures.rs and the replay in tests/e2e/replay.test.js cover.)
#![cfg(not(target_arch = "wasm32"))]

use page_medic::{diagnose, parse_event};
use serde_json::{json, Value};

mod common;

/// What a visitor is told: the verdict, whose side, who answered, the request id (its letters'
/// case aside: a re-written page may shout), and whether it is retried by itself.
fn told(event: &Value) -> Value {
    let d = serde_json::to_value(diagnose(&parse_event(&event.to_string()).unwrap())).unwrap();
    json!([d["verdict"], d["side"], d["gateway"]["name"], d["request_id"].as_str().map(str::to_ascii_lowercase), d["retry"]["auto"]])
}

fn headers(event: &mut Value, each: impl Fn(&mut Vec<Value>)) {
    if let Some(headers) = event.get_mut("headers").and_then(Value::as_array_mut) {
        each(headers);
    }
}

fn body(event: &mut Value, rewrite: impl Fn(&str) -> Option<String>) {
    if let Some(new) = event.get("body").and_then(Value::as_str).and_then(rewrite) {
        event["body"] = Value::String(new);
    }
}

type Rewrite = fn(&mut Value);

/// Each re-writing, named for what it stands for.
const REWRITES: &[(&str, Rewrite)] = &[
    // RFC 9110 §5.1: field names are case-insensitive (HTTP/1.1 servers write them every way).
    ("header names in capitals", |e| headers(e, |h| h.iter_mut().for_each(|p| p[0] = p[0].as_str().unwrap().to_ascii_uppercase().into()))),
    // HTTP/2 and HTTP/3 send them lower-case (RFC 9113 §8.2.1), as a fetch of the address reads them.
    ("header names in lower case", |e| headers(e, |h| h.iter_mut().for_each(|p| p[0] = p[0].as_str().unwrap().to_ascii_lowercase().into()))),
    // RFC 9110 §5.5: white space around a field value is not part of it.
    ("white space around header values", |e| headers(e, |h| h.iter_mut().for_each(|p| p[1] = format!(" {}\t", p[1].as_str().unwrap()).into()))),
    // Order carries no meaning between fields of different names; other headers come and go.
    ("other headers first", |e| {
        headers(e, |h| {
            h.insert(0, json!(["X-Frame-Options", "SAMEORIGIN"]));
            h.insert(0, json!(["Cache-Control", "no-cache, no-store"]));
        })
    }),
    ("headers in reverse order", |e| headers(e, |h| h.reverse())),
    // A template formatted another way: a line break and indentation after every tag.
    ("markup re-indented", |e| body(e, |b| Some(b.replace('>', ">\n    ")))),
    ("CRLF line ends", |e| body(e, |b| Some(b.replace('\n', "\r\n")))),
    // PHP's htmlspecialchars(ENT_QUOTES) and many templates write an apostrophe as an entity.
    ("apostrophes as entities", |e| body(e, |b| b.contains("'").then(|| b.replace('\'', "&#039;")))),
    // Two spaces after a sentence, kept by a non-breaking space, as a word processor writes them.
    ("non-breaking spaces after sentences", |e| body(e, |b| b.contains('<').then(|| b.replace(". ", ".&nbsp; ")))),
    ("raw non-breaking spaces after sentences", |e| body(e, |b| Some(b.replace(". ", ".\u{a0} ")))),
    // Some pages shout (`text-transform` aside, written in capitals), tags and all.
    ("all in capitals", |e| body(e, |b| Some(b.to_uppercase()))),
    // A fragment as a browser's parser completes it, and as the overlay hands the page over.
    ("a fragment made a whole document", |e| {
        body(e, |b| {
            (b.contains('<') && !b.to_ascii_lowercase().contains("<html"))
                .then(|| format!("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{b}</body></html>"))
        })
    }),
    // A JSON error body as a framework's pretty printer (or Python's `json.dumps`) writes it:
    // white space after each colon, a key to a line.
    ("JSON pretty-printed", |e| body(e, |b| serde_json::to_string_pretty(&serde_json::from_str::<Value>(b).ok()?).ok())),
    // Jackson's default pretty printer (Spring, Quarkus, Micronaut): a space on each side of a colon.
    ("JSON pretty-printed as Jackson writes it", |e| {
        body(e, |b| Some(serde_json::to_string_pretty(&serde_json::from_str::<Value>(b).ok()?).ok()?.replace("\": ", "\" : ")))
    }),
    // A page whose head carries 20 KB of inline style before anything it says.
    ("a long style sheet first", |e| {
        body(e, |b| {
            let at = b.to_ascii_lowercase().find("<title")?;
            Some(format!("{}<style>{}</style>{}", &b[..at], "body { margin: 0 } ".repeat(1000), &b[at..]))
        })
    }),
];

#[test]
fn every_case_is_told_the_same_however_it_is_written() {
    let cases: Vec<(String, Value)> = common::all_cases().into_iter().map(|(id, case)| (id, case["event"].clone())).collect();
    let mut wrong = Vec::new();
    for (name, rewrite) in REWRITES {
        let mut changed = 0;
        for (id, event) in &cases {
            let mut again = event.clone();
            rewrite(&mut again);
            if &again == event {
                continue;
            }
            changed += 1;
            let (before, after) = (told(event), told(&again));
            if before != after {
                wrong.push(format!("{name}: {id}: {before} became {after}"));
            }
        }
        // Each re-writing must reach cases, or it tests nothing (eight: the corpus's JSON bodies).
        assert!(changed >= 8, "{name} re-wrote only {changed} cases");
    }
    assert!(wrong.is_empty(), "{} re-written cases told otherwise:\n{}", wrong.len(), wrong.join("\n"));
}
