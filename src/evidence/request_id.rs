//! The request id a site's support team asks for.

use super::TextView;
use crate::Event;

/// Where an id comes from: a header, or a label in the page followed by the id.
enum Place {
    Header(&'static str),
    /// The first number in the header (Varnish's `x-varnish: <xid> [<parent xid>]`).
    HeaderFirstWord(&'static str),
    Body(&'static str),
}

struct Row {
    place: Place,
    /// Where the id comes from. Read by people and checked by the native tests; the wasm, which
    /// never shows it, is built without it (its size budget).
    #[cfg(not(target_arch = "wasm32"))]
    #[cfg_attr(not(test), allow(dead_code))]
    source: &'static str,
}

macro_rules! row {
    ($place:expr, $source:literal) => {
        Row {
            place: $place,
            #[cfg(not(target_arch = "wasm32"))]
            source: $source,
        }
    };
}

use Place::{Body, Header, HeaderFirstWord};

/// Most specific first: a provider's own id beats a generic `x-request-id` an app may add.
static TABLE: &[Row] = &[
    row!(Header("cf-ray"), "cloudflare-docs: cf-ray"),
    row!(Body("cloudflare ray id:"), "cloudflare-docs: branded error page"),
    row!(Body("ray id:"), "cloudflare-docs: error page footer"),
    row!(Header("x-amz-cf-id"), "aws docs: CloudFront"),
    row!(Header("x-vercel-id"), "vercel docs"),
    row!(Header("x-nf-request-id"), "netlify docs"),
    row!(Header("x-github-request-id"), "github docs"),
    row!(Header("x-azure-ref"), "microsoft docs: Front Door"),
    row!(Header("x-msedge-ref"), "microsoft docs: Azure CDN"),
    row!(Header("x-fastly-request-id"), "fastly docs"),
    row!(Header("x-amzn-requestid"), "aws docs: API Gateway, Lambda URLs"),
    row!(Header("x-amz-apigw-id"), "aws docs: API Gateway"),
    row!(Header("apigw-requestid"), "aws docs: API Gateway HTTP APIs"),
    row!(Header("x-kong-request-id"), "kong docs"),
    row!(Header("fly-request-id"), "fly.io docs: fly-request-id"),
    row!(Header("rndr-id"), "render docs: rndr-id"),
    row!(Header("x-railway-request-id"), "railway docs: x-railway-request-id"),
    row!(Header("cdn-requestid"), "bunny.net docs: CDN-RequestId"),
    row!(Header("x-amz-request-id"), "aws docs: Amazon S3 x-amz-request-id"),
    row!(Header("x-ms-request-id"), "microsoft docs: Azure Storage x-ms-request-id"),
    row!(Header("eagleid"), "alibaba cloud docs"),
    row!(Header("eo-log-uuid"), "tencent cloud docs: EdgeOne"),
    row!(Header("x-nws-log-uuid"), "tencent cloud docs: CDN"),
    row!(Body("reference #"), "akamai docs: 'Reference #18.…' on error pages"),
    row!(Body("incident id:"), "imperva docs: error pages show 'Incapsula incident ID: <id>'"),
    row!(Body("request id:"), "aws docs: CloudFront error page"),
    row!(HeaderFirstWord("x-varnish"), "varnish docs: x-varnish <xid>"),
    row!(Body("xid:"), "varnish builtin.vcl synthetic page"),
    // Ids in a JSON error body, by their quoted keys (lower-cased, as the page's text is), with
    // or without white space around the colon; the id must be a string (so `null` is none).
    row!(Body("\"request_id\""), "kong docs: error bodies {\"message\": …, \"request_id\": …}; a de-facto JSON key"),
    row!(Body("\"requestid\""), "spring boot docs: the error attributes' requestId; a de-facto JSON key"),
    row!(Body("\"traceid\""), "asp.net core docs: ProblemDetails error bodies carry traceId"),
    row!(Header("x-request-id"), "de-facto header (Heroku, nginx $request_id, Envoy)"),
    row!(Header("x-correlation-id"), "de-facto header"),
    row!(Header("request-id"), "de-facto header"),
    row!(Header("x-trace-id"), "de-facto header"),
];

/// The longest id Page Medic will show; anything longer is not an id.
const MAX_LEN: usize = 128;

/// The page labels this table looks for.
pub(super) fn phrases() -> impl Iterator<Item = &'static str> {
    TABLE.iter().filter_map(|row| match row.place {
        Body(label) => Some(label),
        Header(_) | HeaderFirstWord(_) => None,
    })
}

/// The id a row finds, and what it is called there (a header's name, a page's label).
fn found<'a>(row: &Row, event: &'a Event, text: &'a TextView) -> Option<(&'static str, String)> {
    let (name, id) = match row.place {
        Header(name) => (name, event.header(name)?),
        HeaderFirstWord(name) => (name, event.header(name)?.split_whitespace().next()?),
        Body(label) => (label.trim_matches(['"', ':', ' ', '#']), text.token_after(label)?),
    };
    Some((name, clean(id)?))
}

/// The response's request id, if it has one: printable ASCII, at most 128 bytes.
pub fn request_id(event: &Event, text: &TextView) -> Option<String> {
    TABLE.iter().find_map(|row| found(row, event, text)).map(|(_, id)| id)
}

/// Every request id the response carried, most specific first, each once, as `name: id` (what a
/// support desk may search its logs for: a CDN's id and the site's own are different ids).
pub fn request_ids(event: &Event, text: &TextView) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (name, id) in TABLE.iter().filter_map(|row| found(row, event, text)) {
        if !seen.contains(&id) {
            ids.push([name, ": ", &id].concat());
            seen.push(id);
        }
    }
    ids
}

/// Where a provider says which of its data centres answered: a header, and which part of its
/// value names the place.
enum Part {
    /// What follows the value's last `-` (Cloudflare's `cf-ray: 8a1b2c3d4e5f6789-FRA`).
    AfterLastDash,
    /// The value up to its first character that is not a letter or a digit (`x-amz-cf-pop:
    /// FRA56-P1`, `x-vercel-id: fra1::iad1::…`).
    Leading,
}

static DATA_CENTRES: &[(&str, Part)] = &[
    // cloudflare docs, "Cloudflare Ray ID": the Ray ID ends with the data centre's IATA code.
    ("cf-ray", Part::AfterLastDash),
    // aws docs, CloudFront standard log fields: x-edge-location, sent as x-amz-cf-pop.
    ("x-amz-cf-pop", Part::Leading),
    // fastly docs, X-Served-By: cache-<pop><node>-<POP>, the last part the POP code.
    ("x-served-by", Part::AfterLastDash),
    // vercel docs, x-vercel-id: the edge region first, then the function's region.
    ("x-vercel-id", Part::Leading),
];

/// The data centre that answered, where the response names one (2 to 8 letters and digits): in
/// a header, or in the Ray ID of Cloudflare's own error page (which it sends `no-store`, so that
/// a page's headers cannot always be read back).
pub fn data_centre(event: &Event, text: &TextView) -> Option<String> {
    let headers = DATA_CENTRES.iter().find_map(|(name, part)| place(event.header(name)?, part));
    // cloudflare docs, error pages: "Cloudflare Ray ID: <id>-<data centre>".
    headers.or_else(|| place(text.token_after("ray id:")?, &Part::AfterLastDash))
}

/// The place a header's value names, as its row says where (bytes: see `crate::find_bytes`).
fn place(value: &str, part: &Part) -> Option<String> {
    let b = value.as_bytes();
    // (Fastly's shielding lists every cache: the last answered the visitor.)
    let b = b[b.iter().rposition(|&c| c == b',').map_or(0, |at| at + 1)..].trim_ascii();
    let place = match part {
        Part::AfterLastDash => &b[b.iter().rposition(|&c| c == b'-').map_or(0, |at| at + 1)..],
        Part::Leading => &b[..b.iter().position(|c| !c.is_ascii_alphanumeric()).unwrap_or(b.len())],
    };
    let ok = (2..=8).contains(&place.len()) && place.iter().all(u8::is_ascii_alphanumeric) && place.len() < b.len();
    ok.then(|| String::from_utf8_lossy(place).into_owned())
}

fn clean(id: &str) -> Option<String> {
    let id = id.trim();
    let ok = !id.is_empty() && id.len() <= MAX_LEN && id.bytes().all(|b| b.is_ascii_graphic());
    ok.then(|| id.to_string())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn every_row_says_where_its_id_comes_from() {
        for row in super::TABLE {
            assert!(row.source.len() > 3, "a row with no source");
        }
    }

    fn response(headers: &[(&str, &str)], body: &str) -> (Event, TextView) {
        let event = Event {
            url: "https://a.example/".into(),
            status: Some(502),
            headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
            body: Some(body.into()),
            ..Event::default()
        };
        let text = TextView::new(event.body());
        (event, text)
    }

    #[test]
    fn every_request_id_the_response_carried_each_once() {
        let (event, text) = response(
            &[("CF-Ray", "8a1b2c3d4e5f6789-FRA"), ("X-Request-Id", "abc-123"), ("X-Correlation-Id", "abc-123")],
            "<p>Cloudflare Ray ID: 8a1b2c3d4e5f6789-FRA</p>",
        );
        assert_eq!(request_id(&event, &text).as_deref(), Some("8a1b2c3d4e5f6789-FRA"));
        assert_eq!(request_ids(&event, &text), ["cf-ray: 8a1b2c3d4e5f6789-FRA", "x-request-id: abc-123"]);
        let (event, text) = response(&[], "<p>Reference&#32;&#35;18.2d351ab8.1557333295.a4e16ab</p>");
        assert_eq!(request_ids(&event, &text), ["reference: 18.2d351ab8.1557333295.a4e16ab"]);
        let (event, text) = response(&[("X-Request-Id", "<script>")], "");
        assert_eq!(request_ids(&event, &text), ["x-request-id: <script>"], "printable text, shown as text");
        let (event, text) = response(&[("X-Request-Id", "two words")], "");
        assert!(request_ids(&event, &text).is_empty());
    }

    #[test]
    fn ids_in_a_json_error_body() {
        let ids = |body: &str| {
            let (event, text) = response(&[], body);
            request_ids(&event, &text)
        };
        assert_eq!(ids(r#"{"message":"An invalid response was received","request_id":"3f8a2c1b"}"#), ["request_id: 3f8a2c1b"]);
        assert_eq!(ids(r#"{"status":504,"requestId":"6f1e2d3c-42"}"#), ["requestid: 6f1e2d3c-42"]);
        assert_eq!(ids(r#"{"title":"x","traceId":"00-4bf92f35-00f067aa-00"}"#), ["traceid: 00-4bf92f35-00f067aa-00"]);
        // Pretty-printed, or with Python's `json.dumps` separators: white space after the colon.
        assert_eq!(ids("{\n  \"requestId\": \"6f1e2d3c-42\"\n}"), ["requestid: 6f1e2d3c-42"]);
        assert_eq!(ids(r#"{"error": "bad gateway", "request_id": "3f8a2c1b"}"#), ["request_id: 3f8a2c1b"]);
        assert_eq!(ids("{\"traceId\":\t\"00-4bf92f35-00\"}"), ["traceid: 00-4bf92f35-00"]);
        // Jackson's default pretty printer: white space on both sides of the colon.
        assert_eq!(ids("{\n  \"status\" : 500,\n  \"requestId\" : \"7c1d2e3f-1\"\n}"), ["requestid: 7c1d2e3f-1"]);
        // A longer key that starts like one is another key.
        assert!(ids(r#"{"request_id_hash": "x1"}"#).is_empty());
        // Not an id: null, an empty string, a key with no value, a number or object as its value.
        assert!(ids(r#"{"request_id":null}"#).is_empty());
        assert!(ids(r#"{"request_id": null}"#).is_empty());
        assert!(ids(r#"{"request_id": 12345}"#).is_empty());
        assert!(ids(r#"{"requestId": {"value": "x"}}"#).is_empty());
        assert!(ids(r#"{"request_id":""}"#).is_empty());
        assert!(ids(r#"{"request_id""#).is_empty());
        // A page's words, not a key: "request_id" in prose is no label unless quoted as JSON.
        assert!(ids("Please quote your request_id 12345").is_empty());
    }

    #[test]
    fn the_data_centre_that_answered() {
        let place = |name: &str, value: &str| {
            let (event, text) = response(&[(name, value)], "");
            data_centre(&event, &text)
        };
        assert_eq!(place("cf-ray", "8a1b2c3d4e5f6789-FRA").as_deref(), Some("FRA"));
        assert_eq!(place("cf-ray", "8a1b2c3d4e5f6789").as_deref(), None, "no place in it");
        assert_eq!(place("x-amz-cf-pop", "FRA56-P1").as_deref(), Some("FRA56"));
        assert_eq!(place("x-served-by", "cache-iad-kiad7000025-IAD, cache-fra19128-FRA").as_deref(), Some("FRA"));
        assert_eq!(place("x-vercel-id", "fra1::iad1::9xzk5-1700000000000-abc").as_deref(), Some("fra1"));
        assert_eq!(place("cf-ray", "x-<b>FRA</b>").as_deref(), None);
        assert_eq!(place("cf-ray", "-").as_deref(), None);
        assert_eq!(place("server", "cloudflare").as_deref(), None);
        let (event, text) = response(&[], "<p>Cloudflare Ray ID: <strong>8a1b2c3d4e5f6789-AMS</strong></p>");
        assert_eq!(data_centre(&event, &text).as_deref(), Some("AMS"), "from the page, when its headers cannot be read");
    }
}
