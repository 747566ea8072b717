//! Reads a file our writer made (objects, then one cross-reference stream) and writes it
//! again with every string and stream encrypted. Only the forms `writer` produces are
//! accepted; anything else is an error rather than a guess.

use std::io::{Read as _, Write as _};

use super::handler::{hex, security, Keys};
use super::Password;
use crate::export::pdf::writer::deflate;

/// Where one object of the original file is.
#[derive(Clone, Copy)]
enum Row {
    Free,
    At(usize),
    Packed(u32, u16),
}

/// The original cross-reference stream.
struct Xref {
    /// Its own object number and offset.
    id: u32,
    rows: Vec<Row>,
    root: u32,
    info: u32,
    /// The /ID array as written, and its first string's bytes.
    id_array: Vec<u8>,
    first_id: Vec<u8>,
}

/// The file encrypted with `password`.
pub fn protect(pdf: &[u8], password: &Password) -> Result<Vec<u8>, String> {
    let xref = read_xref(pdf)?;
    let (keys, encrypt_dict) = security(password, &xref.first_id);
    let mut order: Vec<(usize, u32)> = (1..)
        .zip(&xref.rows[1..])
        .filter_map(|(n, row)| match *row {
            Row::At(at) if n != xref.id => Some((at, n)),
            _ => None,
        })
        .collect();
    order.sort_unstable();
    let first = order.first().map_or(0, |&(at, _)| at);
    let mut out = Vec::with_capacity(pdf.len() + pdf.len() / 8 + 4096);
    out.extend_from_slice(&pdf[..first]);
    let mut offsets = vec![0usize; xref.rows.len() + 1];
    for &(at, n) in &order {
        offsets[n as usize] = out.len();
        object(pdf, at, n, &keys, n == xref.root, &mut out)?;
    }

    // The /Encrypt dictionary takes the old cross-reference stream's number.
    let encrypt = xref.id;
    offsets[encrypt as usize] = out.len();
    let _ = write!(out, "{encrypt} 0 obj\n");
    out.extend_from_slice(&encrypt_dict);
    out.extend_from_slice(b"\nendobj\n");

    let new_xref = xref.rows.len() as u32;
    let start = out.len();
    offsets[new_xref as usize] = start;
    let mut rows = Vec::with_capacity((xref.rows.len() + 1) * 7);
    rows.extend_from_slice(&[0, 0, 0, 0, 0, 0xFF, 0xFF]);
    for n in 1..=new_xref as usize {
        let (kind, a, b) = match xref.rows.get(n).copied().unwrap_or(Row::At(0)) {
            Row::Packed(stream, index) => (2u8, stream, index),
            Row::Free if n != encrypt as usize => (0, 0, 0),
            _ => {
                let at = u32::try_from(offsets[n]).map_err(|_| "the file is over 4 GiB")?;
                (1, at, 0)
            }
        };
        rows.push(kind);
        rows.extend_from_slice(&a.to_be_bytes());
        rows.extend_from_slice(&b.to_be_bytes());
    }
    let data = deflate(&rows);
    let _ = write!(
        out,
        "{new_xref} 0 obj\n<</Type/XRef/Size {}/W[1 4 2]/Root {} 0 R/Info {} 0 R/ID",
        new_xref + 1,
        xref.root,
        xref.info
    );
    out.extend_from_slice(&xref.id_array);
    let _ = write!(out, "/Encrypt {encrypt} 0 R/Filter/FlateDecode/Length {}>>\nstream\n", data.len());
    out.extend_from_slice(&data);
    let _ = write!(out, "\nendstream\nendobj\nstartxref\n{start}\n%%EOF\n");
    Ok(out)
}

/// Writes object `n` (at `at` in `pdf`) with its strings and stream data encrypted; the
/// catalog (`root`) also declares Adobe extension level 8, which AES-256 needs in 1.7.
fn object(
    pdf: &[u8],
    at: usize,
    n: u32,
    keys: &Keys,
    root: bool,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    let (number, mut pos) = int(pdf, at).ok_or(format!("no object at offset {at}"))?;
    pos = expect(pdf, pos, b" 0 obj")?;
    if number != u64::from(n) {
        return Err(format!("object {n} is not where the cross-reference stream says"));
    }
    let mut body = Vec::new();
    let scanned = scan(pdf, pos, Some((keys, n)), &mut body)?;
    if root {
        let close = body.iter().rposition(|&b| b == b'>').filter(|&i| i > 0 && body[i - 1] == b'>');
        let close = close.ok_or("the catalog is not a dictionary")?;
        if body.windows(12).any(|w| w == b"/Extensions<" || w == b"/Extensions ") {
            return Err("the catalog already has /Extensions".into());
        }
        let ext = b"/Extensions<</ADBE<</BaseVersion/1.7/ExtensionLevel 8>>>>";
        body.splice(close - 1..close - 1, ext.iter().copied());
    }
    let _ = write!(out, "{n} 0 obj");
    match scanned.end {
        End::Endobj => {
            out.extend_from_slice(&body);
            out.extend_from_slice(b"endobj\n");
        }
        End::Stream(start) => {
            let (length, range) = scanned.length.ok_or(format!("stream {n} has no direct /Length"))?;
            let data = pdf
                .get(start..start + length)
                .ok_or(format!("stream {n} runs past the end of the file"))?;
            let mut after = start + length;
            if pdf.get(after) == Some(&b'\r') {
                after += 1;
            }
            if pdf.get(after) == Some(&b'\n') {
                after += 1;
            }
            expect(pdf, after, b"endstream")?;
            let data = keys.encrypt(n, u32::MAX, data);
            body.splice(range, data.len().to_string().into_bytes());
            out.extend_from_slice(&body);
            out.extend_from_slice(b"stream\n");
            out.extend_from_slice(&data);
            out.extend_from_slice(b"\nendstream\nendobj\n");
        }
    }
    Ok(())
}

/// How an object's direct part ended.
enum End {
    Endobj,
    /// `stream`, with the data starting at this offset.
    Stream(usize),
}

/// What [`scan`] found.
struct Scanned {
    end: End,
    /// The dictionary's /Length and where its digits are in the output.
    length: Option<(usize, std::ops::Range<usize>)>,
}

/// Copies the object from `pos` up to `endobj` or `stream` into `out`, each string
/// encrypted for `enc` (object number) as a hex string, or copied if `enc` is `None`.
fn scan(pdf: &[u8], mut pos: usize, enc: Option<(&Keys, u32)>, out: &mut Vec<u8>) -> Result<Scanned, String> {
    let mut depth: Vec<u8> = Vec::new();
    let mut ordinal = 0u32;
    let mut length = None;
    loop {
        let &c = pdf.get(pos).ok_or("an object has no `endobj`")?;
        match c {
            b'(' | b'<' if c == b'(' || pdf.get(pos + 1) != Some(&b'<') => {
                let (bytes, next) = if c == b'(' { literal(pdf, pos)? } else { hex_string(pdf, pos)? };
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
                if depth.pop() != Some(open) || (n == 2 && pdf.get(pos + 1) != Some(&b'>')) {
                    return Err(format!("unbalanced `{}` at offset {pos}", c as char));
                }
                out.extend_from_slice(&pdf[pos..pos + n]);
                pos += n;
            }
            b'%' => {
                let end = pdf[pos..].iter().position(|&b| b == b'\n' || b == b'\r').map_or(pdf.len(), |e| pos + e);
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
                        _ => return Err(format!("`stream` at {start} is not followed by an end of line")),
                    };
                    return Ok(Scanned { end: End::Stream(data), length });
                }
                out.extend_from_slice(token);
                if token == b"/Length" && depth == b"<" {
                    let digits = pdf[pos..].iter().position(|&b| !is_space(b)).map_or(pdf.len(), |k| pos + k);
                    out.extend_from_slice(&pdf[pos..digits]);
                    let (value, next) = int(pdf, digits).ok_or("/Length is not a number")?;
                    if int(pdf, next + 1).is_some_and(|(_, k)| pdf.get(k..k + 2) == Some(b" R")) {
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
                let &e = pdf.get(pos).ok_or(format!("unterminated string at offset {start}"))?;
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
fn hex_string(pdf: &[u8], pos: usize) -> Result<(Vec<u8>, usize), String> {
    let end = pdf[pos..].iter().position(|&b| b == b'>').ok_or(format!("unterminated hex string at offset {pos}"))? + pos;
    let mut digits = Vec::with_capacity(end - pos);
    for &b in &pdf[pos + 1..end] {
        match (b as char).to_digit(16) {
            Some(d) => digits.push(d as u8),
            None if is_space(b) => {}
            None => return Err(format!("a hex string at offset {pos} holds `{}`", b as char)),
        }
    }
    if digits.len() % 2 == 1 {
        digits.push(0);
    }
    Ok((digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect(), end + 1))
}

/// Reads the cross-reference stream `startxref` points at.
fn read_xref(pdf: &[u8]) -> Result<Xref, String> {
    if !pdf.starts_with(b"%PDF-") {
        return Err("it does not start with `%PDF-`".into());
    }
    let tail = &pdf[pdf.len().saturating_sub(64)..];
    let key = tail.windows(9).rposition(|w| w == b"startxref").ok_or("no `startxref`")?;
    let from = tail[key + 9..].iter().position(|b| !is_space(*b)).ok_or("no `startxref` offset")?;
    let (at, _) = int(tail, key + 9 + from).ok_or("no `startxref` offset")?;
    let at = at as usize;
    let (id, pos) = int(pdf, at).ok_or("no object at `startxref`")?;
    let pos = expect(pdf, pos, b" 0 obj")?;
    let mut dict = Vec::new();
    let scanned = scan(pdf, pos, None, &mut dict)?;
    let (End::Stream(start), Some((length, _))) = (scanned.end, scanned.length) else {
        return Err("`startxref` does not point at a cross-reference stream".into());
    };
    for absent in [&b"/Encrypt"[..], b"/Prev", b"/Index"] {
        if value(&dict, absent).is_some() {
            return Err(format!("the cross-reference stream has {}", String::from_utf8_lossy(absent)));
        }
    }
    let entry = |key: &[u8]| value(&dict, key).ok_or(format!("the trailer has no {}", String::from_utf8_lossy(key)));
    if !entry(b"/Type")?.starts_with(b"/XRef") || !entry(b"/W")?.starts_with(b"[1 4 2]") || !entry(b"/Filter")?.starts_with(b"/FlateDecode") {
        return Err("the cross-reference stream is not in our writer's form".into());
    }
    let reference = |key: &[u8]| -> Result<u32, String> {
        let v = entry(key)?;
        let (n, next) = int(v, 0).ok_or("a reference is not a number")?;
        if !v[next..].starts_with(b" 0 R") {
            return Err(format!("{} is not a reference", String::from_utf8_lossy(key)));
        }
        u32::try_from(n).map_err(|_| "an object number is too large".into())
    };
    let (root, info) = (reference(b"/Root")?, reference(b"/Info")?);
    let (size, _) = int(entry(b"/Size")?, 0).ok_or("/Size is not a number")?;
    let ids = entry(b"/ID")?;
    let close = ids.iter().position(|&b| b == b']').ok_or("/ID is not an array")?;
    let id_array = ids[..=close].to_vec();
    let (first_id, _) = hex_string(&id_array, 1)?;
    if first_id.is_empty() {
        return Err("the /ID is empty".into());
    }

    let data = pdf.get(start..start + length).ok_or("the cross-reference stream is cut short")?;
    let mut rows = Vec::new();
    flate2::read::ZlibDecoder::new(data).read_to_end(&mut rows).map_err(|e| format!("the cross-reference stream: {e}"))?;
    if rows.len() != size as usize * 7 {
        return Err("the cross-reference stream does not match /Size".into());
    }
    let rows = rows
        .chunks(7)
        .map(|r| {
            let a = u32::from_be_bytes([r[1], r[2], r[3], r[4]]);
            let b = u16::from_be_bytes([r[5], r[6]]);
            match r[0] {
                1 => Row::At(a as usize),
                2 => Row::Packed(a, b),
                _ => Row::Free,
            }
        })
        .collect();
    let id = u32::try_from(id).map_err(|_| "an object number is too large")?;
    Ok(Xref { id, rows, root, info, id_array, first_id })
}

/// The bytes after `key` in a dictionary written by our writer (up to its end).
fn value<'a>(dict: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
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
fn int(bytes: &[u8], pos: usize) -> Option<(u64, usize)> {
    let digits = bytes.get(pos..)?.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 18 {
        return None;
    }
    let text = std::str::from_utf8(&bytes[pos..pos + digits]).ok()?;
    Some((text.parse().ok()?, pos + digits))
}

/// The offset after `literal` at `pos`, or an error.
fn expect(pdf: &[u8], pos: usize, literal: &[u8]) -> Result<usize, String> {
    if pdf.get(pos..pos + literal.len()) == Some(literal) {
        Ok(pos + literal.len())
    } else {
        Err(format!("expected `{}` at offset {pos}", String::from_utf8_lossy(literal)))
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | 0 | 12)
}

fn is_delimiter(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}
