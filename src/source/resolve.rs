//! Manifest → resolved settings: book metadata, page geometry, numbering.

use chrono::{DateTime, NaiveDate, Utc};
use toml::Spanned;

use super::manifest::{Manifest, PageSizeSpec};
use super::{LoadOptions, Numbering};
use crate::config::{FontFile, Invalid, LayoutOptions};
use crate::config::{FurnitureTemplates, COVER_NAMES, DEFAULT_COVER};
use crate::config::{Meta, PdfStandard};
use crate::diag::{Diagnostic, FileId, Sink, SourceMap, Span};
use crate::geom::{Mm, Pt, Sides};
use crate::limits;
use crate::locale::Locale;
use crate::world::World;

/// The briefing's own font folder.
const FONT_DIR: &str = "fonts";

/// The book metadata. `None` if something required is missing (errors are in `sink`).
pub(super) fn meta(
    manifest: &Manifest,
    file: FileId,
    options: &LoadOptions,
    sink: &mut Sink,
) -> Option<Meta> {
    let book = &manifest.book;
    let start_date = book.start_date.as_ref().and_then(|d| date(d, file, sink));
    let end_date = book.end_date.as_ref().and_then(|d| date(d, file, sink));
    if let (Some(s), Some(e), Some(span)) = (start_date, end_date, &book.end_date) {
        if e < s {
            sink.push(Diagnostic::error(
                Span::new(file, span.span()),
                "`end-date` is before `start-date`",
            ));
        }
    }

    let epoch =
        options.source_date_epoch.and_then(|s| DateTime::<Utc>::from_timestamp(s, 0));
    let issue_date = match &book.issue_date {
        Some(d) => date(d, file, sink)?,
        None => match epoch {
            Some(t) => t.date_naive(),
            None => {
                sink.push(
                    Diagnostic::error(Span::file_start(file), "the book has no issue date")
                        .with_hint("set `issue-date = 2025-06-12` in `[book]`, or set SOURCE_DATE_EPOCH"),
                );
                return None;
            }
        },
    };
    let timestamp =
        epoch.unwrap_or_else(|| issue_date.and_time(chrono::NaiveTime::MIN).and_utc());

    let language = book.language.get_ref().trim().to_string();
    if !crate::locale::valid_tag(&language) {
        sink.push(
            Diagnostic::error(
                Span::new(file, book.language.span()),
                format!("`{language}` is not a BCP 47 language tag"),
            )
            .with_hint("use a tag such as `en`, `en-GB` or `zh-Hans`"),
        );
    }
    let locale = book_locale(manifest, &language, file, sink);
    if book.title.trim().is_empty() {
        sink.push(Diagnostic::error(Span::file_start(file), "the book title is empty"));
    }

    let identifier = match &book.identifier {
        Some(id) => {
            let text = id.get_ref().trim().trim_start_matches("urn:uuid:");
            match uuid::Uuid::parse_str(text) {
                Ok(u) => u,
                Err(e) => {
                    sink.push(
                        Diagnostic::error(
                            Span::new(file, id.span()),
                            format!("`identifier` is not a UUID ({e})"),
                        )
                        .with_hint("remove it to derive a stable UUID from the title and edition"),
                    );
                    return None;
                }
            }
        }
        // Derived from the input, so every build of the same book has the same id.
        None => {
            let key = format!(
                "briefbook:{}|{}|{}",
                book.title,
                book.edition.as_deref().unwrap_or(""),
                book.event.as_deref().unwrap_or("")
            );
            uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, key.as_bytes())
        }
    };

    Some(Meta {
        title: book.title.clone(),
        subtitle: book.subtitle.clone(),
        event: book.event.clone(),
        venue: book.venue.clone(),
        start_date,
        end_date,
        organisation: book.organisation.clone(),
        classification: book
            .classification
            .as_ref()
            .map(|c| c.get_ref().clone())
            .unwrap_or_default(),
        language,
        edition: book.edition.clone(),
        issue_date,
        timestamp,
        authors: book.authors.clone(),
        description: book.description.clone(),
        subjects: book.subjects.clone(),
        identifier,
        accessibility_certifier: book.accessibility_certifier.clone(),
        locale: std::sync::Arc::new(locale),
        pdf_standards: pdf_standards(manifest, file, sink),
        copy: None,
    })
}

/// The book's locale: the catalogue for its language (English, with a warning, when
/// none is shipped) under the manifest's `[locale]` replacements.
fn book_locale(
    manifest: &Manifest,
    language: &str,
    file: FileId,
    sink: &mut Sink,
) -> Locale {
    let (locale, found) = Locale::for_tag(language);
    if !found && crate::locale::valid_tag(language) {
        let shipped: Vec<_> = crate::locale::catalogue::shipped().collect();
        sink.push(
            Diagnostic::warning(
                Span::new(file, manifest.book.language.span()),
                format!("no catalogue for `{language}`: the words the program writes (contents, captions, page numbers) are in English"),
            )
            .with_hint(format!(
                "catalogues: {}; give your own strings in `[locale.labels]` (see \"Languages\" in docs/format.md)",
                shipped.join(", ")
            )),
        );
    }
    let Some(over) = &manifest.locale else { return locale };
    match locale.with_overrides(over.get_ref()) {
        Ok(l) => l,
        Err(errors) => {
            for e in errors {
                // The catalogue's file is in briefbook's sources, not in the briefing.
                let hint = match e.near {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => {
                        "the keys and their kinds are those of the English catalogue; \
                             see \"Replacing strings\" in docs/format.md"
                            .to_string()
                    }
                };
                sink.push(
                    Diagnostic::error(
                        Span::new(file, over.span()),
                        format!("`[locale]`: {}", e.message),
                    )
                    .with_hint(hint),
                );
            }
            locale
        }
    }
}

/// `[output] pdf-standard`: each name known.
fn pdf_standards(manifest: &Manifest, file: FileId, sink: &mut Sink) -> Vec<PdfStandard> {
    let mut out = Vec::new();
    for name in &manifest.output.pdf_standard {
        match PdfStandard::parse(name.get_ref()) {
            Some(s) if !out.contains(&s) => out.push(s),
            Some(_) => {}
            None => sink.push(
                Diagnostic::error(
                    Span::new(file, name.span()),
                    format!("unknown PDF standard `{}`", name.get_ref()),
                )
                .with_hint("known standards are `ua-1`, `a-2b`, `a-2u` and `a-2a`"),
            ),
        }
    }
    out
}

/// A TOML date that must be a plain calendar date.
fn date(
    value: &Spanned<toml::value::Datetime>,
    file: FileId,
    sink: &mut Sink,
) -> Option<NaiveDate> {
    let dt = value.get_ref();
    let parsed = match (dt.date, dt.time) {
        (Some(d), None) => {
            NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
        }
        _ => None,
    };
    if parsed.is_none() {
        sink.push(
            Diagnostic::error(
                Span::new(file, value.span()),
                format!("`{dt}` is not a calendar date"),
            )
            .with_hint("write dates as YYYY-MM-DD without quotes, e.g. 2025-06-16"),
        );
    }
    parsed
}

/// The named page sizes (portrait, width × height in millimetres): ISO 216 A3–A6 and B5,
/// and the North American Letter, Legal and Executive.
pub(crate) const PAGE_SIZES: [(&str, Mm, Mm); 8] = [
    ("A3", Mm(297.0), Mm(420.0)),
    ("A4", Mm(210.0), Mm(297.0)),
    ("A5", Mm(148.0), Mm(210.0)),
    ("A6", Mm(105.0), Mm(148.0)),
    ("B5", Mm(176.0), Mm(250.0)),
    ("Letter", Mm(215.9), Mm(279.4)),
    ("Legal", Mm(215.9), Mm(355.6)),
    ("Executive", Mm(184.15), Mm(266.7)),
];

/// The size of a named page (`"a5"` is `"A5"`), width and height.
pub(crate) fn named_page_size(name: &str) -> Option<(Mm, Mm)> {
    let name = name.trim();
    PAGE_SIZES
        .iter()
        .find(|(n, ..)| n.eq_ignore_ascii_case(name))
        .map(|&(_, w, h)| (w, h))
}

/// Print settings and heading numbering. The book's metadata (if it resolved) is used to
/// check the cover template, which is read into `sources`.
pub(super) fn layout(
    manifest: &Manifest,
    file: FileId,
    world: &World,
    meta: Option<&Meta>,
    sources: &mut SourceMap,
    sink: &mut Sink,
) -> (Option<LayoutOptions>, Numbering) {
    let l = &manifest.layout;
    let numbering = Numbering { enabled: l.numbering, depth: l.numbering_depth.max(1) };
    let (width, height) = match l.page_size.get_ref() {
        PageSizeSpec::Named(n) => match named_page_size(n) {
            Some(size) => size,
            None => {
                let names: Vec<String> =
                    PAGE_SIZES.iter().map(|(name, ..)| format!("\"{name}\"")).collect();
                sink.push(
                    Diagnostic::error(
                        Span::new(file, l.page_size.span()),
                        format!("unknown page size `{n}`"),
                    )
                    .with_hint(format!(
                        "named sizes are {}; or give one in millimetres: `{{ width = 170, height = 240 }}`",
                        names.join(", ")
                    )),
                );
                return (None, numbering);
            }
        },
        // The manifest's plain numbers get their units here: millimetres for the page
        // and margins, points for type.
        PageSizeSpec::Custom { width, height } => (Mm(*width), Mm(*height)),
    };
    let m = *l.margins.get_ref();
    let margins = Sides {
        top: Mm(m.top),
        bottom: Mm(m.bottom),
        left: Mm(m.left),
        right: Mm(m.right),
    };
    let size = *l.font_size.get_ref();
    let geometry = LayoutOptions {
        page_width: width,
        page_height: height,
        margins,
        font_size: Pt(size),
        ..LayoutOptions::default()
    };
    if let Err(problem) = geometry.validate() {
        let (size_span, margins_span) = (l.page_size.span(), l.margins.span());
        let (w, h) = (width.get(), height.get());
        let (span, message) = match problem {
            // (The default page size is in range, so this one is written.)
            Invalid::PageSize => (
                size_span,
                format!("page size {w} × {h} mm is outside 50–1500 mm a side"),
            ),
            // At the margins, or at the page size if the margins are left to their default.
            Invalid::Margins => {
                let span = if margins_span.is_empty() { size_span } else { margins_span };
                (
                    span,
                    format!(
                        "page {w} × {h} mm with these margins leaves no room for text"
                    ),
                )
            }
            Invalid::FontSize => {
                (l.font_size.span(), format!("font size {size} pt is outside 5–24 pt"))
            }
        };
        sink.push(
            Diagnostic::error(Span::new(file, span), message).with_hint(problem.hint()),
        );
        return (None, numbering);
    }
    let f = &manifest.fonts;
    let layout = LayoutOptions {
        justify: l.justify,
        body_font: f.body.clone(),
        heading_font: f.heading.clone(),
        mono_font: f.mono.clone(),
        fallback_fonts: f.fallback.clone(),
        font_files: match font_files(world, file, sink) {
            Some(files) => files,
            None => return (None, numbering),
        },
        furniture: match (
            furniture(manifest, file, &sources.get(file).text, meta, sink),
            cover(manifest, file, world, meta, sources, sink),
        ) {
            (Some(slots), Some(cover)) => FurnitureTemplates { slots, cover },
            _ => return (None, numbering),
        },
        ..geometry
    };
    (Some(layout), numbering)
}

/// The `[furniture]` templates, each checked by rendering it once for a sample page.
/// `text` is the manifest's.
fn furniture(
    manifest: &Manifest,
    file: FileId,
    text: &str,
    meta: Option<&Meta>,
    sink: &mut Sink,
) -> Option<[String; 6]> {
    let f = &manifest.furniture;
    let slots = [
        &f.header_left,
        &f.header_center,
        &f.header_right,
        &f.footer_left,
        &f.footer_center,
        &f.footer_right,
    ];
    let sample = crate::config::furniture_context(
        &manifest_meta_sample(manifest),
        1,
        1,
        "Chapter",
    );
    let mut ok = true;
    for slot in slots {
        if let Err(e) = crate::nesting::template::check(slot.get_ref()) {
            ok = false;
            let at = string_offset(text, slot, e.range.start);
            sink.push(e.diagnostic(Span::new(file, at..at + e.range.len())));
            continue;
        }
        if let Err(e) = crate::config::render_plain(slot.get_ref(), &sample) {
            ok = false;
            sink.push(
                Diagnostic::error(Span::new(file, slot.span()), format!("invalid furniture template ({e})"))
                    .with_hint("available: {{page}}, {{pages}}, {{chapter}}, {{classification}}, {{title}}, {{subtitle}}, {{event}}, {{edition}}, {{organisation}}, {{copy}}, {{copies}}, {{recipient}}, {{position}}"),
            );
        }
    }
    let mut out = slots.map(|s| s.get_ref().clone());
    // A slot not written in the manifest has an empty span: the page number then
    // follows the book's language ("Страница 3 из 15").
    if f.footer_right.span().is_empty() {
        out[5] = meta.map_or_else(|| out[5].clone(), |m| m.locale.page_of_template());
    }
    ok.then_some(out)
}

/// The cover template: the file `[furniture] cover` names, or the shipped one. It is
/// checked by rendering it for the book (unknown names, styles and regions are errors at
/// their line and column in the template).
fn cover(
    manifest: &Manifest,
    file: FileId,
    world: &World,
    meta: Option<&Meta>,
    sources: &mut SourceMap,
    sink: &mut Sink,
) -> Option<String> {
    let Some(rel) = &manifest.furniture.cover else {
        return Some(DEFAULT_COVER.to_string());
    };
    let path = world.path(rel.get_ref());
    let text = match world.read_text(rel.get_ref(), limits::TEMPLATE_BYTES) {
        Ok(text) => text,
        Err(e) => {
            sink.push(
                Diagnostic::error(
                    Span::new(file, rel.span()),
                    format!("failed to read cover template `{}` ({e})", rel.get_ref()),
                )
                .with_hint(e.hint()),
            );
            return None;
        }
    };
    let id = sources.add(rel.get_ref().as_str(), &path, text);
    let text = &sources.get(id).text;
    if let Err(e) = crate::nesting::template::check(text) {
        sink.push(e.diagnostic(Span::new(id, e.range.clone())));
        return None;
    }
    // Without the book's facts (already an error) the template cannot be tried out.
    let Some(meta) = meta else { return Some(text.clone()) };
    match crate::config::render_cover(text, &crate::config::cover_context(meta)) {
        Ok(_) => Some(text.clone()),
        Err(e) => {
            let at = e.at.map_or(0, |(line, col)| sources.get(id).offset(line, col));
            let hint = if e.message.contains("unknown name") {
                format!("names available: {COVER_NAMES}")
            } else {
                "each line is `[region]` or `style: text`; see \"The PDF cover\" in docs/format.md".to_string()
            };
            sink.push(
                Diagnostic::error(Span::new(id, at..at), e.message).with_hint(hint),
            );
            None
        }
    }
}

/// The offset in the manifest `text` of byte `at` of the string value `value`: exact
/// when the string is written without escapes, else the start of the string.
fn string_offset(text: &str, value: &Spanned<String>, at: usize) -> usize {
    let span = value.span();
    let Some(raw) = text.get(span.clone()) else { return span.start };
    let quotes = if raw.starts_with("\"\"\"") || raw.starts_with("'''") { 3 } else { 1 };
    let mut start = quotes.min(raw.len());
    // A multi-line string drops a newline right after its opening quotes.
    if quotes == 3 {
        let rest = &raw[start..];
        start += if rest.starts_with("\r\n") {
            2
        } else {
            usize::from(rest.starts_with('\n'))
        };
    }
    match raw.get(start..) {
        Some(body) if body.starts_with(value.get_ref().as_str()) => {
            span.start + start + at
        }
        _ => span.start,
    }
}

/// The book fields furniture templates see, straight from the manifest.
fn manifest_meta_sample(manifest: &Manifest) -> crate::config::FurnitureBook {
    let b = &manifest.book;
    crate::config::FurnitureBook {
        title: b.title.clone(),
        subtitle: b.subtitle.clone().unwrap_or_default(),
        event: b.event.clone().unwrap_or_default(),
        edition: b.edition.clone().unwrap_or_default(),
        organisation: b.organisation.clone().unwrap_or_default(),
        classification: b
            .classification
            .as_ref()
            .map(|c| c.get_ref().clone())
            .unwrap_or_default(),
        // Copy values are strings (empty outside a numbered copy): any sample will do.
        copy: Default::default(),
    }
}

/// The font files in the briefing's `fonts/` folder (`.ttf` and `.otf`), read through the
/// world. A font that cannot be read is an error at the manifest's `[fonts]` table (or
/// its start): the book would otherwise silently change typeface.
fn font_files(world: &World, file: FileId, sink: &mut Sink) -> Option<Vec<FontFile>> {
    let at = Span::file_start(file);
    let names = match world.list(FONT_DIR) {
        Ok(names) => names,
        Err(e) => {
            sink.push(
                Diagnostic::error(
                    at,
                    format!("failed to read the font folder `{FONT_DIR}` ({e})"),
                )
                .with_hint(e.hint()),
            );
            return None;
        }
    };
    let mut files = Vec::new();
    let mut ok = true;
    for name in names {
        let is_font =
            std::path::Path::new(&name).extension().and_then(|e| e.to_str()).is_some_and(
                |e| e.eq_ignore_ascii_case("ttf") || e.eq_ignore_ascii_case("otf"),
            );
        if !is_font {
            continue;
        }
        match world.read(&name, limits::FONT_BYTES) {
            Ok(bytes) => files.push(FontFile::new(name, bytes)),
            Err(e) => {
                ok = false;
                sink.push(
                    Diagnostic::error(
                        at.clone(),
                        format!("failed to read font `{name}` ({e})"),
                    )
                    .with_hint(e.hint()),
                );
            }
        }
    }
    ok.then_some(files)
}

/// Checks `[output]`: the stem is a plain file name and the folder stays inside the
/// briefing folder (`--out` on the command line may point anywhere: that is the user's
/// own choice, not the briefing's).
pub(super) fn output(manifest: &Manifest, file: FileId, world: &World, sink: &mut Sink) {
    let o = &manifest.output;
    let stem = o.stem.get_ref();
    let plain = !stem.is_empty()
        && !stem.starts_with('.')
        && stem.len() <= 200
        && !stem.chars().any(|c| matches!(c, '/' | '\\' | ':') || c.is_control());
    if !plain {
        sink.push(
            Diagnostic::error(
                Span::new(file, o.stem.span()),
                format!("output stem `{}` is not a plain file name", stem.escape_debug()),
            )
            .with_hint("use a name such as \"briefing\": no folders, no leading dot; set the folder with `dir`"),
        );
    }
    if let Err(e) = world.check_output_dir(o.dir.get_ref()) {
        sink.push(
            Diagnostic::error(
                Span::new(file, o.dir.span()),
                format!("output folder `{}` is not usable ({e})", o.dir.get_ref().escape_debug()),
            )
            .with_hint("the books are written inside the briefing folder; to write elsewhere, pass `--out DIR` on the command line"),
        );
    }
}
