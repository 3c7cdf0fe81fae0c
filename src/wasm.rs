//! The wasm boundary: the only file with `#[wasm_bindgen]`. Values cross as plain JS objects.

use crate::event::{Browser, EventError};
use crate::report::{self, Lang};
use crate::retry::Attempt;
use crate::{Choices, Event, Verdict};
use js_sys::{Array, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The wasm's allocator: talc in place of Rust's default dlmalloc, which alone was 7 KB of the
/// module (twiggy; docs/performance-notes.md). The core is single-threaded (no `atomics`).
#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(Out)
        // (A fixed message: formatting the error's own would bring `core::fmt` into the wasm.)
        .map_err(|_| JsError::new(Unwritable::MESSAGE))
}

/// The results' writer: serde-wasm-bindgen's (JSON-compatible: `null` for none) for every
/// value, but a struct's field names and an enum's unit variants are made JS strings once, in
/// `js_key`'s cache. serde-wasm-bindgen keeps its own cache of them, a hash map keyed by address,
/// which was 4 KB of the module (twiggy; docs/performance-notes.md, Size). The results hold
/// structs, lists, options, unit variants, strings, numbers and booleans; any other shape is an
/// error, never a panic.
#[derive(Clone, Copy)]
struct Out;

/// Writes one value (anything that is not a struct, a list or a unit variant).
const LEAF: &serde_wasm_bindgen::Serializer = &serde_wasm_bindgen::Serializer::json_compatible();

/// A result of a shape the results never have (a map, a variant with data).
#[derive(Debug)]
struct Unwritable;

impl Unwritable {
    const MESSAGE: &'static str = "cannot write the result";
}

impl std::fmt::Display for Unwritable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(Self::MESSAGE)
    }
}

impl std::error::Error for Unwritable {}

impl serde::ser::Error for Unwritable {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unwritable
    }
}

type Written = Result<JsValue, Unwritable>;
type Never = serde::ser::Impossible<JsValue, Unwritable>;

macro_rules! leaves {
    ($($name:ident($ty:ty);)*) => {
        $(fn $name(self, v: $ty) -> Written {
            LEAF.$name(v).map_err(|_| Unwritable)
        })*
    };
}

impl serde::Serializer for Out {
    type Ok = JsValue;
    type Error = Unwritable;
    type SerializeSeq = OutList;
    type SerializeTuple = OutList;
    type SerializeTupleStruct = Never;
    type SerializeTupleVariant = Never;
    type SerializeMap = Never;
    type SerializeStruct = OutStruct;
    type SerializeStructVariant = Never;

    leaves! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_unit_struct(&'static str);
    }

    fn serialize_none(self) -> Written {
        Ok(JsValue::NULL)
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Written {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Written {
        Ok(JsValue::NULL)
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Written {
        Ok(js_key(variant))
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> Written {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> Written {
        Err(Unwritable)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<OutList, Unwritable> {
        Ok(OutList(Array::new()))
    }

    fn serialize_tuple(self, _: usize) -> Result<OutList, Unwritable> {
        Ok(OutList(Array::new()))
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Never, Unwritable> {
        Err(Unwritable)
    }

    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Never, Unwritable> {
        Err(Unwritable)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Never, Unwritable> {
        Err(Unwritable)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<OutStruct, Unwritable> {
        Ok(OutStruct(js_sys::Object::new().unchecked_into()))
    }

    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Never, Unwritable> {
        Err(Unwritable)
    }
}

/// A list being written, as a JS array.
struct OutList(Array);

impl serde::ser::SerializeSeq for OutList {
    type Ok = JsValue;
    type Error = Unwritable;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unwritable> {
        self.0.push(&value.serialize(Out)?);
        Ok(())
    }

    fn end(self) -> Written {
        Ok(self.0.into())
    }
}

impl serde::ser::SerializeTuple for OutList {
    type Ok = JsValue;
    type Error = Unwritable;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unwritable> {
        serde::ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Written {
        Ok(self.0.into())
    }
}

#[wasm_bindgen]
extern "C" {
    /// A plain JS object of the writer's own, new, whose fields are set as `object[key] = value`
    /// (nothing there to throw, so no exception handling in the glue).
    type Plain;

    #[wasm_bindgen(method, indexing_setter)]
    fn set(this: &Plain, key: &JsValue, value: &JsValue);
}

/// A struct being written, as a plain JS object.
struct OutStruct(Plain);

impl serde::ser::SerializeStruct for OutStruct {
    type Ok = JsValue;
    type Error = Unwritable;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Unwritable> {
        self.0.set(&js_key(key), &value.serialize(Out)?);
        Ok(())
    }

    fn end(self) -> Written {
        Ok(self.0.into())
    }
}

/// Reads the event object (the JSON contract, see `Event`) field by field. Reading it with
/// serde-wasm-bindgen's deserializer cost a quarter of the wasm (15 KB of 64 KB gzipped: its error
/// messages keep float formatting alive; measured with twiggy, docs/performance-notes.md), so the
/// dozen fields are read here; results still go out through serde. Missing and null fields are
/// `None`; a field of the wrong type is a clear error.
fn event_from_js(event: JsValue) -> Result<Event, JsError> {
    read_event(event).map_err(|e| JsError::new(&["bad event: ", &e.0].concat()))
}

fn read_event(event: JsValue) -> Result<Event, EventError> {
    let fields = Fields::of(event)?;
    let status = fields.status()?;
    let browser = match fields.string("browser")?.as_deref() {
        None => None,
        Some("chrome") => Some(Browser::Chrome),
        Some("firefox") => Some(Browser::Firefox),
        Some(_) => return Err(EventError("`browser` is neither \"chrome\" nor \"firefox\"".into())),
    };
    let event = Event {
        url: fields.string("url")?.unwrap_or_default(),
        method: fields.string("method")?,
        status,
        status_text: fields.string("status_text")?,
        headers: fields.headers()?,
        body: fields.string("body")?,
        error: fields.string("error")?,
        error_name: fields.string("error_name")?,
        via_proxy: fields.boolean("via_proxy")?.unwrap_or(false),
        look_failed: fields.boolean("look_failed")?.unwrap_or(false),
        upgraded: fields.boolean("upgraded")?.unwrap_or(false),
        proxy_sign_in: fields.boolean("proxy_sign_in")?.unwrap_or(false),
        blockers: match fields.number("blockers")? {
            None => None,
            Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => Some(n as u32),
            Some(_) => return Err(EventError("`blockers` is not a count".into())),
        },
        refresh: fields.string("refresh")?,
        online: fields.boolean("online")?,
        now_ms: fields.number("now_ms")?,
        browser,
        jitter: fields.number("jitter")?,
        // (`recent` comes as plain arguments: see `diagnose`.)
        recent: Vec::new(),
    };
    event.validate()?;
    Ok(event)
}

thread_local! {
    /// Field names and ids as JS strings, made once (the event's fields; the results' fields
    /// and unit variants): making one from Rust text decodes it in JS (a `TextDecoder` call),
    /// which cost more than reading the field. Found by address: a few dozen, each made once.
    static KEYS: std::cell::RefCell<Vec<(&'static str, JsValue)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `key` as a JS string, from the cache.
fn js_key(key: &'static str) -> JsValue {
    KEYS.with_borrow_mut(|keys| {
        if let Some((_, value)) = keys.iter().find(|(k, _)| std::ptr::eq(*k, key)) {
            return value.clone();
        }
        let value = JsValue::from_str(key);
        keys.push((key, value.clone()));
        value
    })
}

/// A JS object's fields, each read once; `None` for undefined or null.
struct Fields(JsValue);

impl Fields {
    fn of(value: JsValue) -> Result<Fields, EventError> {
        if value.is_object() && !Array::is_array(&value) {
            Ok(Fields(value))
        } else {
            Err(EventError("an event is an object".into()))
        }
    }

    fn get(&self, key: &'static str) -> Option<JsValue> {
        Reflect::get(&self.0, &js_key(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
    }

    fn typed<T>(&self, key: &'static str, read: impl Fn(&JsValue) -> Option<T>, what: &str) -> Result<Option<T>, EventError> {
        match self.get(key) {
            None => Ok(None),
            Some(value) => read(&value).map(Some).ok_or_else(|| EventError(["`", key, "` is not ", what].concat())),
        }
    }

    /// `status`: an HTTP status code.
    fn status(&self) -> Result<Option<u16>, EventError> {
        match self.number("status")? {
            None => Ok(None),
            Some(n) if n.fract() == 0.0 && (0.0..=65535.0).contains(&n) => Ok(Some(n as u16)),
            Some(_) => Err(EventError("`status` is not an HTTP status code".into())),
        }
    }

    fn string(&self, key: &'static str) -> Result<Option<String>, EventError> {
        self.typed(key, JsValue::as_string, "a string")
    }

    fn number(&self, key: &'static str) -> Result<Option<f64>, EventError> {
        self.typed(key, JsValue::as_f64, "a number")
    }

    fn boolean(&self, key: &'static str) -> Result<Option<bool>, EventError> {
        self.typed(key, JsValue::as_bool, "true or false")
    }

    /// `headers`: an array of `[name, value]` string pairs.
    fn headers(&self) -> Result<Vec<(String, String)>, EventError> {
        let pair = |entry: JsValue| -> Option<(String, String)> {
            let entry: Array = entry.dyn_into().ok()?;
            (entry.length() == 2).then_some(())?;
            Some((entry.get(0).as_string()?, entry.get(1).as_string()?))
        };
        let list = self.typed("headers", |v| v.dyn_ref::<Array>().cloned(), "an array of [name, value] pairs")?;
        list.map_or(Ok(Vec::new()), |list| {
            list.iter()
                .map(|entry| pair(entry).ok_or_else(|| EventError("`headers` holds something other than a [name, value] pair of strings".into())))
                .collect()
        })
    }
}

/// Diagnoses one event (the JSON contract as a JS object). Throws a clear error for bad input.
/// The page may come apart from the event as UTF-8 bytes (`Uint8Array`): a long string crosses
/// the boundary several times faster that way than as a field of the object (a 64 KiB page:
/// see docs/benchmarks.md). Bytes that are not UTF-8 are replaced, never refused.
/// The visitor's choices follow: the statuses they want help with (`Uint16Array`; undefined: the
/// defaults), their limit on automatic retries (undefined: the default), whether Page Medic
/// retries by itself and whether it may replace the browser's error pages (undefined: yes). They
/// hold for the first decision as for every later one. (Plain arguments, not an object: reading
/// an object's fields costs the wasm more than its budget allows.) Then the event's `recent`
/// failures, as three lists of one length: hosts, gateway names, times (ms since the epoch).
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(js_name = diagnose)]
pub fn diagnose_js(
    event: JsValue,
    body: Option<Vec<u8>>,
    statuses: Option<Vec<u16>>,
    retry_limit: Option<u32>,
    auto_retry: Option<bool>,
    replace_error_pages: Option<bool>,
    recent_hosts: Option<Vec<String>>,
    recent_gateways: Option<Vec<String>>,
    recent_at: Option<Vec<f64>>,
) -> Result<JsValue, JsError> {
    let mut event = event_from_js(event)?;
    let at = recent_at.unwrap_or_default();
    event.recent = recent_hosts.unwrap_or_default().into_iter().zip(recent_gateways.unwrap_or_default()).zip(at).map(|((h, g), t)| (h, g, t)).collect();
    if let Some(bytes) = body {
        event.body = Some(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()));
    }
    to_js(&crate::diagnose_with(&event, &Choices { statuses, retry_limit, auto_retry, replace_error_pages }))
}

/// Whether a page that answered with `status` may get help for a visitor who wants help with
/// `statuses` (undefined: the defaults), before its page is read (the overlay covers a server
/// error at once, and lets go if not).
#[wasm_bindgen(js_name = mayHelp)]
pub fn may_help_js(status: u16, statuses: Option<Vec<u16>>) -> bool {
    crate::may_help(status, &Choices { statuses, ..Choices::default() })
}

/// What opens once "is it just me?" has its answer (`works`: the page loaded without this
/// browser's cookies and cache): action ids, in order.
#[wasm_bindgen(js_name = afterJustMe)]
pub fn after_just_me_js(works: bool) -> Result<JsValue, JsError> {
    to_js(&crate::diagnosis::after_just_me(works))
}

/// What a Statuspage summary's `status.indicator` says, as Page Medic tells it (`operational`,
/// `minor`, `major`, `critical` or `unknown`).
#[wasm_bindgen(js_name = statusLevel)]
pub fn status_level_js(indicator: &str) -> String {
    crate::diagnosis::status_level(indicator).to_string()
}

/// Whether the visitor asked Page Medic to leave `host` alone (`ignored_sites`: one host a line).
#[wasm_bindgen(js_name = ignores)]
pub fn ignores_js(host: &str, ignored_sites: &str) -> bool {
    crate::ignores(host, ignored_sites)
}

/// The next retry decision for a page that failed again: `verdict` id, the request method,
/// `Retry-After` in ms (or undefined), attempts made, ms since the first failure, a random
/// number in [0, 1), the visitor's limit on automatic retries (or undefined: the default), and
/// whether they want automatic retries at all (undefined: yes).
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(js_name = nextRetry)]
pub fn next_retry_js(
    verdict: &str,
    method: &str,
    retry_after_ms: Option<f64>,
    attempt: u32,
    elapsed_ms: f64,
    jitter: f64,
    max_attempts: Option<u32>,
    auto_retry: Option<bool>,
) -> Result<JsValue, JsError> {
    let verdict = Verdict::ALL.iter().copied().find(|v| v.id() == verdict).ok_or_else(|| JsError::new(&["unknown verdict \"", verdict, "\""].concat()))?;
    let ms = |x: f64| if x.is_finite() && x > 0.0 { x as u64 } else { 0 };
    let decision = Choices { retry_limit: max_attempts, auto_retry, ..Choices::default() }.policy().decide(&Attempt {
        verdict,
        idempotent: crate::event::is_idempotent(method),
        retry_after_ms: retry_after_ms.map(ms),
        attempt,
        elapsed_ms: ms(elapsed_ms),
        jitter,
        refreshes: false,
    });
    to_js(&decision)
}

/// How long one request to a failing site stands for others, in ms: a check's answer, a check
/// that found the site answering, a look at a failed address, and the wait before a second check
/// confirms the site is back (the core's `Sharing`, in that order): the site is asked once, not
/// once for each tab.
#[wasm_bindgen(js_name = sharing)]
pub fn sharing_js() -> Vec<f64> {
    let s = crate::retry::Sharing::default();
    vec![s.check_ms as f64, s.answered_ms as f64, s.look_ms as f64, s.confirm_ms as f64]
}

/// When "tell me when it's back" checks a site next (ms since the epoch), or undefined once the
/// watch is over: the watch began at `since_ms`, it is `now_ms`, and the retry schedule's next
/// step is `schedule_next_ms` (undefined when it has none).
#[wasm_bindgen(js_name = watchNext)]
pub fn watch_next_js(since_ms: f64, now_ms: f64, schedule_next_ms: Option<f64>) -> Option<f64> {
    crate::retry::Watch::default().next_check_ms(since_ms, now_ms, schedule_next_ms)
}

/// The support report for one failure, in the given UI language: the failure as stored when the
/// page failed (its address, status, reason phrase, network error, time in epoch ms, what was
/// tried and when) with what the diagnosis the visitor was shown said: verdict, gateway, data
/// centre, request ids and its notices (kinds, their `ms` or NaN, what showed them or ""). It is
/// never diagnosed again. (Plain arguments, not an object: see `diagnose`.)
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(js_name = report)]
pub fn report_js(
    url: String,
    status: Option<u16>,
    status_text: Option<String>,
    error: Option<String>,
    at_ms: Option<f64>,
    tried: Vec<String>,
    tried_at: Vec<f64>,
    verdict: String,
    gateway: Option<String>,
    data_centre: Option<String>,
    request_id: Option<String>,
    request_ids: Vec<String>,
    notice_kinds: Vec<String>,
    notice_ms: Vec<f64>,
    notice_seen: Vec<String>,
    lang: &str,
) -> String {
    let notices = notice_kinds
        .into_iter()
        .enumerate()
        .map(|(i, kind)| {
            let ms = notice_ms.get(i).copied().filter(|ms| ms.is_finite());
            let seen = notice_seen.get(i).filter(|s| !s.is_empty()).cloned();
            (kind, ms, seen)
        })
        .collect();
    let failure = report::Failure { url, status, status_text, error, at_ms, verdict, gateway, request_id, request_ids, data_centre, tried, tried_at, notices };
    report::report(&failure, Lang::from_tag(lang))
}
