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
    #[allow(dead_code)] // read by people; the table is the documentation
    source: &'static str,
}

use Place::{Body, Header, HeaderFirstWord};

/// Most specific first: a provider's own id beats a generic `x-request-id` an app may add.
static TABLE: &[Row] = &[
    Row { place: Header("cf-ray"), source: "cloudflare-docs: cf-ray" },
    Row { place: Body("cloudflare ray id:"), source: "cloudflare-docs: branded error page" },
    Row { place: Body("ray id:"), source: "cloudflare-docs: error page footer" },
    Row { place: Header("x-amz-cf-id"), source: "aws docs: CloudFront" },
    Row { place: Header("x-vercel-id"), source: "vercel docs" },
    Row { place: Header("x-nf-request-id"), source: "netlify docs" },
    Row { place: Header("x-github-request-id"), source: "github docs" },
    Row { place: Header("x-azure-ref"), source: "microsoft docs: Front Door" },
    Row { place: Header("x-msedge-ref"), source: "microsoft docs: Azure CDN" },
    Row { place: Header("x-fastly-request-id"), source: "fastly docs" },
    Row { place: Header("x-amzn-requestid"), source: "aws docs: API Gateway, Lambda URLs" },
    Row { place: Header("x-amz-apigw-id"), source: "aws docs: API Gateway" },
    Row { place: Header("x-kong-request-id"), source: "kong docs" },
    Row { place: Header("eagleid"), source: "alibaba cloud docs" },
    Row { place: Header("eo-log-uuid"), source: "tencent cloud docs: EdgeOne" },
    Row { place: Header("x-nws-log-uuid"), source: "tencent cloud docs: CDN" },
    Row { place: Body("reference #"), source: "akamai docs: 'Reference #18.…' on error pages" },
    Row { place: Body("request id:"), source: "aws docs: CloudFront error page" },
    Row { place: HeaderFirstWord("x-varnish"), source: "varnish docs: x-varnish <xid>" },
    Row { place: Body("xid:"), source: "varnish builtin.vcl synthetic page" },
    Row { place: Header("x-request-id"), source: "de-facto header (Heroku, nginx $request_id, Envoy)" },
    Row { place: Header("x-correlation-id"), source: "de-facto header" },
    Row { place: Header("request-id"), source: "de-facto header" },
    Row { place: Header("x-trace-id"), source: "de-facto header" },
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
