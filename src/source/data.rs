//! Data sets: CSV tables with typed columns, and TOML tables.

use chrono::NaiveDate;

use super::manifest::{ColumnSection, DataSection};
use super::rows::{Row, Rows};
use crate::diag::{DiagResult, Diagnostic, FileId, SourceMap, Span};
use crate::limits;
use crate::world::{FileError, World};

/// The type of a data column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// A decimal number (`94.8`).
    Number,
    /// A whole number (`2024`).
    Integer,
    /// A calendar date (`2025-06-16`).
    Date,
    /// Any text.
    Text,
}

impl ColumnType {
    fn parse(name: &str) -> Option<Self> {
        match name {
            "number" => Some(Self::Number),
            "integer" => Some(Self::Integer),
            "date" => Some(Self::Date),
            "text" => Some(Self::Text),
            _ => None,
        }
    }

    /// Whether values of this type are numbers.
    pub fn is_numeric(self) -> bool {
        matches!(self, Self::Number | Self::Integer)
    }
}

/// One typed cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An empty cell.
    Empty,
    /// A decimal number.
    Number(f64),
    /// A whole number.
    Integer(i64),
    /// A date.
    Date(NaiveDate),
    /// Text.
    Text(String),
}

impl Value {
    /// The value as a number, if it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::Integer(i) => Some(*i as f64),
            _ => None,
        }
    }

    /// The value as JSON for templates (dates as ISO strings).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Empty => serde_json::Value::Null,
            Value::Number(n) => serde_json::Number::from_f64(*n)
                .map_or(serde_json::Value::Null, Into::into),
            Value::Integer(i) => (*i).into(),
            Value::Date(d) => d.format("%Y-%m-%d").to_string().into(),
            Value::Text(t) => t.clone().into(),
        }
    }
}

/// A column of a data set.
#[derive(Debug, Clone, PartialEq)]
pub struct DataColumn {
    /// The name in the header row.
    pub name: String,
    /// Declared or inferred type.
    pub ty: ColumnType,
    /// The unit, from the manifest.
    pub unit: Option<String>,
    /// The heading for tables, from the manifest.
    pub label: Option<String>,
    /// Decimal places for tables, from the manifest.
    pub decimals: Option<u8>,
    /// The most decimal places written in any number cell of a CSV column (`69.0`
    /// has one); for a TOML data set, which keeps no written form, the fewest that show
    /// each float as written (at most 3).
    pub written_decimals: u8,
    /// The language of the column's text, from the manifest (`None`: the book's).
    pub lang: Option<ColumnLang>,
}

/// Where a text column's language comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnLang {
    /// One language for every row (BCP 47).
    Fixed(String),
    /// Each row's language is in this column (by index); an empty cell means the
    /// book's language.
    PerRow(usize),
}

impl DataColumn {
    /// The decimal places every number of this column is shown with: the declared
    /// `decimals`, else as many as the most precise cell was written with, so a column
    /// reads consistently (`57.0`, `57.7`, never `57`, `57.7`).
    pub fn shown_decimals(&self) -> usize {
        usize::from(self.decimals.unwrap_or(self.written_decimals))
    }

    /// The language of this column's value in `row`, if one is declared.
    pub fn lang_of(&self, row: Row<'_>) -> Option<String> {
        match &self.lang {
            Some(ColumnLang::Fixed(tag)) => Some(tag.clone()),
            Some(ColumnLang::PerRow(i)) => match row.value(*i) {
                Value::Text(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
                _ => None,
            },
            None => None,
        }
    }
}

/// A named data set.
#[derive(Debug, Clone, PartialEq)]
pub struct DataSet {
    /// Its name in `[data.NAME]`.
    pub name: String,
    /// The file it was read from.
    pub file: FileId,
    /// The default source line for tables and charts.
    pub source: Option<String>,
    /// The columns (empty for a TOML data set without `[[rows]]`).
    pub columns: Vec<DataColumn>,
    /// The rows (one value per column), stored by column.
    pub rows: Rows,
    /// For TOML data sets, the whole table as JSON.
    pub tree: Option<serde_json::Value>,
    /// A 128-bit hash of everything the data set was made from (its name, file, text and
    /// manifest entry): equal digests mean equal data sets. Steps that read a data set
    /// key their results with it.
    pub digest: u128,
}

impl DataSet {
    /// The index of a column.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The column names, for hints.
    pub fn column_names(&self) -> String {
        self.columns
            .iter()
            .map(|c| format!("`{}`", c.name))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The value templates see as `data.NAME`.
    pub fn to_json(&self) -> serde_json::Value {
        if let Some(tree) = &self.tree {
            return tree.clone();
        }
        serde_json::Value::Array(self.rows.iter().map(|row| self.row_json(row)).collect())
    }

    /// One row as templates see it: an object keyed by column name.
    pub fn row_json(&self, row: Row<'_>) -> serde_json::Value {
        let obj = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.clone(), row.value(i).to_json()))
            .collect::<serde_json::Map<_, _>>();
        serde_json::Value::Object(obj)
    }
}

/// Reads the data set `[data.NAME]` (`span` points at its entry in the manifest).
pub(super) fn load(
    world: &World,
    name: &str,
    spec: &DataSection,
    span: Span,
    sources: &mut SourceMap,
) -> DiagResult<DataSet> {
    let rel = spec.path.get_ref();
    let manifest_file = span.file;
    let path = world.path(rel);
    let text = world.read_text(rel, limits::DATA_BYTES).map_err(|e| {
        let hint = match e {
            FileError::TooLarge { .. } => {
                "aggregate the data before the build, or split it into data sets"
            }
            _ => e.hint(),
        };
        vec![Diagnostic::error(
            Span::new(manifest_file, spec.path.span()),
            format!("failed to read data file `{rel}` ({e})"),
        )
        .with_hint(hint)]
    })?;
    let file = sources.add(rel.as_str(), &path, text);
    let text = &sources.get(file).text;
    let mut set = if rel.ends_with(".csv") {
        super::csv::parse(file, text)?
    } else if rel.ends_with(".toml") {
        super::toml_data::parse(file, text)?
    } else {
        return Err(vec![Diagnostic::error(
            Span::new(manifest_file, spec.path.span()),
            format!("data file `{rel}` is neither .csv nor .toml"),
        )]);
    };
    set.name = name.to_string();
    set.source = spec.source.clone();
    // The spans in the entry are part of it: diagnostics about the data point there.
    set.digest =
        crate::memo::hash128(&(name, rel.as_str(), file, text, format!("{spec:?}")));
    apply_columns(&mut set, spec, manifest_file, text)?;
    Ok(set)
}

/// Applies the manifest's column settings: declared types are checked cell by cell.
fn apply_columns(
    set: &mut DataSet,
    spec: &DataSection,
    manifest_file: FileId,
    text: &str,
) -> DiagResult<()> {
    let mut errors = Vec::new();
    for (col_name, col) in &spec.columns {
        let Some(index) = set.column(col_name) else {
            errors.push(
                Diagnostic::error(
                    Span::new(manifest_file, col.span()),
                    format!("data set `{}` has no column `{col_name}`", set.name),
                )
                .with_hint(format!("available columns are {}", set.column_names())),
            );
            continue;
        };
        let col = col.get_ref();
        let lang = column_lang(set, col_name, col, manifest_file, text, &mut errors);
        let column = &mut set.columns[index];
        column.lang = lang;
        column.unit = col.unit.clone();
        column.label = col.label.clone();
        column.decimals = col.decimals;
        let Some(ty) = &col.ty else { continue };
        let Some(parsed_ty) = ColumnType::parse(ty.get_ref()) else {
            errors.push(
                Diagnostic::error(
                    Span::new(manifest_file, ty.span()),
                    format!("unknown column type `{}`", ty.get_ref()),
                )
                .with_hint("column types are `number`, `integer`, `date` and `text`"),
            );
            continue;
        };
        column.ty = parsed_ty;
        let mut values = Vec::with_capacity(set.rows.len());
        for row in set.rows.iter() {
            let cell = row.value(index);
            let raw = match &cell {
                Value::Empty => {
                    values.push(cell);
                    continue;
                }
                Value::Text(t) => t.clone(),
                Value::Integer(i) => i.to_string(),
                Value::Number(n) => n.to_string(),
                Value::Date(d) => d.to_string(),
            };
            match parse_cell(&raw, parsed_ty) {
                Some(v) => values.push(v),
                None => {
                    let row_span = Span::new(set.file, row.range());
                    let span = cell_span(&row_span, text, index, &raw);
                    errors.push(
                        Diagnostic::error(
                            span,
                            format!("`{raw}` in column `{col_name}` is not {}", type_name(parsed_ty)),
                        )
                        .with_hint(format!(
                            "column `{col_name}` is declared as `{}` in briefing.toml; fix the cell or the type",
                            ty.get_ref()
                        )),
                    );
                    values.push(cell);
                }
            }
        }
        set.rows.replace_column(index, values);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The language declared for a column: `lang = "kk"`, or `lang-column = "lang"`
/// naming a column whose cells hold each row's tag (checked here, cell by cell).
fn column_lang(
    set: &DataSet,
    col_name: &str,
    col: &ColumnSection,
    manifest_file: FileId,
    text: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<ColumnLang> {
    match (&col.lang, &col.lang_column) {
        (Some(tag), Some(_)) => {
            errors.push(
                Diagnostic::error(
                    Span::new(manifest_file, tag.span()),
                    format!("column `{col_name}` has both `lang` and `lang-column`"),
                )
                .with_hint("give one language with `lang`, or name the column holding each row's language with `lang-column`"),
            );
            None
        }
        (Some(tag), None) if crate::locale::valid_tag(tag.get_ref()) => {
            Some(ColumnLang::Fixed(tag.get_ref().clone()))
        }
        (Some(tag), None) => {
            errors.push(
                Diagnostic::error(
                    Span::new(manifest_file, tag.span()),
                    format!("`{}` is not a language tag", tag.get_ref()),
                )
                .with_hint("write a BCP 47 tag such as `kk`, `zh-Hans` or `uz-Latn`"),
            );
            None
        }
        (None, Some(name)) => {
            let Some(i) = set.column(name.get_ref()) else {
                errors.push(
                    Diagnostic::error(
                        Span::new(manifest_file, name.span()),
                        format!(
                            "data set `{}` has no column `{}`",
                            set.name,
                            name.get_ref()
                        ),
                    )
                    .with_hint(format!("available columns are {}", set.column_names())),
                );
                return None;
            };
            for row in set.rows.iter() {
                let raw = match &row.value(i) {
                    Value::Text(t) => t.trim().to_string(),
                    Value::Empty => continue,
                    Value::Integer(n) => n.to_string(),
                    Value::Number(n) => n.to_string(),
                    Value::Date(d) => d.to_string(),
                };
                if raw.is_empty() {
                    continue;
                }
                let raw = raw.as_str();
                if !crate::locale::valid_tag(raw) {
                    errors.push(
                        Diagnostic::error(
                            cell_span(&Span::new(set.file, row.range()), text, i, raw),
                            format!("`{raw}` in column `{}` is not a language tag", name.get_ref()),
                        )
                        .with_hint("write a BCP 47 tag such as `kk`, `zh-Hans` or `uz-Latn`, or leave the cell empty for the book's language"),
                    );
                }
            }
            Some(ColumnLang::PerRow(i))
        }
        (None, None) => None,
    }
}

/// Parses one cell as `ty`.
pub(super) fn parse_cell(raw: &str, ty: ColumnType) -> Option<Value> {
    let t = raw.trim();
    if t.is_empty() {
        return Some(Value::Empty);
    }
    match ty {
        ColumnType::Integer => t.parse().ok().map(Value::Integer),
        ColumnType::Number => {
            t.parse::<f64>().ok().filter(|n| n.is_finite()).map(Value::Number)
        }
        ColumnType::Date => {
            NaiveDate::parse_from_str(t, "%Y-%m-%d").ok().map(Value::Date)
        }
        ColumnType::Text => Some(Value::Text(raw.to_string())),
    }
}

fn type_name(ty: ColumnType) -> &'static str {
    match ty {
        ColumnType::Number => "a number",
        ColumnType::Integer => "a whole number",
        ColumnType::Date => "a date (YYYY-MM-DD)",
        ColumnType::Text => "text",
    }
}

/// The span of cell `index` in a CSV row: the first occurrence of its text at or after
/// the start of the preceding fields (good enough for diagnostics).
pub(super) fn cell_span(row: &Span, text: &str, index: usize, raw: &str) -> Span {
    let line = &text[row.range.clone()];
    let mut offset = 0;
    for _ in 0..index {
        match line[offset..].find(',') {
            Some(i) => offset += i + 1,
            None => break,
        }
    }
    let start = line[offset..].find(raw).map_or(offset, |i| offset + i);
    Span::new(row.file, row.range.start + start..row.range.start + start + raw.len())
}
