//! TOML data files: available to templates as they are; `[[rows]]` also forms a table.

use super::data::{ColumnType, DataColumn, DataSet, Value};
use super::rows::RowsBuilder;
use crate::diag::{DiagResult, FileId};

/// Parses a TOML data file.
pub(super) fn parse(file: FileId, text: &str) -> DiagResult<DataSet> {
    let table: toml::Table = super::parse_toml(file, text)?;
    let tree = to_json(&toml::Value::Table(table.clone()));

    let mut columns: Vec<DataColumn> = Vec::new();
    let mut rows = RowsBuilder::new(0);
    if let Some(toml::Value::Array(items)) = table.get("rows") {
        let records: Vec<&toml::Table> =
            items.iter().filter_map(|v| v.as_table()).collect();
        for record in &records {
            for (key, value) in record.iter() {
                if !columns.iter().any(|c| &c.name == key) {
                    columns.push(DataColumn {
                        name: key.clone(),
                        ty: type_of(value),
                        unit: None,
                        label: None,
                        decimals: None,
                        written_decimals: 0,
                        lang: None,
                    });
                }
            }
        }
        for c in &mut columns {
            let floats = records.iter().filter_map(|r| r.get(&c.name)?.as_float());
            let natural = floats.map(crate::numbers::natural_decimals).max().unwrap_or(0);
            c.written_decimals = natural as u8;
        }
        rows = RowsBuilder::new(columns.len());
        for record in &records {
            let values = columns
                .iter()
                .map(|c| record.get(&c.name).map_or(Value::Empty, value_of));
            rows.push(values, 0..0);
        }
    }
    Ok(DataSet {
        name: String::new(),
        file,
        source: None,
        columns,
        rows: rows.finish(),
        tree: Some(tree),
        digest: 0,
    })
}

fn type_of(value: &toml::Value) -> ColumnType {
    match value {
        toml::Value::Integer(_) => ColumnType::Integer,
        toml::Value::Float(_) => ColumnType::Number,
        toml::Value::Datetime(_) => ColumnType::Date,
        _ => ColumnType::Text,
    }
}

fn value_of(value: &toml::Value) -> Value {
    match value {
        toml::Value::Integer(i) => Value::Integer(*i),
        toml::Value::Float(f) => Value::Number(*f),
        toml::Value::Datetime(d) => {
            chrono::NaiveDate::parse_from_str(&d.to_string(), "%Y-%m-%d")
                .map_or_else(|_| Value::Text(d.to_string()), Value::Date)
        }
        toml::Value::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }
}

/// TOML → JSON for templates; dates become ISO strings.
pub(super) fn to_json(value: &toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(s) => s.clone().into(),
        toml::Value::Integer(i) => (*i).into(),
        toml::Value::Float(f) => {
            serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
        }
        toml::Value::Boolean(b) => (*b).into(),
        toml::Value::Datetime(d) => d.to_string().into(),
        toml::Value::Array(a) => a.iter().map(to_json).collect::<Vec<_>>().into(),
        toml::Value::Table(t) => t
            .iter()
            .map(|(k, v)| (k.clone(), to_json(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}
