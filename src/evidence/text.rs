//! A plain-text view of an error page, for phrase matching and id extraction.

/// The page's text: tags, `<script>` and `<style>` contents and comments dropped, common entities
/// decoded, runs of white space folded into one space. `lower` is the same text lower-cased
/// (ASCII only, so byte offsets agree with `text`).
#[derive(Clone, Debug, Default)]
pub struct TextView {
    /// The text as written.
    pub text: String,
    /// The text with ASCII letters lower-cased; same length and offsets as `text`.
    pub lower: String,
    /// The first bytes of the raw body, lower-cased: where stock templates show their prologue.
    pub head: String,
    /// Which of the evidence tables' phrases the text contains (by [`super::phrases`] index).
    found: Vec<bool>,
}

/// How much of the raw body [`TextView::head`] keeps.
const HEAD_BYTES: usize = 256;

/// A page's head as its server wrote it. A browser's HTML parser keeps an XML declaration
/// (`<?xml ...?>`) as a comment, `<!--?xml ...?-->` (WHATWG HTML §13.2.5.6, "unexpected question
/// mark instead of tag name"), and that is the form a page read in the browser comes in: it is
/// turned back, so template rows match the page however it was read.
fn prologue(head: String) -> String {
    let turned = head.strip_prefix("<!--?").and_then(|rest| {
        let end = crate::find_bytes(rest.as_bytes(), b"?-->")?;
        Some(["<?", rest.get(..end)?, "?>", rest.get(end + 4..)?].concat())
    });
    turned.unwrap_or(head)
}

impl TextView {
    /// Builds the view of a body (HTML or plain text) in one pass over it, then looks for every
    /// phrase the evidence tables name in one more.
    pub fn new(body: &str) -> TextView {
        let (text, lower) = visible_text(body);
        let end = body.len().min(HEAD_BYTES);
        let head = (end.saturating_sub(3)..=end).rev().find_map(|end| body.get(..end)).unwrap_or_default();
        let head = prologue(head.trim_start().to_ascii_lowercase());
        let found = super::phrases().scan(&lower);
        TextView { text, lower, head, found }
    }

    /// Whether the lower-cased text contains `phrase` (which must be lower-case).
    pub fn contains(&self, phrase: &str) -> bool {
        match super::phrases().index_of(phrase) {
            Some(i) => self.found.get(i).copied().unwrap_or(false),
            None => crate::find_bytes(self.lower.as_bytes(), phrase.as_bytes()).is_some(),
        }
    }

    /// The token that follows `label` (lower-case), e.g. the id after `"ray id:"`.
    /// A token is a run of `[A-Za-z0-9._:=/+-]`, at most 128 bytes; none when it is empty.
    pub fn token_after(&self, label: &str) -> Option<&str> {
        if !self.contains(label) {
            return None;
        }
        // (Bytes, not `str` slices: see `find_bytes`. A token is ASCII, so its bytes are text.)
        let start = crate::find_bytes(self.lower.as_bytes(), label.as_bytes())? + label.len();
        let mut rest = self.text.as_bytes().get(start..)?.trim_ascii_start();
        // After a JSON key (a quoted label), its colon, then a string's opening quote, with any
        // white space around the colon (`"id":"x"`, `"id": "x"`, Jackson's `"id" : "x"`).
        if label.ends_with('"') {
            rest = rest.strip_prefix(b":")?.trim_ascii_start().strip_prefix(b"\"")?;
        }
        let end = rest.iter().position(|&b| !(b.is_ascii_alphanumeric() || b"._:=/+-".contains(&b))).unwrap_or(rest.len());
        let token = std::str::from_utf8(rest.get(..end)?).ok()?.trim_end_matches(['.', ':']);
        (!token.is_empty() && token.len() <= 128).then_some(token)
    }
}

/// The visible text being written.
struct Out {
    text: Vec<u8>,
    /// White space seen since the last character written.
    space: bool,
}

impl Out {
    /// Writes whole characters only (as UTF-8), so both buffers stay valid UTF-8.
    fn push(&mut self, c: &[u8]) {
        if self.space && !self.text.is_empty() {
            self.text.push(b' ');
        }
        self.space = false;
        self.text.extend_from_slice(c);
    }

    fn push_char(&mut self, c: char) {
        if c.is_whitespace() || c == '\0' {
            self.space = true;
        } else {
            self.push(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }

    /// Plain text, white space folded. Text as most pages write it (ASCII words, single spaces)
    /// is copied whole; anything else goes a word or a character at a time.
    fn push_text(&mut self, s: &str) {
        let bytes = s.as_bytes();
        let Some(first) = bytes.iter().position(|&b| !is_ascii_space(b)) else {
            self.space |= !bytes.is_empty();
            return;
        };
        let last = bytes.iter().rposition(|&b| !is_ascii_space(b)).unwrap_or(first);
        let inner = &bytes[first..=last];
        if is_plain(inner) {
            self.space |= first > 0;
            self.push(inner);
            self.space = last + 1 < bytes.len();
        } else {
            self.push_words(s);
        }
    }

    /// Plain text a word or a character at a time.
    fn push_words(&mut self, s: &str) {
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let start = i;
            while i < bytes.len() && is_ascii_space(bytes[i]) {
                i += 1;
            }
            if i > start {
                self.space = true;
            }
            let word = i;
            while i < bytes.len() && bytes[i].is_ascii() && !is_ascii_space(bytes[i]) {
                i += 1;
            }
            if i > word {
                self.push(&bytes[word..i]);
            } else if i < bytes.len() {
                let c = s.get(i..).and_then(|rest| rest.chars().next()).unwrap_or(char::REPLACEMENT_CHARACTER);
                self.push_char(c);
                i += c.len_utf8();
            }
        }
    }
}

/// Whether `run` is printable ASCII with single spaces only: text that is copied as it is.
/// Two passes without branches, which the compiler turns into SIMD (a search for a double space
/// cost more than the rest of the view).
fn is_plain(run: &[u8]) -> bool {
    let odd_byte = run.iter().fold(false, |odd, &b| odd | (b.wrapping_sub(b' ') >= 0x60));
    let double_space = run.iter().zip(run.iter().skip(1)).fold(false, |seen, (&a, &b)| seen | ((a == b' ') & (b == b' ')));
    !(odd_byte | double_space)
}

/// ASCII white space, and NUL, which some pages are padded with.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0)
}

/// The page's visible text: tags, comments and the contents of `script` and `style` elements
/// dropped (a tag counts as a space), entities decoded, runs of white space and NULs folded into
/// one space, the ends trimmed. Returns it and its ASCII-lower-cased twin (same offsets).
fn visible_text(html: &str) -> (String, String) {
    let bytes = html.as_bytes();
    let capacity = html.len().min(16 * 1024);
    let mut out = Out { text: Vec::with_capacity(capacity), space: false };
    let mut i = 0;
    while i < bytes.len() {
        // Plain text up to the next markup.
        let run_end = memchr::memchr2(b'<', b'&', &bytes[i..]).map_or(bytes.len(), |p| i + p);
        // ('<' and '&' are ASCII: these are character boundaries.)
        out.push_text(html.get(i..run_end).unwrap_or_default());
        i = run_end;
        if i >= bytes.len() {
            break;
        }
        if bytes[i] == b'&' {
            match entity(html.get(i..).unwrap_or_default()) {
                Some((c, len)) => {
                    out.push_char(c);
                    i += len;
                }
                None => {
                    out.push(b"&");
                    i += 1;
                }
            }
            continue;
        }
        // What ends this tag: a comment, a raw-text element, or an ordinary tag.
        let rest = &bytes[i..];
        let close: &[u8] = if rest.starts_with(b"<!--") {
            b"-->"
        } else if starts_with_ignore_case(rest, b"<script") {
            b"</script>"
        } else if starts_with_ignore_case(rest, b"<style") {
            b"</style>"
        } else if rest.get(1).is_some_and(|&b| b.is_ascii_alphabetic() || b == b'/' || b == b'!' || b == b'?') {
            b">"
        } else {
            // A lone '<' in text.
            out.push(b"<");
            i += 1;
            continue;
        };
        i = find_ignore_case(&bytes[i..], close).map_or(bytes.len(), |end| i + end + close.len());
        out.space = true;
    }
    // Only whole UTF-8 characters were written, so this cannot fail.
    let text = String::from_utf8(out.text).unwrap_or_default();
    let lower = text.to_ascii_lowercase();
    (text, lower)
}

fn starts_with_ignore_case(hay: &[u8], prefix: &[u8]) -> bool {
    hay.len() >= prefix.len() && hay[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Where `needle` (whose first byte has no case) first occurs in `hay`, ignoring ASCII case.
fn find_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = memchr::memchr(needle[0], &hay[from..]) {
        let at = from + p;
        if starts_with_ignore_case(&hay[at..], needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The entity at the start of `s` (which starts with '&'): the character and the entity's
/// length. Numeric entities and the named ones error pages use; anything else is not one here.
fn entity(s: &str) -> Option<(char, usize)> {
    // The ';' must come within 10 bytes: no scanning the rest of the page for it.
    let window = s.as_bytes().get(1..s.len().min(11))?;
    let semi = memchr::memchr(b';', window)? + 1;
    let c = decode_one(s.get(1..semi)?)?;
    Some((c, semi + 1))
}

fn decode_one(name: &str) -> Option<char> {
    let code = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        u32::from_str_radix(hex, 16).ok()?
    } else if let Some(dec) = name.strip_prefix('#') {
        dec.parse().ok()?
    } else {
        return match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            "rsquo" => Some('\u{2019}'),
            _ => None,
        };
    };
    char::from_u32(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nginx_page_reads_as_text() {
        let v = TextView::new("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n");
        assert_eq!(v.text, "502 Bad Gateway 502 Bad Gateway nginx/1.22.1");
    }

    #[test]
    fn scripts_styles_comments_are_dropped() {
        let v = TextView::new("a<script>var x='<b>nginx</b>'</script>b<style>p{}</style>c<!-- nginx -->d");
        assert_eq!(v.text, "a b c d");
    }

    #[test]
    fn entities_decode() {
        let v = TextView::new("Reference&#32;&#35;18.abc&amp;x &bogus; &#xZZ;");
        assert_eq!(v.text, "Reference #18.abc&x &bogus; &#xZZ;");
    }

    #[test]
    fn token_after_skips_tags() {
        let v = TextView::new("Cloudflare Ray ID: <strong class=\"x\">8a1b2c3d4e5f6789</strong> &bull;");
        assert_eq!(v.token_after("ray id:"), Some("8a1b2c3d4e5f6789"));
    }

    #[test]
    fn unclosed_tag_and_lone_bracket() {
        assert_eq!(TextView::new("1 < 2 <b").text, "1 < 2");
        assert_eq!(TextView::new("<").text, "<");
    }

    #[test]
    fn head_is_the_prologue_as_written() {
        let raw = "<?xml version=\"1.0\"?>\n<!DOCTYPE html>";
        assert_eq!(TextView::new(raw).head, "<?xml version=\"1.0\"?>\n<!doctype html>");
        assert_eq!(TextView::new("<!--?xml version=\"1.0\"?-->\n<!DOCTYPE html>").head, TextView::new(raw).head);
        // An ordinary comment, or one never closed, stays as it is.
        assert_eq!(TextView::new("<!-- hi -->").head, "<!-- hi -->");
        assert_eq!(TextView::new("<!--?xml").head, "<!--?xml");
    }

    #[test]
    fn multibyte_text_survives() {
        let v = TextView::new("<p>服务暂不可用 — 502</p>");
        assert_eq!(v.text, "服务暂不可用 — 502");
        assert!(v.contains("502"));
    }
}
