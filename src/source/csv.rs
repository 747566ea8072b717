//! CSV data files: a header row, then one record per line; column types inferred.

use super::data::{parse_cell, ColumnType, DataColumn, DataRow, DataSet, Value};
use crate::diag::{DiagResult, Diagnostic, FileId, Span};

/// Parses a CSV data file. Types are inferred here; the manifest may override them.
pub(super) fn parse(file: FileId, text: &str) -> DiagResult<DataSet> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| vec![csv_error(file, text, &e)])?.clone();
    let mut errors = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for h in &headers {
        let name = h.trim().to_string();
        if name.is_empty() || names.contains(&name) {
            let what = if name.is_empty() {
                "an empty column name"
            } else {
                "a repeated column name"
            };
            errors.push(
                Diagnostic::error(
                    line_span(file, text, 0),
                    format!("the header row has {what}"),
                )
                .with_hint("every column needs a unique name in the first row"),
            );
        }
        names.push(name);
    }

    let mut raw_rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => {
                let start = r.position().map_or(0, |p| p.byte() as usize);
                let span = line_span(file, text, start);
                raw_rows.push((r.iter().map(str::to_string).collect::<Vec<_>>(), span));
            }
            Err(e) => errors.push(csv_error(file, text, &e)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let columns: Vec<DataColumn> = names
        .iter()
        .enumerate()
        .map(|(i, name)| DataColumn {
            name: name.clone(),
            ty: infer(raw_rows.iter().map(|(cells, _)| cells[i].as_str())),
            unit: None,
            label: None,
            decimals: None,
            lang: None,
        })
        .collect();
    let rows = raw_rows
        .into_iter()
        .map(|(cells, span)| {
            let values = cells
                .iter()
                .zip(&columns)
                .map(|(c, col)| {
                    parse_cell(c, col.ty).unwrap_or_else(|| Value::Text(c.clone()))
                })
                .collect();
            DataRow { values, span }
        })
        .collect();
    Ok(DataSet { name: String::new(), file, source: None, columns, rows, tree: None })
}

/// The narrowest type every non-empty cell parses as.
fn infer<'a>(cells: impl Iterator<Item = &'a str> + Clone) -> ColumnType {
    let non_empty = cells.filter(|c| !c.trim().is_empty());
    if non_empty.clone().next().is_none() {
        return ColumnType::Text;
    }
    for ty in [ColumnType::Integer, ColumnType::Number, ColumnType::Date] {
        if non_empty.clone().all(|c| parse_cell(c, ty).is_some()) {
            return ty;
        }
    }
    ColumnType::Text
}

/// The whole line that starts at or contains byte `start`, without its newline.
fn line_span(file: FileId, text: &str, start: usize) -> Span {
    let start = start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = if text[..end].ends_with('\r') { end - 1 } else { end };
    Span::new(file, line_start..end)
}

/// A CSV error at the record it concerns.
fn csv_error(file: FileId, text: &str, error: &csv::Error) -> Diagnostic {
    let start = error.position().map_or(0, |p| p.byte() as usize);
    let span = line_span(file, text, start);
    match error.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => Diagnostic::error(
            span,
            format!("this row has {len} fields but the header has {expected_len}"),
        )
        .with_hint("add or remove fields; quote a field that contains a comma"),
        csv::ErrorKind::Utf8 { .. } => {
            Diagnostic::error(span, "the file is not valid UTF-8")
        }
        _ => Diagnostic::error(span, format!("failed to parse CSV ({error})")),
    }
}
