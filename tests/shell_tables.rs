//! The shell's tables against the core's: every action has a row in the panel's table of controls
//! (extension/panel/actions.js) and no row is for an action the core lacks; every kind of evidence
//! has its words in every locale, and so has every verdict. (Read natively: the wasm carries no lists it does not need.)
#![cfg(not(target_arch = "wasm32"))]

use page_medic::{Action, EvidenceKind, NoticeKind, Verdict};
use serde_json::Value;
use std::collections::BTreeSet;

fn read(path: &str) -> String {
    let path = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_panels_table_has_a_row_for_each_action_of_the_core_and_no_other() {
    let table = read("extension/panel/actions.js");
    // Rows are `  id: {` or `  'id': {` at the start of a line.
    let rows: BTreeSet<String> = table
        .lines()
        .filter_map(|line| line.strip_prefix("  ")?.split_once(": {").map(|(id, _)| id.trim_matches('\'').to_string()))
        .filter(|id| !id.starts_with(' ') && !id.starts_with('/'))
        .collect();
    let core: BTreeSet<String> = Action::ALL.iter().map(|a| a.id().to_string()).collect();
    assert_eq!(rows, core);
}

#[test]
fn what_is_it_just_me_opens_the_panel_can_open() {
    let table = read("extension/panel/actions.js");
    for works in [true, false] {
        for action in page_medic::diagnosis::after_just_me(works) {
            let id = action.id();
            let row = table
                .lines()
                .find(|line| line.trim_start().trim_start_matches('\'').starts_with(&format!("{id}'")) || line.trim_start().starts_with(&format!("{id}:")))
                .unwrap_or_else(|| panic!("no row for {id}"));
            assert!(row.contains("open: '"), "the panel's row for {id} says nothing of how to open it: {row}");
        }
    }
    assert!(!page_medic::diagnosis::after_just_me(true).is_empty(), "a page that works elsewhere opens something");
}

#[test]
fn every_kind_of_evidence_has_its_words_in_every_locale() {
    for lang in ["en", "zh_CN"] {
        let messages: Value = serde_json::from_str(&read(&format!("extension/_locales/{lang}/messages.json"))).unwrap();
        for kind in EvidenceKind::ALL {
            let key = format!("evidence_{}", kind.id().replace('-', "_"));
            let text = messages[&key]["message"].as_str().unwrap_or_else(|| panic!("{lang} lacks {key}"));
            assert!(text.contains("$1"), "{lang}: {key} has no place for the value");
        }
    }
}

#[test]
fn every_verdict_has_a_headline_and_a_detail_in_every_locale() {
    for lang in ["en", "zh_CN"] {
        let messages: Value = serde_json::from_str(&read(&format!("extension/_locales/{lang}/messages.json"))).unwrap();
        for verdict in Verdict::ALL {
            let key = verdict.locale_key();
            for key in [key.clone(), format!("{key}_detail")] {
                assert!(messages[&key]["message"].as_str().is_some_and(|m| !m.trim().is_empty()), "{lang} lacks {key}");
            }
        }
    }
}

#[test]
fn every_notice_has_its_words_in_every_locale() {
    // A notice with its `ms` is worded by `_at` (a time) or `_for` (a duration), one with its
    // `place` by `_place`, where the panel's words say so (extension/shared/ui.js), each with
    // the place for its value.
    let with_ms = [
        (NoticeKind::Maintenance, "_at", "$1"),
        (NoticeKind::Cached, "_for", "$2"),
        (NoticeKind::RetryAfterFar, "", "$1"),
        (NoticeKind::ProviderIncident, "", "$3"),
        (NoticeKind::ProviderIncident, "_place", "$4"),
    ];
    let ui = read("extension/shared/ui.js");
    for lang in ["en", "zh_CN"] {
        let messages: Value = serde_json::from_str(&read(&format!("extension/_locales/{lang}/messages.json"))).unwrap();
        for kind in NoticeKind::ALL {
            let key = format!("notice_{}", kind.id().replace('-', "_"));
            assert!(messages[&key]["message"].as_str().is_some_and(|m| !m.trim().is_empty()), "{lang} lacks {key}");
            for (_, suffix, place) in with_ms.iter().filter(|(k, _, _)| k == kind) {
                let text = messages[format!("{key}{suffix}")]["message"].as_str().unwrap_or_else(|| panic!("{lang} lacks {key}{suffix}"));
                assert!(text.contains(place), "{lang}: {key}{suffix} has no place for {place}");
            }
        }
    }
    for (kind, _, _) in with_ms {
        assert!(ui.contains(&format!("'{}'", kind.id())) || ui.contains(&format!("{}:", kind.id())), "ui.js words no {}", kind.id());
    }
}

#[test]
fn every_reason_not_to_retry_is_worded_by_the_panel_in_every_locale() {
    use page_medic::RetryReason as R;
    const ALL: &[R] = &[
        R::Backoff,
        R::RetryAfter,
        R::UnsafeMethod,
        R::NotTransient,
        R::WaitForOnline,
        R::GaveUp,
        R::Disabled,
        R::NotFailed,
        R::BrowserPage,
        R::PageRefreshes,
    ];
    // Those the panel says as it stops (a countdown says the others, or there is no panel).
    let said_when_stopped = |r: R| match r {
        R::UnsafeMethod | R::NotTransient | R::GaveUp | R::Disabled | R::PageRefreshes => true,
        R::Backoff | R::RetryAfter | R::WaitForOnline | R::NotFailed | R::BrowserPage => false,
    };
    let panel = read("extension/panel/panel.js");
    for &reason in ALL.iter().filter(|&&r| said_when_stopped(r)) {
        let id = serde_json::to_value(reason).unwrap().as_str().unwrap().to_string();
        let key = format!("retry_{}", id.replace('-', "_"));
        assert!(panel.contains(&format!("'{id}': '{key}'")) || panel.contains(&format!("{id}: '{key}'")), "panel.js does not word {id} as {key}");
        for lang in ["en", "zh_CN"] {
            let messages: Value = serde_json::from_str(&read(&format!("extension/_locales/{lang}/messages.json"))).unwrap();
            assert!(messages[&key]["message"].as_str().is_some_and(|m| !m.trim().is_empty()), "{lang} lacks {key}");
        }
    }
}

#[test]
fn every_status_page_level_has_its_words_in_every_locale() {
    for lang in ["en", "zh_CN"] {
        let messages: Value = serde_json::from_str(&read(&format!("extension/_locales/{lang}/messages.json"))).unwrap();
        for indicator in ["none", "minor", "major", "critical", "maintenance", "", "<b>"] {
            let key = format!("status_page_{}", page_medic::diagnosis::status_level(indicator));
            let text = messages[&key]["message"].as_str().unwrap_or_else(|| panic!("{lang} lacks {key}"));
            assert!(text.contains("$1"), "{lang}: {key} has no place for the status page's host");
        }
    }
}
