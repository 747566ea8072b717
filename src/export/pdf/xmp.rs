//! The XMP metadata packet: title, creators, description, language, subjects, dates,
//! producer, and the PDF/UA and PDF/A identification the file declares. The values
//! equal those of the document information dictionary (PDF/A requires it); the dates
//! come from `meta.timestamp`, so the packet is the same on every build.

use std::fmt::Write as _;

use crate::model::{Meta, PdfStandard};

/// The packet, as UTF-8 text.
pub fn packet(meta: &Meta) -> String {
    let date = meta.timestamp.format("%Y-%m-%dT%H:%M:%S+00:00").to_string();
    let mut x = String::with_capacity(2048);
    x.push_str("<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    x.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
    x.push_str("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    x.push_str(
        "<rdf:Description rdf:about=\"\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" \
         xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" \
         xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\" \
         xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n",
    );
    x.push_str("<dc:format>application/pdf</dc:format>\n");
    alt(&mut x, "dc:title", &meta.title);
    // One entry holding the whole Author string, as PDF/A wants them equal.
    let authors = meta.authors.join(", ");
    if !authors.is_empty() {
        let _ = writeln!(
            x,
            "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>",
            esc(&authors)
        );
    }
    if let Some(d) = meta.description.as_deref().filter(|d| !d.is_empty()) {
        alt(&mut x, "dc:description", d);
    }
    let _ = writeln!(
        x,
        "<dc:language><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:language>",
        esc(&meta.language)
    );
    if !meta.subjects.is_empty() {
        x.push_str("<dc:subject><rdf:Bag>");
        for s in &meta.subjects {
            let _ = write!(x, "<rdf:li>{}</rdf:li>", esc(s));
        }
        x.push_str("</rdf:Bag></dc:subject>\n");
        let _ =
            writeln!(x, "<pdf:Keywords>{}</pdf:Keywords>", esc(&meta.subjects.join(",")));
    }
    x.push_str("<pdf:Producer>briefbook</pdf:Producer>\n");
    x.push_str("<xmp:CreatorTool>briefbook</xmp:CreatorTool>\n");
    for key in ["xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"] {
        let _ = writeln!(x, "<{key}>{date}</{key}>");
    }
    if meta.pdf_standards.contains(&PdfStandard::Ua1) {
        x.push_str("<pdfuaid:part>1</pdfuaid:part>\n");
    }
    if let Some(level) = meta.pdf_standards.iter().filter_map(|s| s.pdfa_level()).max() {
        let _ = writeln!(
            x,
            "<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>{level}</pdfaid:conformance>"
        );
    }
    x.push_str("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n");
    x.push_str("<?xpacket end=\"r\"?>");
    x
}

/// A language alternative with one default entry.
fn alt(x: &mut String, key: &str, value: &str) {
    let _ = writeln!(
        x,
        "<{key}><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></{key}>",
        esc(value)
    );
}

/// Escapes XML text (and drops characters XML 1.0 cannot hold).
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}
