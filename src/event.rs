//! What the shell observed about one failed (or not) main-frame navigation.

use serde::Deserialize;

/// The most body text the core reads; the shell sends at most this much.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Which browser the event came from. Only used to read its error strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Browser {
    /// Chrome, Chromium, Edge and friends.
    Chrome,
    /// Firefox.
    Firefox,
}

/// One observed navigation: a response (`status`, `headers`, `body`) or a network error (`error`).
///
/// Unknown fields are ignored, so the shell may send more than the core reads.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Event {
    /// The page's URL.
    #[serde(default)]
    pub url: String,
    /// The request method; `GET` when absent.
    pub method: Option<String>,
    /// The HTTP status, absent for network errors.
    pub status: Option<u16>,
    /// The reason phrase of the status line, as sent.
    pub status_text: Option<String>,
    /// Response headers as `[name, value]` pairs, in order.
    pub headers: Vec<(String, String)>,
    /// The first bytes (at most [`MAX_BODY_BYTES`]) of the page's text.
    pub body: Option<String>,
    /// The browser's error string exactly as its extension APIs give it.
    pub error: Option<String>,
    /// The browser's name for the same failure where `error` is a number only: Firefox's
    /// `webNavigation` says `Error code 2152398861` where its `webRequest` says
    /// `NS_ERROR_CONNECTION_REFUSED`. Anything else here is not told.
    pub error_name: Option<String>,
    /// Whether the browser used a configured proxy.
    pub via_proxy: bool,
    /// Whether a look at the failed address (one fetch from the extension, which no service worker
    /// of the site answers) failed with a network error too.
    pub look_failed: bool,
    /// Whether the browser itself upgraded the address to https on the way (its HTTPS-Only mode
    /// or HSTS: a redirect with no response), so that the failure is the https address's.
    pub upgraded: bool,
    /// Whether the browser asked the visitor to sign in to its proxy during this load (a 407
    /// challenge, Firefox's `webRequest.onAuthRequired` with `isProxy`): a sign-in the visitor
    /// cancelled ends as the proxy's refusal.
    pub proxy_sign_in: bool,
    /// How many other enabled extensions could block this page (blocking rules or host access),
    /// when the shell could ask (the optional `management` permission); absent when unknown.
    pub blockers: Option<u32>,
    /// The page's own `<meta http-equiv="refresh">` content, as the browser parsed the page (the
    /// same as a `Refresh` header, HTML §4.2.5.3).
    pub refresh: Option<String>,
    /// Whether the device reports being online; assumed online when absent.
    pub online: Option<bool>,
    /// Now, in milliseconds since the Unix epoch (the core reads no clock).
    pub now_ms: Option<f64>,
    /// Which browser sent it.
    pub browser: Option<Browser>,
    /// A random number in `[0, 1)` for the first retry's jitter; 0.5 when absent.
    pub jitter: Option<f64>,
    /// Failures this browser saw lately, from its own local history: `[host, gateway name, when
    /// in ms since the epoch]` each (what tells a provider's own trouble from one site's).
    pub recent: Vec<(String, String, f64)>,
}

impl Event {
    /// The request method, upper-cased; `GET` when absent.
    pub fn method(&self) -> String {
        self.method.as_deref().unwrap_or("GET").trim().to_ascii_uppercase()
    }

    /// Whether repeating the request is safe (RFC 9110 §9.2.2: idempotent methods).
    pub fn idempotent(&self) -> bool {
        is_idempotent(&self.method())
    }

    /// The first header of that name (case-insensitive), trimmed.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.trim_ascii().eq_ignore_ascii_case(name)).map(|(_, v)| v.trim_ascii())
    }

    /// The body, cut to [`MAX_BODY_BYTES`] on a character boundary.
    pub fn body(&self) -> &str {
        let body = self.body.as_deref().unwrap_or("");
        if body.len() <= MAX_BODY_BYTES {
            return body;
        }
        // The last character boundary at or before the limit (one of the four bytes before it).
        (MAX_BODY_BYTES - 3..=MAX_BODY_BYTES).rev().find_map(|end| body.get(..end)).unwrap_or_default()
    }

    /// The browser's error as the visitor and the site's support are told it: its name beside
    /// its number where the browser gave both (a name a person can look up), else as it came;
    /// `None` for no error.
    pub fn error_told(&self) -> Option<String> {
        let error = crate::printable(self.error.as_deref()?);
        match self.error_name() {
            Some(name) if crate::net_error::is_number_only(&error) => Some([name, " (", &error, ")"].concat()),
            _ => Some(error).filter(|e| !e.is_empty()),
        }
    }

    /// `error_name` where it is a name of Firefox's (`NS_ERROR_` and capitals, digits or `_`).
    /// (Out of line: inlined into its two callers it cost the wasm 56 bytes gzip.)
    #[inline(never)]
    pub fn error_name(&self) -> Option<&str> {
        let name = self.error_name.as_deref()?.trim();
        let rest = name.strip_prefix("NS_ERROR_")?;
        (!rest.is_empty() && name.len() <= 64 && rest.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')).then_some(name)
    }

    /// Whether the device is online (assumed when not said).
    pub fn online(&self) -> bool {
        self.online.unwrap_or(true)
    }
}

/// Whether a method may be sent again without asking (RFC 9110 §9.2.2); `None` means GET.
pub fn is_idempotent(method: &str) -> bool {
    let method = method.trim().to_ascii_uppercase();
    matches!(method.as_str(), "" | "GET" | "HEAD" | "OPTIONS" | "TRACE" | "PUT" | "DELETE")
}

/// Why an event could not be read.
#[derive(Debug)]
pub struct EventError(pub String);

impl std::fmt::Display for EventError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bad event: {}", self.0)
    }
}

impl std::error::Error for EventError {}

/// Reads one event from JSON; a clear error for anything that is not an event object.
pub fn parse_event(json: &str) -> Result<Event, EventError> {
    let event: Event = serde_json::from_str(json).map_err(|e| EventError(e.to_string()))?;
    event.validate()?;
    Ok(event)
}

impl Event {
    /// Checks what serde cannot: a URL is required.
    pub fn validate(&self) -> Result<(), EventError> {
        if self.url.trim().is_empty() {
            return Err(EventError("missing field `url`".into()));
        }
        Ok(())
    }
}
