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
    row!(Header("x-kong-request-id"), "kong docs"),
    row!(Header("eagleid"), "alibaba cloud docs"),
    row!(Header("eo-log-uuid"), "tencent cloud docs: EdgeOne"),
    row!(Header("x-nws-log-uuid"), "tencent cloud docs: CDN"),
    row!(Body("reference #"), "akamai docs: 'Reference #18.…' on error pages"),
    row!(Body("request id:"), "aws docs: CloudFront error page"),
    row!(HeaderFirstWord("x-varnish"), "varnish docs: x-varnish <xid>"),
    row!(Body("xid:"), "varnish builtin.vcl synthetic page"),
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

/// The response's request id, if it has one: printable ASCII, at most 128 bytes.
pub fn request_id(event: &Event, text: &TextView) -> Option<String> {
    TABLE.iter().find_map(|row| {
        let id = match row.place {
            Header(name) => event.header(name),
            HeaderFirstWord(name) => event.header(name).and_then(|v| v.split_whitespace().next()),
            Body(label) => text.token_after(label),
        }?;
        clean(id)
    })
}

fn clean(id: &str) -> Option<String> {
    let id = id.trim();
    let ok = !id.is_empty() && id.len() <= MAX_LEN && id.bytes().all(|b| b.is_ascii_graphic());
    ok.then(|| id.to_string())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn every_row_says_where_its_id_comes_from() {
        for row in super::TABLE {
            assert!(row.source.len() > 3, "a row with no source");
        }
    }
}
