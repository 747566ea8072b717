//! Expansion: each section body is a handlebars template, rendered in strict mode with
//! the book metadata and the data sets in scope, before it is parsed as Markdown.

mod align;
mod filter;
mod format;
mod helpers;
mod lazy;
mod origin;
mod reads;
mod table;

pub use format::{decode_references, escape_markdown};
pub use origin::OriginMap;
pub use reads::{data_read_by, names_read};

use handlebars::template::Template;
use handlebars::{Context, Handlebars};
use serde_json::{json, Map, Value as Json};

use crate::diag::{DiagResult, Diagnostic, FileId, SourceMap, Span};
use crate::memo::{self, Memo};
use crate::source::Project;

/// A section after expansion: Markdown text plus the way back to its source.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Expanded {
    /// The section file.
    pub file: FileId,
    /// The expanded Markdown (the body only, without front matter).
    pub text: String,
    /// Maps offsets in `text` to offsets in the file.
    pub origin: OriginMap,
}

impl Expanded {
    /// The source span for a range of the expanded text.
    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file, self.origin.map(range))
    }
}

/// Expands every section of the project. Reports every section's errors.
pub fn expand_templates(
    project: &Project,
    sources: &SourceMap,
) -> DiagResult<Vec<Expanded>> {
    expand_templates_with(project, sources, &Memo::new())
}

/// What expanding one section gave, and the data sets it looked up by a name computed at
/// run time (with their digests, `None` for an unknown name).
struct Expansion {
    result: Result<Expanded, Diagnostic>,
    looked_up: Vec<(String, Option<u128>)>,
}

/// [`expand_templates`], reusing from `memo` the expansion of every section whose inputs
/// are unchanged: its text and place in the file, the `book` values, the names of all data
/// sets and the digests of those it reads.
pub fn expand_templates_with(
    project: &Project,
    sources: &SourceMap,
    memo: &Memo,
) -> DiagResult<Vec<Expanded>> {
    let book = book_context(project);
    // Helpers write numbers and dates in the book's language.
    let book_key = memo::hash128(&(book.to_string(), &*project.meta.locale));
    let names: Vec<&String> = project.data.keys().collect();
    let digest = |name: &str| project.data.get(name).map(|d| d.digest);
    // The registry is made for the first section that is not reused.
    let looked_up = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut registry_made: Option<Handlebars<'_>> = None;

    let mut out = Vec::new();
    let mut errors = Vec::new();
    for section in &project.sections {
        let file = sources.get(section.file);
        let body = &file.text[section.body_start..];
        let line_base = file.text[..section.body_start].matches('\n').count();
        let read = names_read(memo, body, &project.data);
        let reads: Vec<(&String, Option<u128>)> =
            read.iter().map(|n| (n, digest(n))).collect();
        let inputs = (
            &file.name,
            section.file,
            section.body_start,
            line_base,
            body,
            book_key,
            &names,
            reads,
        );
        let expansion = memo.get_or_valid(
            "expand",
            &inputs,
            |e: &Expansion| e.looked_up.iter().all(|(n, d)| digest(n) == *d),
            || {
                let hb =
                    registry_made.get_or_insert_with(|| registry(project, &looked_up));
                if let Ok(mut names) = looked_up.lock() {
                    names.clear();
                }
                let result = expand_section(hb, project, sources, section);
                let looked_up = looked_up.lock().map(|n| n.clone()).unwrap_or_default();
                let looked_up = looked_up
                    .into_iter()
                    .map(|n| {
                        let d = digest(&n);
                        (n, d)
                    })
                    .collect();
                Expansion { result, looked_up }
            },
        );
        match &expansion.result {
            Ok(expanded) => out.push(expanded.clone()),
            Err(e) => errors.push(e.clone()),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Expands one section's body.
fn expand_section(
    hb: &mut Handlebars<'_>,
    project: &Project,
    sources: &SourceMap,
    section: &crate::source::SectionFile,
) -> Result<Expanded, Diagnostic> {
    let file = sources.get(section.file);
    let body = &file.text[section.body_start..];
    // handlebars recurses into blocks and subexpressions.
    if let Err(e) = crate::nesting::template::check(body) {
        let e = e.shifted(section.body_start);
        return Err(e.diagnostic(Span::new(section.file, e.range.clone())));
    }
    let line_base = file.text[..section.body_start].matches('\n').count();
    match expand_one(hb, &file.name, body, |t| context(project, body, t)) {
        Ok(text) => Ok(Expanded {
            file: section.file,
            origin: OriginMap::new(body, section.body_start, &text),
            text,
        }),
        Err((line, col, message)) => {
            let offset = match line {
                Some(l) => file.offset(l + line_base, col.unwrap_or(1)),
                None => section.body_start,
            };
            let end =
                file.text[offset..].find('\n').map_or(file.text.len(), |i| offset + i);
            let end = file.text[offset..end].find("}}").map_or(end, |i| offset + i + 2);
            let mut d =
                Diagnostic::error(Span::new(section.file, offset..end), message.clone());
            if message.starts_with("unknown name") {
                d = d.with_hint(
                    "names available here: `book.*` (the manifest's [book]) and `data.NAME` for each data set",
                );
            }
            Err(d)
        }
    }
}

type ExpandError = (Option<usize>, Option<usize>, String);

/// Renders `body` with the context `ctx` makes from its parse tree.
fn expand_one(
    hb: &mut Handlebars<'_>,
    name: &str,
    body: &str,
    ctx: impl FnOnce(&Template) -> Json,
) -> Result<String, ExpandError> {
    // Text without a mustache renders as itself; handlebars' parser would cost several
    // hundred instructions per byte to find that out (a megabyte takes 0.2 s).
    if !body.contains("{{") {
        return Ok(body.to_string());
    }
    if let Err(e) = hb.register_template_string(name, body) {
        let (line, col) = e.pos().map_or((None, None), |(l, c)| (Some(l), Some(c)));
        return Err((line, col, format!("invalid template ({})", e.reason())));
    }
    let ctx = hb.get_template(name).map(ctx).unwrap_or(Json::Null);
    // `Context::from` takes the JSON as it is; `render` would serialise a copy of it.
    let result = hb.render_with_context(name, &Context::from(ctx)).map_err(|e| {
        let reason = match e.reason() {
            handlebars::RenderErrorReason::MissingVariable(Some(path)) => {
                format!("unknown name `{path}` in template")
            }
            handlebars::RenderErrorReason::Other(m) => m.clone(),
            other => other.to_string(),
        };
        (e.line_no, e.column_no, reason)
    });
    hb.unregister_template(name);
    result
}

/// A handlebars registry with our helpers, in strict mode.
fn registry<'a>(
    project: &'a Project,
    looked_up: &std::sync::Arc<std::sync::Mutex<Vec<String>>>,
) -> Handlebars<'a> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(escape_markdown);
    let locale = &project.meta.locale;
    helpers::register(&mut hb, Some(&project.data), locale);
    hb.register_helper(
        "table",
        Box::new(table::TableHelper {
            data: &project.data,
            locale,
            looked_up: looked_up.clone(),
        }),
    );
    hb
}

/// What the template `body` (parsed: `template`) can see: `book.*` and `data.*`. Only
/// the data sets it can name are converted (a template reads `data.NAME` or
/// `data.[NAME]`; one that uses `data` as a whole gets them all), so expanding one
/// section does not cost the conversion of every data set; and a CSV data set the
/// template only counts, sums or searches (or names only in a string) is a placeholder
/// that those helpers resolve (see [`lazy`]).
fn context(project: &Project, body: &str, template: &Template) -> Json {
    let read: Vec<(&String, &crate::source::DataSet)> =
        data_read_by(body, &project.data).collect();
    let no_rows = lazy::needs_no_rows(template, read.iter().map(|(n, _)| n.as_str()));
    let data: Map<String, Json> = read
        .iter()
        .map(|&(name, set)| {
            let value = if set.tree.is_none() && no_rows.contains(name.as_str()) {
                lazy::placeholder(name)
            } else {
                set.to_json()
            };
            (name.clone(), value)
        })
        .collect();
    json!({ "book": book_context(project), "data": data })
}

/// `book.*`: the manifest's facts.
fn book_context(project: &Project) -> Json {
    let m = &project.meta;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    json!({
        "title": m.title,
        "subtitle": m.subtitle,
        "event": m.event,
        "venue": m.venue,
        "start-date": date(m.start_date),
        "end-date": date(m.end_date),
        "organisation": m.organisation,
        "classification": m.classification,
        "language": m.language,
        "edition": m.edition,
        "issue-date": date(Some(m.issue_date)),
        "authors": m.authors,
        "description": m.description,
        "subjects": m.subjects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_mustaches_is_its_own_expansion() {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(escape_markdown);
        for text in [
            "# Title\n\nPlain *text* with } and { and }} and \\{ and \\\\.\r\n",
            "  indented\n\n\t- list\n~ tilde } { \\}} \u{feff}Ω 阿斯塔纳\n",
            "",
        ] {
            let ctx = json!({});
            let rendered = hb.render_template(text, &ctx).unwrap();
            assert_eq!(rendered, text, "handlebars changed {text:?}");
            let ours = expand_one(&mut hb, "t", text, |_| ctx.clone()).unwrap();
            assert_eq!(ours, text);
        }
    }
}
