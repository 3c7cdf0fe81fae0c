//! Evidence read from a response: who generated it, its request id, and telling phrases.
//!
//! Everything here is a table of cited rows. Bodies are read through [`TextView`], a plain-text,
//! lower-cased view of the page (tags, scripts and styles dropped, entities decoded, white space
//! folded), so the same row matches raw HTML from a capture and `innerText` from a browser.

mod cache;
mod gateways;
mod markers;
mod phrases;
mod request_id;
mod text;

pub use cache::{cached, Cached};
pub use gateways::gateway;
pub use markers::{markers, source as marker_source, Marker, MarkerSet};
pub use phrases::PhraseSet;
pub use request_id::{data_centre, request_id, request_ids};
pub use text::TextView;

/// Every phrase the evidence tables look for in a page, found in one pass ([`TextView::new`]).
pub fn phrases() -> &'static PhraseSet {
    static SET: std::sync::OnceLock<PhraseSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| PhraseSet::new(markers::phrases().chain(gateways::phrases()).chain(request_id::phrases())))
}

impl Probe {
    /// The page phrase this probe looks for, if any.
    pub fn phrase(&self) -> Option<&'static str> {
        match *self {
            Probe::Body(phrase) | Probe::HeaderAndBody(_, _, phrase) => Some(phrase),
            Probe::Header(..) | Probe::HeaderAndHead(..) => None,
        }
    }
}

/// How a header row matches a header's value (compared lower-cased).
#[derive(Clone, Copy, Debug)]
pub enum Value {
    /// The header is present, whatever its value.
    Any,
    /// The value contains this (lower-case) text.
    Contains(&'static str),
    /// The value starts with this (lower-case) text.
    StartsWith(&'static str),
}

/// Where a row looks.
#[derive(Clone, Copy, Debug)]
pub enum Probe {
    /// A response header (name, how its value must look).
    Header(&'static str, Value),
    /// A phrase in the page's text view (lower-case, white space folded to single spaces).
    Body(&'static str),
    /// Both a header and a phrase.
    HeaderAndBody(&'static str, Value, &'static str),
    /// A header, and a raw body that starts with this (lower-case) text: a stock template.
    HeaderAndHead(&'static str, Value, &'static str),
}

impl Probe {
    /// Whether the probe matches this response.
    pub fn matches(&self, event: &crate::Event, text: &TextView) -> bool {
        match *self {
            Probe::Header(name, value) => header_matches(event, name, value),
            Probe::Body(phrase) => text.contains(phrase),
            Probe::HeaderAndBody(name, value, phrase) => header_matches(event, name, value) && text.contains(phrase),
            Probe::HeaderAndHead(name, value, prefix) => header_matches(event, name, value) && text.head.starts_with(prefix),
        }
    }
}

/// Whether a header of this name has a value that matches, ignoring ASCII case and the optional
/// white space around names and values (RFC 9110 §5.6.3: spaces and tabs). Runs for every header
/// row of every table, so it compares in place rather than lower-casing copies.
fn header_matches(event: &crate::Event, name: &str, value: Value) -> bool {
    event.headers.iter().any(|(n, v)| {
        if !n.trim_ascii().eq_ignore_ascii_case(name) {
            return false;
        }
        let v = v.trim_ascii().as_bytes();
        match value {
            Value::Any => true,
            Value::Contains(s) => s.is_empty() || v.windows(s.len()).any(|w| w.eq_ignore_ascii_case(s.as_bytes())),
            Value::StartsWith(s) => v.get(..s.len()).is_some_and(|start| start.eq_ignore_ascii_case(s.as_bytes())),
        }
    })
}
