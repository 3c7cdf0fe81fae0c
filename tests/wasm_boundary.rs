//! The wasm boundary as the extension calls it: JS objects in, JS objects out, errors thrown.
#![cfg(target_arch = "wasm32")]

use js_sys::{Reflect, JSON};
use page_medic::wasm::{after_just_me_js, diagnose_js, ignores_js, may_help_js, next_retry_js, report_js, sharing_js, watch_next_js};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn js(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON parses")
}

fn get(value: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(value.clone(), |v, key| Reflect::get(&v, &JsValue::from_str(key)).unwrap())
}

#[wasm_bindgen_test]
fn diagnoses_an_nginx_502_given_as_a_js_object() {
    let d = diagnose_js(
        js(r#"{"url":"http://127.0.0.1/x","status":502,"headers":[["Server","nginx/1.22.1"]],
        "body":"<center>nginx/1.22.1</center>","browser":"firefox","now_ms":1700000000000,"jitter":0.1}"#),
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    )
    .unwrap();
    assert_eq!(get(&d, &["verdict"]).as_string().as_deref(), Some("origin-down"));
    assert!(get(&d, &["error"]).is_null(), "a response has no browser error");
    assert_eq!(get(&d, &["side"]).as_string().as_deref(), Some("site"));
    assert_eq!(get(&d, &["gateway", "name"]).as_string().as_deref(), Some("nginx"));
    assert_eq!(get(&d, &["retry", "auto"]).as_bool(), Some(true));
    assert!(get(&d, &["request_id"]).is_null());
}

/// Firefox's number for a network error crosses with its name from another of its reports; the
/// core tells them together.
#[wasm_bindgen_test]
fn a_firefox_error_crosses_with_its_name() {
    let event = js(r#"{"url":"http://127.0.0.1/x","error":"Error code 2152398861","error_name":"NS_ERROR_CONNECTION_REFUSED","browser":"firefox"}"#);
    let d = diagnose_js(event, None, None, None, None, None, None, None, None).unwrap();
    assert_eq!(get(&d, &["error"]).as_string().as_deref(), Some("NS_ERROR_CONNECTION_REFUSED (Error code 2152398861)"));
    assert_eq!(get(&d, &["verdict"]).as_string().as_deref(), Some("connection-failed"));
}

#[wasm_bindgen_test]
fn the_page_may_cross_as_bytes_and_bad_utf8_is_replaced() {
    let event = js(r#"{"url":"http://127.0.0.1/x","status":502,"body":"ignored when bytes come"}"#);
    let mut page = b"<title>502</title><p>Cloudflare Ray ID: 8a1b2c3d4e5f6789 \xff\xfe</p>".to_vec();
    let d = diagnose_js(event.clone(), Some(page.clone()), None, None, None, None, None, None, None).unwrap();
    assert_eq!(get(&d, &["request_id"]).as_string().as_deref(), Some("8a1b2c3d4e5f6789"));
    page.truncate(5);
    let d = diagnose_js(event, Some(page), None, None, None, None, None, None, None).unwrap();
    assert!(get(&d, &["request_id"]).is_null(), "the bytes, not the event's body, were read");
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_not_a_panic() {
    assert!(diagnose_js(JsValue::from_str("not an object"), None, None, None, None, None, None, None, None).is_err());
    assert!(diagnose_js(js(r#"{"status":502}"#), None, None, None, None, None, None, None, None).is_err(), "url is required");
    assert!(diagnose_js(js(r#"{"url":"x","status":"502"}"#), None, None, None, None, None, None, None, None).is_err());
    assert!(diagnose_js(js(r#"{"url":"x","headers":[["a"]]}"#), None, None, None, None, None, None, None, None).is_err());
    assert!(next_retry_js("no-such-verdict", "GET", None, 0, 0.0, 0.5, None, None).is_err());
}

/// The event is read field by field at the boundary: each field's type is checked, and the
/// error says which field is wrong.
#[wasm_bindgen_test]
fn each_field_is_checked_and_named_in_the_error() {
    let message = |json: &str| {
        let error = diagnose_js(js(json), None, None, None, None, None, None, None, None).expect_err(json);
        get(&JsValue::from(error), &["message"]).as_string().unwrap_or_default()
    };
    for (json, field) in [
        (r#"{"url":"x","status":502.5}"#, "`status`"),
        (r#"{"url":"x","status":70000}"#, "`status`"),
        (r#"{"url":"x","status":-1}"#, "`status`"),
        (r#"{"url":7}"#, "`url`"),
        (r#"{"url":"x","method":["GET"]}"#, "`method`"),
        (r#"{"url":"x","headers":"server: nginx"}"#, "`headers`"),
        (r#"{"url":"x","headers":[["server",1]]}"#, "`headers`"),
        (r#"{"url":"x","headers":[["a","b","c"]]}"#, "`headers`"),
        (r#"{"url":"x","browser":"safari"}"#, "`browser`"),
        (r#"{"url":"x","online":"yes"}"#, "`online`"),
        (r#"{"url":"x","via_proxy":1}"#, "`via_proxy`"),
        (r#"{"url":"x","now_ms":"today"}"#, "`now_ms`"),
        (r#"{"url":"x","jitter":true}"#, "`jitter`"),
        (r#"{"url":"x","refresh":5}"#, "`refresh`"),
        (r#"{"url":"x","error_name":0}"#, "`error_name`"),
    ] {
        let text = message(json);
        assert!(text.starts_with("bad event: ") && text.contains(field), "{json} -> {text}");
    }
    assert!(message("[]").contains("object"));
    assert!(diagnose_js(JsValue::NULL, None, None, None, None, None, None, None, None).is_err());
}

#[wasm_bindgen_test]
fn null_and_missing_fields_are_absent_not_errors() {
    let nulls = diagnose_js(
        js(r#"{"url":"http://127.0.0.1/x","status":502,"method":null,"status_text":null,"headers":null,
        "body":null,"error":null,"via_proxy":null,"refresh":null,"online":null,"now_ms":null,"browser":null,"jitter":null}"#),
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    )
    .unwrap();
    let missing = diagnose_js(js(r#"{"url":"http://127.0.0.1/x","status":502}"#), None, None, None, None, None, None, None, None).unwrap();
    assert_eq!(JSON::stringify(&nulls).unwrap(), JSON::stringify(&missing).unwrap());
    let d = diagnose_js(
        js(r#"{"url":"http://127.0.0.1/x","error":"net::ERR_CONNECTION_REFUSED","via_proxy":true,"online":true}"#),
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    )
    .unwrap();
    assert_eq!(get(&d, &["verdict"]).as_string().as_deref(), Some("proxy-failure"), "via_proxy is read");
    let d = diagnose_js(js(r#"{"url":"http://127.0.0.1/x","status":503,"refresh":"5; url=/"}"#), None, None, None, None, None, None, None, None).unwrap();
    assert_eq!(get(&d, &["retry", "reason"]).as_string().as_deref(), Some("page-refreshes"), "refresh is read");
}

/// Times and durations cross as JS numbers, whatever their size: a `Retry-After` past 2^53 ms
/// is a number too, never an error that loses the whole diagnosis.
#[wasm_bindgen_test]
fn durations_cross_as_numbers_even_past_what_a_js_number_holds_exactly() {
    let event = |after: &str| js(&format!(r#"{{"url":"http://127.0.0.1/x","status":503,"headers":[["Retry-After","{after}"]],"now_ms":1700000000000}}"#));
    let d = diagnose_js(event("120"), None, None, None, None, None, None, None, None).unwrap();
    assert_eq!(get(&d, &["retry_after_ms"]).as_f64(), Some(120_000.0));
    let d = diagnose_js(event("99999999999999999999"), None, None, None, None, None, None, None, None).expect("a diagnosis, not an error");
    assert!(get(&d, &["retry_after_ms"]).as_f64().is_some_and(|ms| ms > 9e15), "{:?}", get(&d, &["retry_after_ms"]));
    assert_eq!(get(&d, &["verdict"]).as_string().as_deref(), Some("site-unavailable"));
}

#[wasm_bindgen_test]
fn retry_and_report_cross_the_boundary() {
    let r = next_retry_js("origin-down", "post", None, 0, 0.0, 0.5, None, None).unwrap();
    assert_eq!(get(&r, &["auto"]).as_bool(), Some(false));
    assert_eq!(get(&r, &["reason"]).as_string().as_deref(), Some("unsafe-method"));
    let r = next_retry_js("site-unavailable", "GET", Some(30_000.0), 0, 0.0, 0.0, None, None).unwrap();
    assert_eq!(get(&r, &["after_ms"]).as_f64(), Some(30_000.0));
    let r = next_retry_js("origin-down", "GET", None, 3, 0.0, 0.5, Some(3), None).unwrap();
    assert_eq!(get(&r, &["reason"]).as_string().as_deref(), Some("gave-up"), "the visitor's limit holds");
    let r = next_retry_js("origin-down", "GET", None, 0, 0.0, 0.5, None, Some(false)).unwrap();
    assert_eq!(get(&r, &["reason"]).as_string().as_deref(), Some("disabled"), "the visitor turned automatic retries off");

    let text = report_js(
        "https://shop.example/a?token=secret".into(),
        Some(502),
        None,
        None,
        Some(0.0),
        vec!["retry".into()],
        vec![30_000.0],
        "cdn-failure".into(),
        Some("Cloudflare".into()),
        Some("SJC".into()),
        Some("8a1b2c3d4e5f6789-SJC".into()),
        vec!["cf-ray: 8a1b2c3d4e5f6789-SJC".into(), "x-request-id: 7".into()],
        vec!["cached".into()],
        vec![f64::NAN],
        vec!["cf-cache-status: HIT".into()],
        "zh-CN",
    );
    assert!(text.contains("https://shop.example/a") && !text.contains("secret"), "{text}");
    assert!(text.contains("cf-ray: 8a1b2c3d4e5f6789-SJC; x-request-id: 7") && text.contains("请求 ID"), "{text}");
    assert!(text.contains("数据中心: SJC") && text.contains("来自缓存 (cf-cache-status: HIT)") && text.contains("retry (00:00:30 UTC)"), "{text}");
    assert!(
        text.contains("cdn-failure") && text.contains("Cloudflare") && text.contains("Thu, 01 Jan 1970 00:00:00 GMT"),
        "the stored diagnosis, the failure's time: {text}"
    );
}

#[wasm_bindgen_test]
fn the_visitors_retry_limit_holds_for_the_first_decision() {
    let event = || js(r#"{"url":"http://127.0.0.1/x","status":502}"#);
    let d = diagnose_js(event(), None, None, Some(0), None, None, None, None, None).unwrap();
    assert_eq!(get(&d, &["retry", "auto"]).as_bool(), Some(false), "a limit of 0: no retry at all");
    assert_eq!(get(&d, &["retry", "reason"]).as_string().as_deref(), Some("gave-up"));
    let d = diagnose_js(event(), None, None, None, None, None, None, None, None).unwrap();
    assert_eq!(get(&d, &["retry", "auto"]).as_bool(), Some(true), "the default retries");
}

#[wasm_bindgen_test]
fn the_visitors_statuses_decide_whether_a_failure_gets_help() {
    let event = |status: u16, body: &str| js(&format!(r#"{{"url":"http://127.0.0.1/x","status":{status},"body":"{body}"}}"#));
    let only_502 = || Some(vec![502]);
    assert!(may_help_js(502, only_502()));
    assert!(!may_help_js(503, only_502()), "a status the visitor left out");
    assert!(may_help_js(431, only_502()), "stale site data may be behind a 431, whatever the list");
    assert!(may_help_js(400, only_502()), "and behind a 400");
    assert!(!may_help_js(404, only_502()));
    let help = |d: JsValue| get(&d, &["help"]).as_bool();
    assert_eq!(help(diagnose_js(event(502, ""), None, only_502(), None, None, None, None, None, None).unwrap()), Some(true));
    assert_eq!(help(diagnose_js(event(503, ""), None, only_502(), None, None, None, None, None, None).unwrap()), Some(false));
    assert_eq!(
        help(diagnose_js(event(400, "Request Header Or Cookie Too Large"), None, only_502(), None, None, None, None, None, None).unwrap()),
        Some(true),
        "the page shows stale site data"
    );
    assert_eq!(
        help(diagnose_js(event(400, "Bad request"), None, only_502(), None, None, None, None, None, None).unwrap()),
        Some(false),
        "a plain 400 is the page's own answer"
    );
    assert_eq!(help(diagnose_js(event(503, ""), None, None, None, None, None, None, None, None).unwrap()), Some(true), "the defaults: every server error");
}

#[wasm_bindgen_test]
fn sharing_and_watch_timing_cross_the_boundary() {
    let s = sharing_js();
    assert_eq!(s.len(), 4);
    assert!(s.iter().all(|&ms| ms > 0.0), "{s:?}");
    assert_eq!(watch_next_js(0.0, 1_000.0, Some(5_000.0)), Some(5_000.0));
    assert_eq!(watch_next_js(0.0, 1_000.0, None), Some(61_000.0));
    assert_eq!(watch_next_js(0.0, 1.0e9, None), None, "the watch is over");
}

#[wasm_bindgen_test]
fn the_sites_left_alone_and_what_is_it_just_me_opens_cross_as_the_shell_reads_them() {
    assert!(ignores_js("shop.example", "intranet.example\nshop.example"));
    assert!(ignores_js("a.shop.example", "shop.example"));
    assert!(!ignores_js("myshop.example", "shop.example"));
    assert!(!ignores_js("shop.example", ""));
    let opened = js_sys::Array::from(&after_just_me_js(true).unwrap());
    let ids: Vec<String> = opened.iter().filter_map(|v| v.as_string()).collect();
    assert_eq!(ids, ["clear-site-data", "check-extensions"]);
    assert_eq!(js_sys::Array::from(&after_just_me_js(false).unwrap()).length(), 0);
}

#[wasm_bindgen_test]
fn recent_failures_cross_as_three_lists_and_tell_a_providers_trouble() {
    let event = js(r#"{"url":"https://blog.example.net/","status":502,"headers":[["Server","cloudflare"],["CF-Ray","8a1b2c3d4e5f6789-FRA"]],
        "now_ms":1796133600000}"#);
    let hosts = vec!["shop.example".to_string(), "news.example.org".to_string()];
    let gateways = vec!["Cloudflare".to_string(), "Cloudflare".to_string()];
    let d =
        diagnose_js(event.clone(), None, None, None, None, None, Some(hosts), Some(gateways), Some(vec![1_796_133_590_000.0, 1_796_133_500_000.0])).unwrap();
    let notice = get(&d, &["notices", "0"]);
    assert_eq!(Reflect::get(&notice, &"kind".into()).unwrap().as_string().as_deref(), Some("provider-incident"));
    assert_eq!(Reflect::get(&notice, &"count".into()).unwrap().as_f64(), Some(3.0));
    assert_eq!(Reflect::get(&notice, &"place".into()).unwrap().as_string().as_deref(), Some("FRA"));
    let alone = diagnose_js(event, None, None, None, None, None, None, None, None).unwrap();
    assert!(get(&alone, &["notices", "0"]).is_undefined(), "no history, no provider trouble");
}

/// The results cross as the core writes them: every documented case's diagnosis, and each retry
/// decision, read back as JSON is what serde_json writes of the same value (the same fields in
/// the same order, `null` for none, ids as strings, durations as numbers).
#[wasm_bindgen_test]
fn results_cross_as_serde_json_writes_them() {
    let as_json = |value: &JsValue| String::from(JSON::stringify(value).unwrap());
    let native = |json: String| as_json(&js(&json));
    let fixtures: serde_json::Value = serde_json::from_str(include_str!("fixtures/documented.json")).unwrap();
    let cases = fixtures["cases"].as_array().unwrap();
    assert!(cases.len() > 100, "{} cases", cases.len());
    for case in cases {
        let text = case["event"].to_string();
        let expected = native(serde_json::to_string(&page_medic::diagnose(&page_medic::parse_event(&text).unwrap())).unwrap());
        let crossed = diagnose_js(js(&text), None, None, None, None, None, None, None, None).unwrap();
        assert_eq!(as_json(&crossed), expected, "{}", case["id"]);
    }
    for works in [true, false] {
        assert_eq!(as_json(&after_just_me_js(works).unwrap()), native(serde_json::to_string(page_medic::diagnosis::after_just_me(works)).unwrap()));
    }
}
