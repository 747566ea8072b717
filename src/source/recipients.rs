//! Numbered copies: an edition's `recipients` data set, read into the list of copies it
//! makes (one PDF per row), with each copy's watermark rendered.
//!
//! The data set is a CSV file with a `copy` column (whole numbers: each of 1 … N once,
//! N being the number of rows) and a `recipient` column (never empty); a `position`
//! column is optional, and every column is available to the watermark template.

use std::collections::BTreeMap;

use serde_json::{json, Value as Json};

use super::data::{DataSet, Value};
use super::manifest::EditionSection;
use crate::config::{CopyMark, Meta};
use crate::diag::{Diagnostic, FileId, Sink, Span};

/// The numbered copies of an edition.
#[derive(Debug, Clone, PartialEq)]
pub struct Recipients {
    /// The data set they come from (`[data.NAME]`).
    pub data: String,
    /// One entry per copy, by copy number.
    pub copies: Vec<CopyMark>,
    /// Whether each copy gets an EPUB of its own (else the edition has one EPUB).
    pub copy_epubs: bool,
}

/// The values a watermark template can use, for hints.
const WATERMARK_NAMES: &str = "{{copy}}, {{copies}}, {{recipient}}, {{position}}, \
    {{title}}, {{classification}}, {{edition}} and the data set's other columns";

/// Reads the copies of `edition` from its `recipients` data set. Problems are reported
/// to `sink` at the manifest entry or the data file's row; `None` then.
pub(super) fn load(
    edition: &EditionSection,
    data: &BTreeMap<String, DataSet>,
    meta: Option<&Meta>,
    file: FileId,
    sink: &mut Sink,
) -> Option<Recipients> {
    let Some(name) = &edition.recipients else {
        if let Some(w) = &edition.watermark {
            sink.push(
                Diagnostic::error(
                    Span::new(file, w.span()),
                    "a watermark needs numbered copies",
                )
                .with_hint("name the copies' data set with `recipients = \"NAME\"`"),
            );
        }
        return None;
    };
    let at = Span::new(file, name.span());
    let Some(set) = data.get(name.get_ref()) else {
        // A data set that failed to load has reported its own error.
        let known: Vec<&str> = data.keys().map(String::as_str).collect();
        sink.push(
            Diagnostic::error(at, format!("no data set `{}`", name.get_ref())).with_hint(
                format!(
                    "declare it with `[data.{}] path = \"data/recipients.csv\"`{}",
                    name.get_ref(),
                    if known.is_empty() {
                        String::new()
                    } else {
                        format!(" (data sets: {})", known.join(", "))
                    }
                ),
            ),
        );
        return None;
    };
    if set.tree.is_some() {
        sink.push(
            Diagnostic::error(at, format!("`{}` is not a CSV data set", name.get_ref()))
                .with_hint(
                "recipients are rows of a CSV file with `copy` and `recipient` columns",
            ),
        );
        return None;
    }
    let header = header_span(set);
    let column = |wanted: &str, sink: &mut Sink| {
        let found = set.column(wanted);
        if found.is_none() {
            sink.push(
                Diagnostic::error(
                    header.clone(),
                    format!("the recipients have no `{wanted}` column"),
                )
                .with_hint(format!(
                    "a recipients file needs `copy` and `recipient` columns (it has {})",
                    set.column_names()
                )),
            );
        }
        found
    };
    let copy_col = column("copy", sink);
    let recipient_col = column("recipient", sink);
    let (Some(copy_col), Some(recipient_col)) = (copy_col, recipient_col) else {
        return None;
    };
    let position_col = set.column("position");
    let total = set.rows.len();
    if total == 0 {
        sink.push(
            Diagnostic::error(header, "the recipients file lists no copies")
                .with_hint("add one row per copy under the header"),
        );
        return None;
    }

    let mut first_row: Vec<Option<usize>> = vec![None; total + 1];
    let mut copies = Vec::with_capacity(total);
    let mut ok = true;
    for (i, row) in set.rows.iter().enumerate() {
        let here = Span::new(set.file, row.range());
        let number = match row.value(copy_col) {
            Value::Integer(n) => usize::try_from(n).ok(),
            Value::Number(n) if n.fract() == 0.0 && n >= 0.0 => Some(n as usize),
            _ => None,
        };
        let Some(number) = number.filter(|n| (1..=total).contains(n)) else {
            ok = false;
            sink.push(
                Diagnostic::error(
                    here,
                    format!(
                        "copy number `{}` is not one of 1 to {total}",
                        text(&row.value(copy_col))
                    ),
                )
                .with_hint(format!("number the {total} copies 1 to {total}, each once")),
            );
            continue;
        };
        if let Some(first) = first_row[number] {
            ok = false;
            sink.push(
                Diagnostic::error(here, format!("copy {number} is listed twice"))
                    .with_hint(format!("row {} already has copy {number}", first + 2)),
            );
            continue;
        }
        first_row[number] = Some(i);
        let recipient = text(&row.value(recipient_col));
        if recipient.is_empty() {
            ok = false;
            sink.push(
                Diagnostic::error(here, format!("copy {number} has no recipient"))
                    .with_hint("name the role or office the copy is issued to"),
            );
            continue;
        }
        let position = position_col.map(|c| text(&row.value(c))).unwrap_or_default();
        let mut mark =
            CopyMark { number, copies: total, recipient, position, watermark: None };
        if let Some(template) = &edition.watermark {
            let mut context = json!({});
            if let Json::Object(map) = &mut context {
                for (c, column) in set.columns.iter().enumerate() {
                    map.insert(column.name.clone(), text(&row.value(c)).into());
                }
                if let Some(meta) = meta {
                    map.insert("title".into(), meta.title.clone().into());
                    let marking = meta.classification.trim().to_uppercase();
                    map.insert("classification".into(), marking.into());
                    let edition = meta.edition.clone().unwrap_or_default();
                    map.insert("edition".into(), edition.into());
                }
            }
            crate::config::CopyFields::of(Some(&mark)).insert_into(&mut context);
            match crate::config::render_plain(template.get_ref(), &context) {
                Ok(rendered) => {
                    let rendered =
                        rendered.split_whitespace().collect::<Vec<_>>().join(" ");
                    mark.watermark = (!rendered.is_empty()).then_some(rendered);
                }
                Err(e) => {
                    sink.push(
                        Diagnostic::error(
                            Span::new(file, template.span()),
                            format!("invalid watermark template ({e})"),
                        )
                        .with_hint(format!("available: {WATERMARK_NAMES}")),
                    );
                    return None;
                }
            }
        }
        copies.push(mark);
    }
    if !ok {
        return None;
    }
    copies.sort_by_key(|c| c.number);
    Some(Recipients {
        data: name.get_ref().clone(),
        copies,
        copy_epubs: edition.copy_epubs,
    })
}

/// A cell as plain text, trimmed.
fn text(value: &Value) -> String {
    match value {
        Value::Empty => String::new(),
        Value::Text(t) => t.trim().to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
    }
}

/// The header row of a CSV data set: from the file's start to its first row.
fn header_span(set: &DataSet) -> Span {
    let end = set.rows.get(0).map_or(0, |r| r.range().start);
    Span::new(set.file, 0..end.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cells_are_trimmed_and_numbers_print_plainly() {
        assert_eq!(text(&Value::Text("  Trade adviser ".into())), "Trade adviser");
        assert_eq!(text(&Value::Integer(7)), "7");
        assert_eq!(text(&Value::Empty), "");
    }
}
