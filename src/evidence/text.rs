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
}

/// How much of the raw body [`TextView::head`] keeps.
const HEAD_BYTES: usize = 256;

impl TextView {
    /// Builds the view of a body (HTML or plain text).
    pub fn new(body: &str) -> TextView {
        let text = fold_space(&decode_entities(&strip_tags(body)));
        let lower = text.to_ascii_lowercase();
        let mut end = body.len().min(HEAD_BYTES);
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        let head = body[..end].trim_start().to_ascii_lowercase();
        TextView { text, lower, head }
    }

    /// Whether the lower-cased text contains `phrase` (which must be lower-case).
    pub fn contains(&self, phrase: &str) -> bool {
        self.lower.contains(phrase)
    }

    /// The token that follows `label` (lower-case), e.g. the id after `"ray id:"`.
    /// A token is a run of `[A-Za-z0-9._:=/+-]`, at most 128 bytes; none when it is empty.
    pub fn token_after(&self, label: &str) -> Option<&str> {
        let start = self.lower.find(label)? + label.len();
        let rest = self.text[start..].trim_start();
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || "._:=/+-".contains(c)))
            .unwrap_or(rest.len());
        let token = rest[..end].trim_end_matches(['.', ':']);
        (!token.is_empty() && token.len() <= 128).then_some(token)
    }
}

/// Drops tags, comments, and the contents of `script` and `style` elements. A tag becomes a space.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    while i < html.len() {
        let Some(offset) = html[i..].find('<') else {
            out.push_str(&html[i..]);
            break;
        };
        out.push_str(&html[i..i + offset]);
        i += offset;
        let rest = &lower[i..];
        // What ends this tag: a comment, a raw-text element, or an ordinary tag.
        let close = if rest.starts_with("<!--") {
            "-->"
        } else if rest.starts_with("<script") {
            "</script>"
        } else if rest.starts_with("<style") {
            "</style>"
        } else if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?') {
            ">"
        } else {
            // A lone '<' in text.
            out.push('<');
            i += 1;
            continue;
        };
        match lower[i..].find(close) {
            Some(end) => i += end + close.len(),
            None => i = html.len(),
        }
        out.push(' ');
    }
    out
}

/// Decodes numeric entities and the named ones error pages use; leaves anything else as is.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let entity_end = rest[1..].find(';').map(|e| e + 1).filter(|&e| e <= 10);
        let decoded = entity_end.and_then(|end| decode_one(&rest[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
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

/// Folds runs of white space (and NULs) into single spaces and trims the ends.
fn fold_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace() || c == '\0') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
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
    fn multibyte_text_survives() {
        let v = TextView::new("<p>服务暂不可用 — 502</p>");
        assert_eq!(v.text, "服务暂不可用 — 502");
        assert!(v.contains("502"));
    }
}
