//! The problem report a visitor can copy to the site's support.

use crate::{Diagnosis, Event};

/// The languages the report is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Simplified Chinese.
    ZhCn,
}

impl Lang {
    /// Reads a browser UI language (`zh-CN`, `zh_CN`, `zh`, `en-US` ...); English by default.
    pub fn from_tag(tag: &str) -> Lang {
        // "zh", or "zh" then "-" or "_" and a Simplified Chinese region or script, in any case.
        let tag = tag.trim().as_bytes();
        let simplified = [&b"zh"[..], b"zh-cn", b"zh_cn", b"zh-hans", b"zh_hans", b"zh-sg", b"zh_sg"]
            .iter()
            .any(|p| tag.get(..p.len()).is_some_and(|start| start.eq_ignore_ascii_case(p)) && (p.len() > 2 || tag.len() == 2));
        if simplified {
            Lang::ZhCn
        } else {
            Lang::En
        }
    }
}

/// 9999-12-31T23:59:59.999Z: an HTTP date has four digits for its year, so a later clock reading
/// is shown as unknown.
const LAST_HTTP_DATE_MS: f64 = 253_402_300_799_999.0;

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// `ms` since the Unix epoch as an HTTP date (IMF-fixdate, RFC 9110 §5.6.7: "Sun, 06 Nov 1994
/// 08:49:37 GMT"), for a time from 1970 to 9999; `None` for any other number.
///
/// Written here rather than with `httpdate::fmt_http_date` (which still reads `Retry-After`):
/// through `SystemTime` that one brings a panic message's formatting of `Duration` into the wasm,
/// 1 KB of its 50 KB gzip budget (measured: 50,177 bytes with it, 49,113 without). The tests
/// check this against `httpdate` over the whole range.
pub fn http_date(ms: f64) -> Option<String> {
    if !(ms.is_finite() && (0.0..=LAST_HTTP_DATE_MS).contains(&ms)) {
        return None;
    }
    let secs = ms as u64 / 1000;
    let (days, time) = (secs / 86_400, secs % 86_400);
    // The proleptic Gregorian date of a day count (H. Hinnant, "chrono-Compatible Low-Level
    // Date Algorithms", civil_from_days), in eras of 400 years from 0000-03-01.
    let z = days + 719_468;
    let (era, doe) = (z / 146_097, z % 146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    let two = |n: u64| crate::decimal(n, 2);
    Some(
        [
            // 1970-01-01 was a Thursday.
            WEEKDAYS[((days + 4) % 7) as usize],
            ", ",
            &two(day),
            " ",
            MONTHS[(month - 1) as usize],
            " ",
            &crate::decimal(year, 4),
            " ",
            &two(time / 3600),
            ":",
            &two(time % 3600 / 60),
            ":",
            &two(time % 60),
            " GMT",
        ]
        .concat(),
    )
}

/// The URL as it may be shared: no query string, no fragment, no user name or password.
pub fn shareable_url(url: &str) -> String {
    let url = url.trim();
    // (Bytes, not `str` slices: see `crate::find_bytes`. Every cut is at an ASCII byte.)
    let b = url.as_bytes();
    let cut = b.iter().position(|&c| c == b'?' || c == b'#').unwrap_or(b.len());
    let b = &b[..cut];
    // Drop `user:pass@` from the authority.
    let without_user = crate::find_bytes(b, b"://").and_then(|scheme_end| {
        let rest = &b[scheme_end + 3..];
        let authority_end = rest.iter().position(|&c| c == b'/').unwrap_or(rest.len());
        let at = rest[..authority_end].iter().rposition(|&c| c == b'@')?;
        Some([&b[..scheme_end + 3], &rest[at + 1..]].concat())
    });
    String::from_utf8(without_user.unwrap_or_else(|| b.to_vec())).unwrap_or_default()
}

/// One failure as its report tells it: what was stored when the page failed, with the verdict,
/// gateway and request id of the diagnosis the visitor was shown. The report never diagnoses
/// again: it says what the panel said, and its time is when the page failed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Failure {
    /// The failed address (shared without its query, fragment or credentials).
    pub url: String,
    /// The HTTP status, for a response.
    pub status: Option<u16>,
    /// The status line's reason phrase.
    pub status_text: Option<String>,
    /// The browser's error string, for a network error.
    pub error: Option<String>,
    /// When the page failed, in ms since the Unix epoch.
    pub at_ms: Option<f64>,
    /// The diagnosis's verdict id.
    pub verdict: String,
    /// The gateway the diagnosis named.
    pub gateway: Option<String>,
    /// The request id the diagnosis found.
    pub request_id: Option<String>,
    /// Every request id the response carried, as `name: id` (the diagnosis's).
    pub request_ids: Vec<String>,
    /// The data centre that answered, where the response named one.
    pub data_centre: Option<String>,
    /// What was tried already (action ids, as the shell records them).
    pub tried: Vec<String>,
    /// When each of `tried` was first tried, in ms since the epoch (NaN or missing: not known).
    pub tried_at: Vec<f64>,
    /// The diagnosis's notices: (kind id, its `ms`, what showed it).
    pub notices: Vec<(String, Option<f64>, Option<String>)>,
}

impl Failure {
    /// The failure of an event and the diagnosis it was given.
    pub fn new(event: &Event, diagnosis: &Diagnosis, tried: &[String]) -> Failure {
        Failure {
            url: event.url.clone(),
            status: event.status,
            status_text: event.status_text.clone(),
            error: diagnosis.error.clone(),
            at_ms: event.now_ms,
            verdict: diagnosis.verdict.id().to_string(),
            gateway: diagnosis.gateway.map(|g| g.name.to_string()),
            request_id: diagnosis.request_id.clone(),
            request_ids: diagnosis.request_ids.clone(),
            data_centre: diagnosis.data_centre.clone(),
            tried: tried.to_vec(),
            tried_at: Vec::new(),
            notices: diagnosis.notices.iter().map(|n| (n.kind.id().to_string(), n.ms.map(|ms| ms as f64), n.seen.clone())).collect(),
        }
    }
}

/// The report text: time (UTC), URL without its query, status, gateway and data centre, every
/// request id, the verdict, what else the diagnosis told, and what was already tried and when.
/// Every value from the failed site is shown as printable text.
pub fn report(failure: &Failure, lang: Lang) -> String {
    let when = failure.at_ms.and_then(http_date);
    let status = match (failure.status, failure.error.as_deref()) {
        (Some(s), _) => [crate::decimal(s.into(), 1), failure.status_text.as_deref().map(crate::printable).unwrap_or_default()].join(" ").trim().to_string(),
        (None, Some(e)) => crate::printable(e),
        (None, None) => "-".into(),
    };
    let shown = |value: &Option<String>| value.as_deref().map(crate::printable).filter(|v| !v.is_empty()).unwrap_or_else(|| "-".into());
    let gateway = shown(&failure.gateway);
    let data_centre = shown(&failure.data_centre);
    let ids: Vec<String> = failure.request_ids.iter().map(|id| crate::printable(id)).filter(|id| !id.is_empty()).collect();
    let request_ids = if ids.is_empty() { shown(&failure.request_id) } else { ids.join("; ") };
    let verdict = shown(&Some(failure.verdict.clone()));
    let zh = lang == Lang::ZhCn;
    // The time of day of an HTTP date ("08:49:37"), for what was tried.
    let clock = |ms: f64| http_date(ms).and_then(|d| d.get(17..25).map(str::to_string));
    let tried: Vec<String> = failure
        .tried
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let t = crate::printable(t);
            match failure.tried_at.get(i).copied().and_then(clock) {
                Some(at) => [&t, " (", &at, " UTC)"].concat(),
                None => t,
            }
        })
        .filter(|t| !t.is_empty())
        .collect();
    let noted: Vec<String> = failure
        .notices
        .iter()
        .filter_map(|(kind, ms, seen)| {
            let mut line = String::from(match (kind.as_str(), zh) {
                ("maintenance", false) => "planned maintenance",
                ("maintenance", true) => "计划内维护",
                ("retry-after-past", false) => "Retry-After names a time already past",
                ("retry-after-past", true) => "Retry-After 指向已过去的时间",
                ("retry-after-far", false) => "Retry-After asks for a very long wait",
                ("retry-after-far", true) => "Retry-After 要求等待很久",
                ("cached", false) => "served from a cache",
                ("cached", true) => "来自缓存",
                ("provider-incident", false) => "other sites failed through this provider too",
                ("provider-incident", true) => "其他网站经由该服务商也失败了",
                _ => return None,
            });
            let at = if kind == "maintenance" { ms.and_then(http_date) } else { None };
            for extra in [at, seen.as_deref().map(crate::printable)].into_iter().flatten() {
                line.push_str(" (");
                line.push_str(&extra);
                line.push(')');
            }
            Some(line)
        })
        .collect();
    let url = crate::printable(&shareable_url(&failure.url));
    let (l, none) = if zh {
        (["页面无法加载", "时间（UTC）", "页面", "响应", "生成者", "数据中心", "请求 ID", "Page Medic 的判断", "另见", "已尝试"], "尚未尝试")
    } else {
        (
            [
                "Page not loading",
                "Time (UTC)",
                "Page",
                "Response",
                "Generated by",
                "Data centre",
                "Request IDs",
                "Page Medic's verdict",
                "Also seen",
                "Already tried",
            ],
            "nothing yet",
        )
    };
    let tried = if tried.is_empty() { none.to_string() } else { tried.join(", ") };
    let noted = if noted.is_empty() { "-".to_string() } else { noted.join("; ") };
    let when = when.unwrap_or_else(|| "-".into());
    let values = [&url, &when, &url, &status, &gateway, &data_centre, &request_ids, &verdict, &noted, &tried];
    // Pushed, not formatted: the same lines for less code in the wasm.
    let mut text = String::new();
    for (label, value) in l.iter().zip(values) {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(label);
        text.push_str(": ");
        text.push_str(value);
    }
    text
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn shareable_url_drops_query_fragment_and_credentials() {
        assert_eq!(shareable_url("https://u:p@shop.example/a/b?token=1#x"), "https://shop.example/a/b");
        assert_eq!(shareable_url("https://shop.example/a@b?x"), "https://shop.example/a@b");
        assert_eq!(shareable_url("not a url?x"), "not a url");
    }

    #[test]
    fn time_past_year_9999_is_unknown_not_a_panic() {
        // Found by the long property run: httpdate panics on dates after 9999; an HTTP date has
        // four digits for its year.
        let at = |ms: f64| Failure { url: "x".into(), status: Some(502), at_ms: Some(ms), ..Failure::default() };
        for now in [253_402_300_800_000.0, 1.0e15, f64::MAX, f64::INFINITY, -1.0, f64::NAN] {
            let text = report(&at(now), Lang::En);
            assert!(text.contains("Time (UTC): -"), "{now}: {text}");
        }
        let text = report(&at(253_402_300_799_000.0), Lang::En);
        assert!(text.contains("Fri, 31 Dec 9999 23:59:59 GMT"), "{text}");
    }

    #[test]
    fn http_dates_agree_with_httpdate_from_1970_to_9999() {
        use std::time::{Duration, UNIX_EPOCH};
        let theirs = |ms: u64| httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_millis(ms));
        // Every day's first and last second (leap days, century years and 2000 among them), and
        // a spread of times within days, from a fixed-seed generator.
        let last_day = 253_402_300_799_000 / 86_400_000;
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for day in 0..=last_day {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            for ms in [day * 86_400_000, day * 86_400_000 + 86_399_999, day * 86_400_000 + (seed >> 11) % 86_400_000] {
                assert_eq!(http_date(ms as f64).as_deref(), Some(theirs(ms).as_str()), "{ms}");
            }
        }
        assert_eq!(http_date(784_111_777_000.0).as_deref(), Some("Sun, 06 Nov 1994 08:49:37 GMT"), "RFC 9110's example");
        assert_eq!(http_date(1.5).as_deref(), Some("Thu, 01 Jan 1970 00:00:00 GMT"));
    }

    #[test]
    fn the_report_says_what_the_diagnosis_said_at_the_time_of_the_failure() {
        // A gateway named only by its page: the stored diagnosis names it; the report, which has
        // no page to read, still does.
        let event = Event {
            url: "https://shop.example/a?token=1".into(),
            status: Some(502),
            body: Some("<html><body><h1>502 ERROR</h1><p>The request could not be satisfied.</p><hr>Generated by cloudfront (CloudFront)</body></html>".into()),
            now_ms: Some(784_111_777_000.0),
            ..Event::default()
        };
        let d = crate::diagnose(&event);
        let text = report(&Failure::new(&event, &d, &["retry".into()]), Lang::En);
        assert!(text.contains(&format!("Page Medic's verdict: {}", d.verdict.id())), "{text}");
        assert!(text.contains(&format!("Generated by: {}", d.gateway.expect("named by its page").name)), "{text}");
        assert!(text.contains("Time (UTC): Sun, 06 Nov 1994 08:49:37 GMT"), "{text}");
        assert!(text.contains("Already tried: retry") && !text.contains("token"), "{text}");
    }

    #[test]
    fn the_report_has_what_support_desks_ask_for() {
        let event = Event {
            url: "https://shop.example/cart?session=secret".into(),
            status: Some(503),
            headers: vec![
                ("CF-Ray".into(), "8a1b2c3d4e5f6789-FRA".into()),
                ("X-Request-Id".into(), "site-7".into()),
                ("Server".into(), "cloudflare".into()),
                ("Retry-After".into(), "Tue, 01 Dec 2026 14:30:00 GMT".into()),
            ],
            body: Some("<h1>Down for maintenance</h1>".into()),
            now_ms: Some(1_796_133_600_000.0),
            ..Event::default()
        };
        let d = crate::diagnose(&event);
        let mut failure = Failure::new(&event, &d, &["retry".into(), "just-me".into()]);
        failure.tried_at = vec![1_796_133_630_000.0, f64::NAN];
        let text = report(&failure, Lang::En);
        for line in [
            "Time (UTC): Tue, 01 Dec 2026 14:00:00 GMT",
            "Page: https://shop.example/cart\n",
            "Data centre: FRA",
            "Request IDs: cf-ray: 8a1b2c3d4e5f6789-FRA; x-request-id: site-7",
            "Also seen: planned maintenance (Tue, 01 Dec 2026 14:30:00 GMT)",
            "Already tried: retry (14:00:30 UTC), just-me",
        ] {
            assert!(text.contains(line), "{line:?} in\n{text}");
        }
        assert!(!text.contains("secret"));
        let zh = report(&failure, Lang::ZhCn);
        assert!(zh.contains("数据中心: FRA") && zh.contains("另见: 计划内维护"), "{zh}");
        // A record stored before ids were listed still has its one id.
        let old = Failure { request_ids: Vec::new(), request_id: Some("only-one".into()), ..failure };
        assert!(report(&old, Lang::En).contains("Request IDs: only-one"));
    }

    #[test]
    fn lang_tags() {
        assert_eq!(Lang::from_tag("zh-CN"), Lang::ZhCn);
        assert_eq!(Lang::from_tag("zh_CN"), Lang::ZhCn);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("zh-TW"), Lang::En);
        assert_eq!(Lang::from_tag("ZH-Hans-CN"), Lang::ZhCn);
        assert_eq!(Lang::from_tag(" zh "), Lang::ZhCn);
        assert_eq!(Lang::from_tag("zh_sg"), Lang::ZhCn);
        assert_eq!(Lang::from_tag("zhx"), Lang::En);
        assert_eq!(Lang::from_tag("z"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
        assert_eq!(Lang::from_tag("zh-"), Lang::En);
    }
}
