//! Number, date and text formatting used by the template helpers.

use chrono::NaiveDate;

pub use crate::numbers::natural_decimals;

/// Parses an ISO date (`2025-06-16`, or the date part of a date-time).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t.get(..10).unwrap_or(t), "%Y-%m-%d").ok()
}

/// Escapes a value for insertion into Markdown so it is read as literal text.
///
/// Markdown punctuation becomes a numeric character reference: CommonMark decodes
/// references to plain characters that never start emphasis, links, HTML or table cells,
/// and the same text is also valid inside TOML strings of the briefing blocks.
pub fn escape_markdown(value: &str) -> String {
    // A number is left alone so it stays a valid TOML number inside briefing blocks
    // (a leading `-` would otherwise be escaped).
    if value.parse::<f64>().is_ok() {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        let always = matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '#'
                | '|'
                | '~'
                | '&'
                | '"'
                | '!'
                | '{'
                | '}'
                | '$'
        );
        // A leading marker would start a list, quote or heading.
        let leading = i == 0 && matches!(c, '-' | '+' | '=' | ':');
        match c {
            '\n' | '\r' => out.push(' '),
            _ if always || leading => {
                out.push_str("&#");
                out.push_str(&(c as u32).to_string());
                out.push(';');
            }
            _ => out.push(c),
        }
    }
    // "2024. " at the start of a line would become an ordered list.
    if let Some(pos) = out.find(|c: char| !c.is_ascii_digit()) {
        let marker = matches!(out.as_bytes()[pos], b'.' | b')');
        let then_space =
            marker && out[pos + 1..].chars().next().is_none_or(char::is_whitespace);
        if pos > 0 && marker && then_space {
            let c = out.as_bytes()[pos] as char;
            out.replace_range(pos..pos + 1, &format!("&#{};", c as u32));
        }
    }
    out
}

/// The characters a plain-text value stands for: numeric character references
/// (`&#36;`, `&#x24;`) and `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` are decoded, as
/// Markdown would decode them. It undoes [`escape_markdown`] for the values of briefing
/// blocks that are not Markdown (chart categories and series names, axis titles, units,
/// a timeline's `when`), so `{{…}}` prints there as the characters it stands for, as it
/// does in Markdown text. A reference that is not one is left as written.
pub fn decode_references(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
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

/// The character a reference at the start of `text` stands for, and its length.
fn reference(text: &str) -> Option<(char, usize)> {
    let end = text.find(';').filter(|&e| e <= 10)?;
    let body = &text[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        // CommonMark: 1–7 decimal or 1–6 hexadecimal digits; 0 and invalid code
        // points become U+FFFD.
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) if (1..=6).contains(&hex.len()) => hex
                .chars()
                .all(|c| c.is_ascii_hexdigit())
                .then(|| u32::from_str_radix(hex, 16).ok())??,
            Some(_) => return None,
            None if (1..=7).contains(&num.len())
                && num.bytes().all(|b| b.is_ascii_digit()) =>
            {
                num.parse().ok()?
            }
            None => return None,
        };
        char::from_u32(code).filter(|&c| c != '\0').unwrap_or('\u{FFFD}')
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::format_number as number;

    #[test]
    fn numbers_get_separators_and_fixed_decimals() {
        assert_eq!(number(650000.0, 0), "650,000");
        assert_eq!(number(94.8, 1), "94.8");
        assert_eq!(number(89.4, 2), "89.40");
        assert_eq!(number(1234567.891, 2), "1,234,567.89");
        assert_eq!(number(-5.4, 1), "\u{2212}5.4");
        assert_eq!(number(-0.01, 1), "0.0");
        assert_eq!(number(999.96, 1), "1,000.0");
    }

    #[test]
    fn escaping_keeps_markdown_characters_literal() {
        assert_eq!(escape_markdown("a*b_c"), "a&#42;b&#95;c");
        assert_eq!(escape_markdown("x | y <z>"), "x &#124; y &#60;z&#62;");
        assert_eq!(escape_markdown("- item"), "&#45; item");
        assert_eq!(escape_markdown("2024. A year"), "2024&#46; A year");
        assert_eq!(escape_markdown("94.8"), "94.8");
        assert_eq!(escape_markdown("-5.4"), "-5.4");
        assert_eq!(natural_decimals(94.8), 1);
        assert_eq!(natural_decimals(650000.0), 0);
        assert_eq!(natural_decimals(89.39999999999999), 1);
        assert_eq!(escape_markdown("Астана 阿斯塔纳"), "Астана 阿斯塔纳");
    }

    #[test]
    fn decoding_undoes_escaping() {
        for text in [
            "Exports (US$) <b>",
            "A*B_C|D [x] `c` # ~ & \"q\" ! {} \\",
            "- item",
            "2024. A year",
            "Астана 阿斯塔纳 &",
            "&#36; as typed",
        ] {
            assert_eq!(decode_references(&escape_markdown(text)), text);
        }
        assert_eq!(
            decode_references("&#x24;&#X3C;&amp;&lt;&gt;&quot;&apos;"),
            "$<&<>\"'"
        );
        assert_eq!(decode_references("&#0;&#1114112;"), "\u{FFFD}\u{FFFD}");
        for kept in
            ["&", "a & b", "&#;", "&#x;", "&#12345678;", "&nope;", "&#36", "AT&T;"]
        {
            assert_eq!(decode_references(kept), kept);
        }
    }
}
