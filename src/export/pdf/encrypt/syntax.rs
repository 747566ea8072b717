//! The object syntax of the files our writer makes: an object's direct part read up to
//! `endobj` or `stream` with each string replaced (literal and hex strings, 7.3.4), and
//! the few trailer values the rewrite needs.

use super::handler::{hex, Keys};

/// How an object's direct part ended.
pub enum End {
    Endobj,
    /// `stream`, with the data starting at this offset.
    Stream(usize),
}

/// What [`scan`] found.
pub struct Scanned {
    /// `endobj` or `stream`.
    pub end: End,
    /// The dictionary's /Length and where its digits are in the output.
    pub length: Option<(usize, std::ops::Range<usize>)>,
}

/// Copies the object from `pos` up to `endobj` or `stream` into `out`, each string
/// encrypted for `enc` (object number) as a hex string, or copied if `enc` is `None`.
pub fn scan(
    pdf: &[u8],
    mut pos: usize,
    enc: Option<(&Keys, u32)>,
    out: &mut Vec<u8>,
) -> Result<Scanned, String> {
    let mut depth: Vec<u8> = Vec::new();
    let mut ordinal = 0u32;
    let mut length = None;
    loop {
        let &c = pdf.get(pos).ok_or("an object has no `endobj`")?;
        match c {
            b'(' | b'<' if c == b'(' || pdf.get(pos + 1) != Some(&b'<') => {
                let (bytes, next) =
                    if c == b'(' { literal(pdf, pos)? } else { hex_string(pdf, pos)? };
                match enc {
                    Some((keys, n)) => hex(out, &keys.encrypt(n, ordinal, &bytes)),
                    None => out.extend_from_slice(&pdf[pos..next]),
                }
                ordinal += 1;
                pos = next;
            }
            b'<' | b'[' => {
                depth.push(c);
                let n = if c == b'<' { 2 } else { 1 };
                out.extend_from_slice(&pdf[pos..pos + n]);
                pos += n;
            }
            b'>' | b']' => {
                let open = if c == b'>' { b'<' } else { b'[' };
                let n = if c == b'>' { 2 } else { 1 };
                if depth.pop() != Some(open)
                    || (n == 2 && pdf.get(pos + 1) != Some(&b'>'))
                {
                    return Err(format!("unbalanced `{}` at offset {pos}", c as char));
                }
                out.extend_from_slice(&pdf[pos..pos + n]);
                pos += n;
            }
            b'%' => {
                let end = pdf[pos..]
                    .iter()
                    .position(|&b| b == b'\n' || b == b'\r')
                    .map_or(pdf.len(), |e| pos + e);
                out.extend_from_slice(&pdf[pos..end]);
                pos = end;
            }
            _ if is_space(c) => {
                out.push(c);
                pos += 1;
            }
            _ => {
                // A name, number or keyword: up to the next delimiter.
                let start = pos;
                pos += 1;
                while pos < pdf.len() && !is_space(pdf[pos]) && !is_delimiter(pdf[pos]) {
                    pos += 1;
                }
                let token = &pdf[start..pos];
                if depth.is_empty() && token == b"endobj" {
                    return Ok(Scanned { end: End::Endobj, length });
                }
                if depth.is_empty() && token == b"stream" {
                    let data = match pdf.get(pos..pos + 2) {
                        Some(b"\r\n") => pos + 2,
                        _ if pdf.get(pos) == Some(&b'\n') => pos + 1,
                        _ => {
                            return Err(format!(
                                "`stream` at {start} is not followed by an end of line"
                            ))
                        }
                    };
                    return Ok(Scanned { end: End::Stream(data), length });
                }
                out.extend_from_slice(token);
                if token == b"/Length" && depth == b"<" {
                    let digits = pdf[pos..]
                        .iter()
                        .position(|&b| !is_space(b))
                        .map_or(pdf.len(), |k| pos + k);
                    out.extend_from_slice(&pdf[pos..digits]);
                    let (value, next) =
                        int(pdf, digits).ok_or("/Length is not a number")?;
                    if int(pdf, next + 1)
                        .is_some_and(|(_, k)| pdf.get(k..k + 2) == Some(b" R"))
                    {
                        return Err("/Length is an indirect reference".into());
                    }
                    let at = out.len();
                    out.extend_from_slice(&pdf[digits..next]);
                    length = Some((value as usize, at..out.len()));
                    pos = next;
                }
            }
        }
    }
}

/// A literal string's bytes (escapes resolved, 7.3.4.2) and the offset after it.
fn literal(pdf: &[u8], mut pos: usize) -> Result<(Vec<u8>, usize), String> {
    let start = pos;
    pos += 1;
    let mut out = Vec::new();
    let mut nesting = 0;
    loop {
        let &c = pdf.get(pos).ok_or(format!("unterminated string at offset {start}"))?;
        pos += 1;
        match c {
            b'(' => {
                nesting += 1;
                out.push(c);
            }
            b')' if nesting == 0 => return Ok((out, pos)),
            b')' => {
                nesting -= 1;
                out.push(c);
            }
            // An unescaped end of line reads as a line feed.
            b'\r' => {
                if pdf.get(pos) == Some(&b'\n') {
                    pos += 1;
                }
                out.push(b'\n');
            }
            b'\\' => {
                let &e = pdf
                    .get(pos)
                    .ok_or(format!("unterminated string at offset {start}"))?;
                pos += 1;
                match e {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'0'..=b'7' => {
                        let mut v = u32::from(e - b'0');
                        for _ in 0..2 {
                            match pdf.get(pos) {
                                Some(&d @ b'0'..=b'7') => {
                                    v = v * 8 + u32::from(d - b'0');
                                    pos += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push(v as u8);
                    }
                    // A backslash before an end of line continues the string.
                    b'\r' => {
                        if pdf.get(pos) == Some(&b'\n') {
                            pos += 1;
                        }
                    }
                    b'\n' => {}
                    _ => out.push(e),
                }
            }
            _ => out.push(c),
        }
    }
}

/// A hex string's bytes (a missing last digit is 0) and the offset after it.
pub fn hex_string(pdf: &[u8], pos: usize) -> Result<(Vec<u8>, usize), String> {
    let end = pdf[pos..]
        .iter()
        .position(|&b| b == b'>')
        .ok_or(format!("unterminated hex string at offset {pos}"))?
        + pos;
    let mut digits = Vec::with_capacity(end - pos);
    for &b in &pdf[pos + 1..end] {
        match (b as char).to_digit(16) {
            Some(d) => digits.push(d as u8),
            None if is_space(b) => {}
            None => {
                return Err(format!("a hex string at offset {pos} holds `{}`", b as char))
            }
        }
    }
    if digits.len() % 2 == 1 {
        digits.push(0);
    }
    Ok((digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect(), end + 1))
}

/// The bytes after `key` in a dictionary written by our writer (up to its end).
pub fn value<'a>(dict: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let mut from = 0;
    while let Some(k) = dict[from..].windows(key.len()).position(|w| w == key) {
        let after = from + k + key.len();
        if dict.get(after).is_some_and(|&b| is_space(b) || is_delimiter(b)) {
            let skip = dict[after..].iter().take_while(|&&b| is_space(b)).count();
            return Some(&dict[after + skip..]);
        }
        from = after;
    }
    None
}

/// A non-negative integer at `pos`, and the offset after it.
pub fn int(bytes: &[u8], pos: usize) -> Option<(u64, usize)> {
    let digits = bytes.get(pos..)?.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 18 {
        return None;
    }
    let text = std::str::from_utf8(&bytes[pos..pos + digits]).ok()?;
    Some((text.parse().ok()?, pos + digits))
}

/// The offset after `literal` at `pos`, or an error.
pub fn expect(pdf: &[u8], pos: usize, literal: &[u8]) -> Result<usize, String> {
    if pdf.get(pos..pos + literal.len()) == Some(literal) {
        Ok(pos + literal.len())
    } else {
        Err(format!("expected `{}` at offset {pos}", String::from_utf8_lossy(literal)))
    }
}

/// PDF white space (7.2.3).
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | 0 | 12)
}

/// PDF delimiters (7.2.3).
pub fn is_delimiter(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_strings_resolve_escapes_nesting_and_line_ends() {
        let pdf = b"(a(b)\\)\\n\\101\\7x\\\ny\r\nz)";
        let (bytes, end) = literal(pdf, 0).unwrap();
        assert_eq!(bytes, b"a(b))\nA\x07xy\nz");
        assert_eq!(end, pdf.len());
        assert!(literal(b"(open", 0).is_err());
    }

    #[test]
    fn hex_strings_skip_spaces_and_pad_an_odd_digit() {
        assert_eq!(hex_string(b"<4 1a>", 0).unwrap(), (vec![0x41, 0xA0], 6));
        assert!(hex_string(b"<4G>", 0).is_err());
    }

    #[test]
    fn scan_copies_up_to_the_keyword_and_finds_the_length() {
        let pdf = b"\n<</A(x)/B<41>/C[/Length 9]/Length 12>>\nstream\nDATA";
        let mut out = Vec::new();
        let s = scan(pdf, 0, None, &mut out).unwrap();
        assert!(matches!(s.end, End::Stream(at) if &pdf[at..] == b"DATA"));
        let (length, range) = s.length.unwrap();
        assert_eq!((length, &out[range]), (12, &b"12"[..]));
        assert_eq!(out, &pdf[..pdf.len() - 11]);
        let mut out = Vec::new();
        assert!(scan(b"<</A 1>>]endobj", 0, None, &mut out).is_err());
        let s = scan(b"[(endobj)] endobj", 0, None, &mut out).unwrap();
        assert!(matches!(s.end, End::Endobj));
    }
}
