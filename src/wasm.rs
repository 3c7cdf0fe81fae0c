//! The wasm boundary: the only file with `#[wasm_bindgen]`. Values cross as plain JS objects.

use crate::report::{self, Lang};
use crate::retry::{Attempt, Policy};
use crate::{diagnose, Event, Verdict};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("cannot write result: {e}")))
}

fn event_from_js(event: JsValue) -> Result<Event, JsError> {
    let event: Event = serde_wasm_bindgen::from_value(event).map_err(|e| JsError::new(&format!("bad event: {e}")))?;
    event.validate().map_err(|e| JsError::new(&e.to_string()))?;
    Ok(event)
}

/// Diagnoses one event (the JSON contract as a JS object). Throws a clear error for bad input.
/// The page may come apart from the event as UTF-8 bytes (`Uint8Array`): a long string crosses
/// the boundary several times faster that way than as a field of the object (a 64 KiB page:
/// see docs/benchmarks.md). Bytes that are not UTF-8 are replaced, never refused.
#[wasm_bindgen(js_name = diagnose)]
pub fn diagnose_js(event: JsValue, body: Option<Vec<u8>>) -> Result<JsValue, JsError> {
    let mut event = event_from_js(event)?;
    if let Some(bytes) = body {
        event.body = Some(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()));
    }
    to_js(&diagnose(&event))
}

/// The next retry decision for a page that failed again: `verdict` id, the request method,
/// `Retry-After` in ms (or undefined), attempts made, ms since the first failure, a random
/// number in [0, 1), and the visitor's limit on automatic retries (or undefined: the default).
#[wasm_bindgen(js_name = nextRetry)]
pub fn next_retry_js(
    verdict: &str,
    method: &str,
    retry_after_ms: Option<f64>,
    attempt: u32,
    elapsed_ms: f64,
    jitter: f64,
    max_attempts: Option<u32>,
) -> Result<JsValue, JsError> {
    let verdict = Verdict::ALL
        .iter()
        .copied()
        .find(|v| v.id() == verdict)
        .ok_or_else(|| JsError::new(&format!("unknown verdict {verdict:?}")))?;
    let ms = |x: f64| if x.is_finite() && x > 0.0 { x as u64 } else { 0 };
    let defaults = Policy::default();
    let policy = Policy { max_attempts: max_attempts.unwrap_or(defaults.max_attempts), ..defaults };
    let decision = policy.decide(&Attempt {
        verdict,
        idempotent: crate::event::is_idempotent(method),
        retry_after_ms: retry_after_ms.map(ms),
        attempt,
        elapsed_ms: ms(elapsed_ms),
        jitter,
    });
    to_js(&decision)
}

/// The support report for an event, with what was tried, in the given UI language.
#[wasm_bindgen(js_name = report)]
pub fn report_js(event: JsValue, tried: Vec<String>, lang: &str) -> Result<String, JsError> {
    let event = event_from_js(event)?;
    Ok(report::report(&event, &diagnose(&event), &tried, Lang::from_tag(lang)))
}

/// Every verdict id, so the shell can check its locale files against the core.
#[wasm_bindgen(js_name = verdictIds)]
pub fn verdict_ids() -> Vec<String> {
    Verdict::ALL.iter().map(|v| v.id().to_string()).collect()
}
