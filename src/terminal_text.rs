//! Text from the network made safe for a terminal: C0 and C1 controls, ESC, DEL and bidi
//! controls become a visible U+FFFD; JSON text keeps the exact value with them escaped.

use std::borrow::Cow;

/// What an unsafe character is shown as.
pub const PLACEHOLDER: char = '\u{fffd}';

/// Whether a terminal could act on `c` instead of showing it: the C0 controls (ESC, BEL, CR…),
/// DEL, the C1 controls (U+0080–U+009F, CSI among them) and the bidi controls that reorder what
/// follows them on screen.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// One line for a terminal: every unsafe character (line breaks and tabs too) becomes the
/// placeholder. Borrows when there is nothing to replace.
pub fn line(s: &str) -> Cow<'_, str> {
    replace(s, is_unsafe)
}

/// Text of several lines for a terminal: as `line`, but line breaks stay.
pub fn text(s: &str) -> Cow<'_, str> {
    replace(s, |c| c != '\n' && is_unsafe(c))
}

/// JSON text for a terminal, with the same value: DEL, C1 and bidi controls (which JSON allows
/// raw inside strings) become `\uXXXX` escapes. The C0 controls are escaped by every JSON
/// writer already; outside strings JSON holds only ASCII, so nothing else changes.
pub fn json(s: &str) -> Cow<'_, str> {
    let unsafe_in_json = |c: char| c > '\x7e' && is_unsafe(c);
    if !s.chars().any(unsafe_in_json) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if unsafe_in_json(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn replace(s: &str, bad: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&bad) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if bad(c) { PLACEHOLDER } else { c })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVIL: &str = "\x1b[2J\x07a\u{202e}b\u{9b}c\x7fd\te\nf\u{2067}";

    #[test]
    fn every_control_becomes_visible() {
        assert_eq!(
            line(EVIL),
            "\u{fffd}[2J\u{fffd}a\u{fffd}b\u{fffd}c\u{fffd}d\u{fffd}e\u{fffd}f\u{fffd}"
        );
        assert_eq!(
            text(EVIL),
            "\u{fffd}[2J\u{fffd}a\u{fffd}b\u{fffd}c\u{fffd}d\u{fffd}e\nf\u{fffd}"
        );
        assert!(matches!(line("web-01 ünïcode 中文"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_keeps_the_exact_value() {
        let encoded = serde_json::to_string_pretty(&serde_json::json!({ "name": EVIL })).unwrap();
        let shown = json(&encoded);
        assert!(
            !shown.chars().any(|c| is_unsafe(c) && c != '\n'),
            "{shown:?}"
        );
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back["name"], EVIL);
        assert!(matches!(json("{\"a\": \"é\"}"), Cow::Borrowed(_)));
    }
}
