//! The pages around and between the chapters (cover, title page, notes) and the
//! handlebars templates every XHTML file is rendered with.

use handlebars::Handlebars;
use serde::Serialize;

use crate::diag::Diagnostic;

use super::xhtml::{escape, fragment, Writer};
use super::{book_title, internal_error, COVER_IMAGE, NOTES_FILE};

/// The page templates, embedded (a later version will allow per-briefing overrides).
const TEMPLATES: [(&str, &str); 4] = [
    ("chapter", include_str!("../../../templates/epub/chapter.xhtml.hbs")),
    ("notes", include_str!("../../../templates/epub/notes.xhtml.hbs")),
    ("cover", include_str!("../../../templates/epub/cover.xhtml.hbs")),
    ("title", include_str!("../../../templates/epub/title.xhtml.hbs")),
];
/// The stylesheet, written as `OEBPS/stylesheet.css`.
pub(super) const STYLESHEET: &str = include_str!("../../../templates/epub/style.css");

/// What a Chinese, Japanese or Korean book adds to the stylesheet: these scripts have no
/// italics, so emphasis is bold and the parts set in italic elsewhere stand upright (the
/// PDF does the same).
const CJK_RULES: &str = "
/* Chinese, Japanese, Korean: no italics; emphasis is bold. */
em, i, cite, blockquote, .source, .chart-summary, .subtitle { font-style: normal; }
em, i { font-weight: bold; }
";

/// The stylesheet of a book in `language`.
pub(super) fn stylesheet(language: &str) -> std::borrow::Cow<'static, str> {
    let primary = crate::model::lang::primary_subtag(language).to_ascii_lowercase();
    match primary.as_str() {
        "zh" | "ja" | "ko" => format!("{STYLESHEET}{CJK_RULES}").into(),
        _ => STYLESHEET.into(),
    }
}

/// The `<li>` items of the notes document, each ending with a link back to its
/// first reference. Note bodies are rendered first because notes can refer to notes.
pub(super) fn notes_items(w: &mut Writer) -> String {
    w.file = NOTES_FILE.to_string();
    let doc = w.doc;
    let bodies: Vec<String> = doc
        .footnotes
        .iter()
        .map(|note| {
            let mut body = String::new();
            w.blocks(&mut body, &note.blocks);
            body
        })
        .collect();
    let mut out = String::new();
    for (i, (note, body)) in doc.footnotes.iter().zip(bodies).enumerate() {
        out.push_str(&format!(
            "<li id=\"{}\" value=\"{}\">\n",
            escape(&note.anchor),
            note.number
        ));
        let back = w.first_refs[i].as_ref().map(|(file, id)| {
            format!(
                "<a href=\"{}#{}\" role=\"doc-backlink\" aria-label=\"{}\">\
                 \u{21A9}\u{FE0E}</a>",
                escape(file),
                escape(&fragment(id)),
                escape(
                    &doc.meta
                        .locale
                        .label("back-to-reference", &[("n", &note.number.to_string())])
                )
            )
        });
        match back {
            // Inside the last paragraph, so the arrow does not stand on its own line.
            Some(back) if body.ends_with("</p>\n") => {
                out.push_str(&body[..body.len() - 5]);
                out.push_str(&format!(" {back}</p>\n"));
            }
            Some(back) => out.push_str(&format!("{body}<p>{back}</p>\n")),
            None => out.push_str(&body),
        }
        out.push_str("</li>\n");
    }
    out
}

/// The templates, in strict mode, escaping only the five XML entities.
pub(super) fn templates() -> Result<Handlebars<'static>, Diagnostic> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(escape);
    for (name, text) in TEMPLATES {
        hb.register_template_string(name, text)
            .map_err(|e| internal_error(format!("bad template `{name}` ({e})")))?;
    }
    Ok(hb)
}

pub(super) fn render(
    hb: &Handlebars,
    name: &str,
    data: &impl Serialize,
) -> Result<String, Diagnostic> {
    hb.render(name, data)
        .map_err(|e| internal_error(format!("failed to render `{name}` ({e})")))
}

/// A chapter or the contents page.
#[derive(Serialize)]
pub(super) struct Page<'a> {
    pub(super) lang: &'a str,
    pub(super) title: &'a str,
    pub(super) classification: &'a str,
    pub(super) body: &'a str,
}

/// The notes document.
#[derive(Serialize)]
pub(super) struct Notes<'a> {
    pub(super) lang: &'a str,
    pub(super) heading: &'a str,
    pub(super) classification: &'a str,
    pub(super) items: &'a str,
}

/// Title page values; the `Option<String>` ones are XHTML (escaped, language-tagged).
#[derive(Serialize)]
pub(super) struct TitlePage<'a> {
    lang: &'a str,
    plain_title: &'a str,
    classification: &'a str,
    title: String,
    subtitle: Option<String>,
    event: Option<String>,
    venue: Option<String>,
    dates: Option<String>,
    authors: Option<String>,
    organisation: Option<String>,
    edition: Option<String>,
    issued: String,
    /// A numbered copy's "Copy 7 of 40 — issued to …" (plain text).
    copy: Option<String>,
}

/// Cover page values.
#[derive(Serialize)]
pub(super) struct CoverPage<'a> {
    lang: &'a str,
    plain_title: &'a str,
    classification: &'a str,
    image: &'a str,
    alt: String,
    title: String,
    subtitle: Option<String>,
    organisation: Option<String>,
    /// The printed cover's page-break marker (XHTML), if the book has a page map.
    pagebreak: String,
}

/// `text` escaped and language-tagged, or `None` if blank.
fn tagged(w: &Writer, text: Option<&str>) -> Option<String> {
    let text = text.filter(|t| !t.trim().is_empty())?;
    let mut out = String::new();
    w.text(&mut out, text);
    Some(out)
}

pub(super) fn title_data<'a>(w: &Writer<'a>, lang: &'a str) -> TitlePage<'a> {
    let m = &w.doc.meta;
    let dates = m.event_dates();
    TitlePage {
        lang,
        plain_title: book_title(w.doc),
        classification: m.classification.trim(),
        title: tagged(w, Some(book_title(w.doc))).unwrap_or_default(),
        subtitle: tagged(w, m.subtitle.as_deref()),
        event: tagged(w, m.event.as_deref()),
        venue: tagged(w, m.venue.as_deref()),
        dates,
        authors: tagged(w, Some(&m.authors.join(", "))),
        organisation: tagged(w, m.organisation.as_deref()),
        edition: tagged(w, m.edition.as_deref()),
        issued: m.locale.label("issued", &[("date", &m.locale.date(m.issue_date))]),
        copy: m.copy.as_ref().map(|c| {
            let (number, copies) = (c.number.to_string(), c.copies.to_string());
            m.locale.label(
                "copy-issued",
                &[("copy", &number), ("copies", &copies), ("recipient", &c.recipient)],
            )
        }),
    }
}

pub(super) fn cover_data<'a>(
    w: &Writer<'a>,
    lang: &'a str,
    pagebreak: String,
) -> CoverPage<'a> {
    let m = &w.doc.meta;
    CoverPage {
        lang,
        plain_title: book_title(w.doc),
        classification: m.classification.trim(),
        image: COVER_IMAGE,
        alt: m
            .locale
            .label("cover-alt", &[("title", &m.locale.quote(book_title(w.doc), false))]),
        title: tagged(w, Some(book_title(w.doc))).unwrap_or_default(),
        subtitle: tagged(w, m.subtitle.as_deref()),
        organisation: tagged(w, m.organisation.as_deref()),
        pagebreak,
    }
}
