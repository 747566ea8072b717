//! CSV data files: a header row, then one record per line; column types inferred.
//!
//! One pass reads the records into one text buffer per column and notes, per column,
//! which types every cell so far parses as; then each column is converted once to its
//! type. No record is kept as strings of its own (a 50 MB file has five million cells).

use super::data::{parse_cell, ColumnType, DataColumn, DataSet};
use super::rows::RowsBuilder;
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

    let mut raw: Vec<RawColumn> = names.iter().map(|_| RawColumn::default()).collect();
    let mut spans = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let start = record.position().map_or(0, |p| p.byte() as usize);
                spans.push(line_span(file, text, start).range);
                for (column, cell) in raw.iter_mut().zip(record.iter()) {
                    column.push(cell);
                }
            }
            Err(e) => errors.push(csv_error(file, text, &e)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let columns: Vec<DataColumn> = names
        .iter()
        .zip(&raw)
        .map(|(name, column)| DataColumn {
            name: name.clone(),
            ty: column.ty(),
            unit: None,
            label: None,
            decimals: None,
            written_decimals: column.decimals,
            lang: None,
        })
        .collect();
    let mut rows = RowsBuilder::new(columns.len());
    for range in spans {
        rows.push_span(range);
    }
    for (i, (column, col)) in raw.into_iter().zip(&columns).enumerate() {
        for cell in column.cells() {
            // Every cell parses as the inferred type; a text fallback keeps it if not.
            let value = parse_cell(cell, col.ty)
                .unwrap_or_else(|| super::data::Value::Text(cell.to_string()));
            rows.push_cell(i, value);
        }
    }
    let rows = rows.finish();
    Ok(DataSet {
        name: String::new(),
        file,
        source: None,
        columns,
        rows,
        tree: None,
        digest: 0,
    })
}

/// One column's cells as read, and the types all its non-empty cells parse as.
#[derive(Debug)]
struct RawColumn {
    text: String,
    ends: Vec<usize>,
    /// Whether every non-empty cell so far is an integer, a number, a date.
    fits: [bool; 3],
    any: bool,
    /// The most decimal places written in a cell that reads as a number.
    decimals: u8,
}

impl Default for RawColumn {
    fn default() -> Self {
        Self {
            text: String::new(),
            ends: Vec::new(),
            fits: [true; 3],
            any: false,
            decimals: 0,
        }
    }
}

/// The types a column may be inferred as, narrowest first.
const INFERRED: [ColumnType; 3] =
    [ColumnType::Integer, ColumnType::Number, ColumnType::Date];

impl RawColumn {
    fn push(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.ends.push(self.text.len());
        if cell.trim().is_empty() {
            return;
        }
        self.any = true;
        for (fits, ty) in self.fits.iter_mut().zip(INFERRED) {
            *fits = *fits && parse_cell(cell, ty).is_some();
        }
        self.decimals = self.decimals.max(written_decimals(cell));
    }

    /// The narrowest type every non-empty cell parses as.
    fn ty(&self) -> ColumnType {
        if !self.any {
            return ColumnType::Text;
        }
        INFERRED
            .into_iter()
            .zip(self.fits)
            .find(|(_, fits)| *fits)
            .map_or(ColumnType::Text, |(ty, _)| ty)
    }

    fn cells(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(start, &end)| &self.text[start..end])
    }
}

/// The decimal places `cell` is written with if it reads as a number in plain
/// notation (`69.0` → 1, `-2.25` → 2, `1e3` and text → 0), at most 6 (more is
/// binary noise from an export, not precision anyone measured).
fn written_decimals(cell: &str) -> u8 {
    let t = cell.trim();
    let plain = t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'));
    match t.split_once('.') {
        Some((_, frac)) if plain && t.parse::<f64>().is_ok() => frac.len().min(6) as u8,
        _ => 0,
    }
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
