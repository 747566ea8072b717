//! Reads a file our writer made (objects, then one cross-reference stream) and writes it
//! again with every string and stream encrypted. Only the forms `writer` produces are
//! accepted; anything else is an error rather than a guess.

use std::io::{Read as _, Write as _};

use super::handler::{security, Keys};
use super::syntax::{expect, hex_string, int, is_space, scan, value, End};
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
    let _ = writeln!(out, "{encrypt} 0 obj");
    out.extend_from_slice(&encrypt_dict);
    out.extend_from_slice(b"\nendobj\n");

    let new_xref = xref.rows.len() as u32;
    let start = out.len();
    offsets[new_xref as usize] = start;
    let mut rows = Vec::with_capacity((xref.rows.len() + 1) * 7);
    rows.extend_from_slice(&[0, 0, 0, 0, 0, 0xFF, 0xFF]);
    for (n, &offset) in offsets.iter().enumerate().skip(1) {
        let (kind, a, b) = match xref.rows.get(n).copied().unwrap_or(Row::At(0)) {
            Row::Packed(stream, index) => (2u8, stream, index),
            Row::Free if n != encrypt as usize => (0, 0, 0),
            _ => {
                let at = u32::try_from(offset).map_err(|_| "the file is over 4 GiB")?;
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
    let _ = write!(
        out,
        "/Encrypt {encrypt} 0 R/Filter/FlateDecode/Length {}>>\nstream\n",
        data.len()
    );
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
        let close = body
            .iter()
            .rposition(|&b| b == b'>')
            .filter(|&i| i > 0 && body[i - 1] == b'>');
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
            let (length, range) =
                scanned.length.ok_or(format!("stream {n} has no direct /Length"))?;
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

/// Reads the cross-reference stream `startxref` points at.
fn read_xref(pdf: &[u8]) -> Result<Xref, String> {
    if !pdf.starts_with(b"%PDF-") {
        return Err("it does not start with `%PDF-`".into());
    }
    let tail = &pdf[pdf.len().saturating_sub(64)..];
    let key = tail.windows(9).rposition(|w| w == b"startxref").ok_or("no `startxref`")?;
    let from = tail[key + 9..]
        .iter()
        .position(|b| !is_space(*b))
        .ok_or("no `startxref` offset")?;
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
            return Err(format!(
                "the cross-reference stream has {}",
                String::from_utf8_lossy(absent)
            ));
        }
    }
    let entry = |key: &[u8]| {
        value(&dict, key)
            .ok_or(format!("the trailer has no {}", String::from_utf8_lossy(key)))
    };
    if !entry(b"/Type")?.starts_with(b"/XRef")
        || !entry(b"/W")?.starts_with(b"[1 4 2]")
        || !entry(b"/Filter")?.starts_with(b"/FlateDecode")
    {
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

    let data = pdf
        .get(start..start + length)
        .ok_or("the cross-reference stream is cut short")?;
    let mut rows = Vec::new();
    flate2::read::ZlibDecoder::new(data)
        .read_to_end(&mut rows)
        .map_err(|e| format!("the cross-reference stream: {e}"))?;
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
