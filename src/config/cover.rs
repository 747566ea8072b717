//! The PDF cover as a handlebars template. The template's output is a small line-oriented
//! description of the page, which layout turns into positioned text and rules:
//!
//! ```text
//! [middle]
//! title: Second China–Central Asia Summit
//! rule:
//! meta: 16–18 June 2025
//! ```
//!
//! `[region]` lines say where the following elements go (`header`, `top`, `middle`,
//! `foot`, `footer`); every other non-blank line is `style: text`. An element whose text
//! is empty is left out, so optional book fields need no `{{#if}}`.

use handlebars::Handlebars;
use serde_json::{json, Value as Json};

use super::meta::Meta;

/// The cover shipped with briefbook, used unless `[furniture] cover` names another.
pub const DEFAULT_COVER: &str = include_str!("../../templates/pdf/cover.hbs");

/// Where on the cover a block of elements goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverRegion {
    /// Centred in the top margin (the classification marking).
    Header,
    /// From the top of the text area down.
    Top,
    /// From a little above the middle of the text area down (the title block).
    Middle,
    /// Ending at the foot of the text area.
    Foot,
    /// Centred in the bottom margin.
    Footer,
}

/// How a cover element is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverStyle {
    /// An accent bar across the page at its `top` or `bottom` edge (takes no room).
    Band,
    /// Bold, red, centred capitals: the classification marking.
    Marking,
    /// Bold grey capitals: the issuing organisation.
    Organisation,
    /// The title: large, bold, accent colour.
    Title,
    /// The subtitle: medium, grey.
    Subtitle,
    /// The event: bold.
    Event,
    /// Venue, dates and other facts.
    Meta,
    /// Small grey print: edition, issue date, authors.
    Small,
    /// A short accent rule, with space above and below.
    Rule,
    /// Empty space, `spacer: 2` for two lines (one if no number is given).
    Spacer,
}

impl CoverStyle {
    /// Every style, by its name in templates.
    pub const NAMES: [(&'static str, CoverStyle); 10] = [
        ("band", CoverStyle::Band),
        ("marking", CoverStyle::Marking),
        ("organisation", CoverStyle::Organisation),
        ("title", CoverStyle::Title),
        ("subtitle", CoverStyle::Subtitle),
        ("event", CoverStyle::Event),
        ("meta", CoverStyle::Meta),
        ("small", CoverStyle::Small),
        ("rule", CoverStyle::Rule),
        ("spacer", CoverStyle::Spacer),
    ];

    fn from_name(name: &str) -> Option<CoverStyle> {
        Self::NAMES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }
}

const REGIONS: [(&str, CoverRegion); 5] = [
    ("header", CoverRegion::Header),
    ("top", CoverRegion::Top),
    ("middle", CoverRegion::Middle),
    ("foot", CoverRegion::Foot),
    ("footer", CoverRegion::Footer),
];

/// One element of the cover.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverLine {
    /// Where it goes.
    pub region: CoverRegion,
    /// How it is set.
    pub style: CoverStyle,
    /// Its text (for `band`: `top` or `bottom`; for `spacer`: the number of lines).
    pub text: String,
}

/// A problem in a cover template, at a 1-based line and column of the template if known.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverError {
    /// What is wrong.
    pub message: String,
    /// Where, as (line, column).
    pub at: Option<(usize, usize)>,
}

/// The values in scope for a cover template: the book's facts, formatted for print.
pub fn cover_context(meta: &Meta) -> Json {
    let l = &meta.locale;
    let issue_date = l.date(meta.issue_date);
    let authors = meta.authors.join(", ");
    let prepared_by = match authors.is_empty() {
        true => String::new(),
        false => l.label("prepared-by", &[("authors", &authors)]),
    };
    let copy = super::CopyFields::of(meta.copy.as_ref());
    let copy_line = match &meta.copy {
        None => String::new(),
        Some(_) => l.label(
            "copy-issued",
            &[
                ("copy", &copy.copy),
                ("copies", &copy.copies),
                ("recipient", &copy.recipient),
            ],
        ),
    };
    let mut context = json!({
        "title": meta.title,
        "subtitle": meta.subtitle.clone().unwrap_or_default(),
        "event": meta.event.clone().unwrap_or_default(),
        "venue": meta.venue.clone().unwrap_or_default(),
        "dates": meta.event_dates().unwrap_or_default(),
        // Markings are printed in capitals, as protocol requires.
        "classification": meta.classification.trim().to_uppercase(),
        "edition": meta.edition.clone().unwrap_or_default(),
        "issued": l.label("issued", &[("date", &issue_date)]),
        "issue-date": issue_date,
        "organisation": meta.organisation.clone().unwrap_or_default(),
        "prepared-by": prepared_by,
        "authors": authors,
        "copy-line": copy_line,
    });
    copy.insert_into(&mut context);
    context
}

/// The names a cover template can use, for hints.
pub const COVER_NAMES: &str =
    "{{title}}, {{subtitle}}, {{event}}, {{venue}}, {{dates}}, \
    {{classification}}, {{edition}}, {{issued}}, {{issue-date}}, {{organisation}}, \
    {{prepared-by}}, {{authors}}, {{copy-line}}, {{copy}}, {{copies}}, {{recipient}}, \
    {{position}}";

/// Renders a cover template (strict: an unknown name is an error) and reads its output.
pub fn render_cover(
    template: &str,
    context: &Json,
) -> Result<Vec<CoverLine>, CoverError> {
    if let Err(e) = crate::nesting::template::check(template) {
        let at = Some(line_col(template, e.range.start));
        return Err(CoverError { message: e.message(), at });
    }
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    // The output is plain text for the page, not HTML.
    hb.register_escape_fn(handlebars::no_escape);
    if let Err(e) = hb.register_template_string("cover", template) {
        return Err(CoverError {
            message: format!("invalid cover template ({})", e.reason()),
            at: e.pos(),
        });
    }
    let text = hb.render("cover", context).map_err(|e| {
        let reason = match e.reason() {
            handlebars::RenderErrorReason::MissingVariable(Some(p)) => {
                format!("unknown name `{p}`")
            }
            other => other.to_string(),
        };
        let at = e.line_no.zip(e.column_no);
        CoverError { message: format!("invalid cover template ({reason})"), at }
    })?;
    parse(&text).map_err(|(message, token)| CoverError {
        at: locate(template, &token),
        message: format!("invalid cover template ({message})"),
    })
}

/// Reads the rendered description. An error names the offending token, so the caller
/// can find it in the template.
fn parse(text: &str) -> Result<Vec<CoverLine>, (String, String)> {
    let mut region = CoverRegion::Middle;
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim();
            region = match REGIONS.iter().find(|(n, _)| *n == name) {
                Some((_, r)) => *r,
                None => {
                    return Err((
                        format!("unknown region `[{name}]`; use [header], [top], [middle], [foot] or [footer]"),
                        format!("[{name}]"),
                    ))
                }
            };
            continue;
        }
        let Some((name, text)) = line.split_once(':') else {
            return Err((format!("`{line}` is not `style: text`"), line.to_string()));
        };
        let name = name.trim();
        let Some(style) = CoverStyle::from_name(name) else {
            let known: Vec<&str> = CoverStyle::NAMES.iter().map(|(n, _)| *n).collect();
            return Err((
                format!("unknown cover style `{name}`; use one of {}", known.join(", ")),
                format!("{name}:"),
            ));
        };
        let text = text.trim().to_string();
        let bad = match style {
            CoverStyle::Band => !matches!(text.as_str(), "top" | "bottom"),
            CoverStyle::Rule => !text.is_empty(),
            CoverStyle::Spacer => {
                !text.is_empty()
                    && !text.parse::<f64>().is_ok_and(|n| (0.0..=40.0).contains(&n))
            }
            _ => false,
        };
        if bad {
            let want = match style {
                CoverStyle::Band => "`band: top` or `band: bottom`",
                CoverStyle::Rule => "`rule:` with no text",
                _ => "`spacer:` with a number of lines from 0 to 40",
            };
            return Err((format!("`{line}`: write {want}"), format!("{name}:")));
        }
        let empty_text =
            !matches!(style, CoverStyle::Band | CoverStyle::Rule | CoverStyle::Spacer)
                && text.is_empty();
        if !empty_text {
            out.push(CoverLine { region, style, text });
        }
    }
    Ok(out)
}

/// The 1-based line and column of the first occurrence of `token` in `template`.
fn locate(template: &str, token: &str) -> Option<(usize, usize)> {
    Some(line_col(template, template.find(token)?))
}

/// The 1-based line and column of byte `at` in `template`.
fn line_col(template: &str, at: usize) -> (usize, usize) {
    let before = &template[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Meta {
        let date = chrono::NaiveDate::from_ymd_opt(2025, 6, 12).unwrap();
        Meta {
            title: "Summit".into(),
            subtitle: None,
            event: Some("Second Summit".into()),
            venue: Some("Astana".into()),
            start_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 16),
            end_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 18),
            organisation: Some("Secretariat".into()),
            classification: "Restricted".into(),
            language: "en".into(),
            edition: None,
            issue_date: date,
            timestamp: date.and_time(chrono::NaiveTime::MIN).and_utc(),
            authors: vec![],
            description: None,
            subjects: vec![],
            identifier: uuid::Uuid::nil(),
            accessibility_certifier: None,
            locale: Default::default(),
            pdf_standards: Vec::new(),
            copy: None,
        }
    }

    #[test]
    fn the_default_cover_lists_the_book_facts_and_drops_empty_ones() {
        let lines = render_cover(DEFAULT_COVER, &cover_context(&meta())).unwrap();
        let find = |s: CoverStyle| -> Vec<&str> {
            lines.iter().filter(|l| l.style == s).map(|l| l.text.as_str()).collect()
        };
        assert_eq!(find(CoverStyle::Title), ["Summit"]);
        assert_eq!(find(CoverStyle::Marking), ["RESTRICTED", "RESTRICTED"]);
        assert_eq!(find(CoverStyle::Meta), ["Astana", "16–18 June 2025"]);
        assert_eq!(find(CoverStyle::Small), ["Issued 12 June 2025"]);
        assert!(find(CoverStyle::Subtitle).is_empty(), "no subtitle, no line");
        assert_eq!(lines[0].region, CoverRegion::Header);
        assert_eq!(lines.last().unwrap().region, CoverRegion::Footer);
    }

    #[test]
    fn errors_point_into_the_template() {
        let ctx = cover_context(&meta());
        let e = render_cover("[top]\ntitle: {{titel}}\n", &ctx).unwrap_err();
        assert!(e.message.contains("`titel`"), "{}", e.message);
        assert_eq!(e.at.map(|a| a.0), Some(2));
        let e = render_cover("[top]\n  headline: {{title}}\n", &ctx).unwrap_err();
        assert!(e.message.contains("unknown cover style `headline`"), "{}", e.message);
        assert_eq!(e.at, Some((2, 3)));
        let e = render_cover("[side]\n", &ctx).unwrap_err();
        assert_eq!(e.at, Some((1, 1)));
        assert!(render_cover("title {{title}}\n", &ctx).is_err());
        assert!(render_cover("band: left\n", &ctx).is_err());
        assert!(render_cover("spacer: many\n", &ctx).is_err());
        assert_eq!(render_cover("spacer: 2\nrule:\n", &ctx).unwrap().len(), 2);
    }

    #[test]
    fn text_is_not_escaped() {
        let lines = render_cover("title: A & B <C>\n", &json!({})).unwrap();
        assert_eq!(lines[0].text, "A & B <C>");
    }
}
