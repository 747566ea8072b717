//! The `table` helper: a data set (or chosen columns) as a Markdown table with caption
//! and source line.

use std::collections::BTreeMap;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, Output, RenderContext, RenderError,
    RenderErrorReason,
};

use super::filter::Filter;
use super::format::escape_markdown;
use crate::source::{ColumnType, DataSet, Value};

/// `{{table "NAME" columns="a,b" where="year >= 2020" caption="…" source="…"}}`.
pub(super) struct TableHelper<'a> {
    pub(super) data: &'a BTreeMap<String, DataSet>,
    /// The names of the data sets looked up, which a template may compute at run time
    /// (so they are not always in its text): the memo checks them before reusing an
    /// expansion.
    pub(super) looked_up: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    /// The book's language (separators, dates).
    pub(super) locale: &'a crate::locale::Locale,
}

impl HelperDef for TableHelper<'_> {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> Result<(), RenderError> {
        let text = self.render(h).map_err(RenderErrorReason::Other)?;
        // Written straight to the output: it is Markdown, so it must not be escaped again.
        out.write(&text)?;
        Ok(())
    }
}

impl TableHelper<'_> {
    fn render(&self, h: &Helper<'_>) -> Result<String, String> {
        let name = match h.param(0).map(|p| p.value()) {
            Some(serde_json::Value::String(s)) => s.clone(),
            _ => {
                return Err(
                    "`table` needs the name of a data set, e.g. {{table \"trade\"}}"
                        .into(),
                )
            }
        };
        if let Ok(mut names) = self.looked_up.lock() {
            names.push(name.clone());
        }
        let set = self.data.get(&name).ok_or_else(|| {
            let names: Vec<_> = self.data.keys().map(|k| format!("`{k}`")).collect();
            format!("unknown data set `{name}` (data sets: {})", names.join(", "))
        })?;
        if set.columns.is_empty() {
            return Err(format!(
                "data set `{name}` has no rows (a TOML data set needs `[[rows]]`)"
            ));
        }
        let hash =
            |k: &str| h.hash_get(k).and_then(|p| p.value().as_str().map(str::to_string));
        let columns: Vec<usize> = match hash("columns") {
            Some(list) => list
                .split(',')
                .map(|c| {
                    set.column(c.trim()).ok_or_else(|| {
                        format!(
                            "data set `{name}` has no column `{}` (columns: {})",
                            c.trim(),
                            set.column_names()
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
            None => (0..set.columns.len()).collect(),
        };
        let filter =
            match h.hash_get("where").map(|p| p.value()) {
                None => None,
                Some(serde_json::Value::String(expr)) => {
                    Some(Filter::parse(expr, set, &name)?)
                }
                Some(_) => return Err(
                    "`where` takes a comparison in quotes, e.g. where=\"year >= 2020\""
                        .into(),
                ),
            };

        let mut md = String::new();
        if let Some(caption) = hash("caption") {
            md.push_str(&format!("Table: {}\n\n", escape_markdown(&caption)));
        }
        let header: Vec<String> = columns
            .iter()
            .map(|&i| {
                let c = &set.columns[i];
                let label = c.label.clone().unwrap_or_else(|| c.name.clone());
                let text = match &c.unit {
                    Some(u) => format!("{label} ({u})"),
                    None => label,
                };
                escape_markdown(&text)
            })
            .collect();
        md.push_str(&format!("| {} |\n", header.join(" | ")));
        let rule: Vec<&str> = columns
            .iter()
            .map(|&i| if set.columns[i].ty.is_numeric() { "---:" } else { "---" })
            .collect();
        md.push_str(&format!("|{}|\n", rule.join("|")));
        for row in set.rows.iter().filter(|r| filter.as_ref().is_none_or(|f| f.keeps(r)))
        {
            let cells: Vec<String> = columns
                .iter()
                .map(|&i| {
                    let c = &set.columns[i];
                    let text = match (row.value(i), c.ty) {
                        // Every number of a column with the same decimals.
                        (Value::Number(n), ColumnType::Number) => {
                            self.locale.number(n, c.shown_decimals())
                        }
                        // Years read wrongly with a separator ("2,024"); other counts need one.
                        (Value::Integer(n), _)
                            if c.decimals.is_none() && is_year_column(&c.name) =>
                        {
                            n.to_string()
                        }
                        (Value::Integer(n), _) => self
                            .locale
                            .number(n as f64, c.decimals.map_or(0, usize::from)),
                        (Value::Number(n), _) => n.to_string(),
                        (Value::Date(d), _) => self.locale.date(d),
                        (Value::Text(t), _) => t,
                        (Value::Empty, _) => String::new(),
                    };
                    // A declared language becomes a language span in the Markdown.
                    match c.lang_of(row) {
                        Some(lang) if !text.trim().is_empty() => {
                            format!("[{}]{{lang={lang}}}", escape_markdown(&text))
                        }
                        _ => escape_markdown(&text),
                    }
                })
                .collect();
            md.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        if let Some(source) = hash("source").or_else(|| set.source.clone()) {
            md.push_str(&format!("\nSource: {}\n", escape_markdown(&source)));
        }
        Ok(md)
    }
}

/// Whether a column holds years (shown without a thousands separator).
fn is_year_column(name: &str) -> bool {
    name.to_ascii_lowercase().contains("year")
}
