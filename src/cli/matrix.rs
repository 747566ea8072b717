//! The edition matrix `briefbook check` prints: which sections and restricted regions
//! go into which edition, and the marking each edition computes.

use crate::build::Books;

/// One edition's part of the matrix.
pub(super) struct Column {
    name: String,
    marking: String,
    /// (where, level, audiences, held) per section and region, in source order.
    rows: Vec<(String, String, String, bool)>,
}

impl Column {
    /// What `built` holds.
    pub(super) fn of(built: &Books) -> Self {
        let rows = built
            .selection
            .entries
            .iter()
            .map(|e| {
                let at = if e.region {
                    let place = built.sources.locate(&e.span);
                    // `file:line:col` → `  :line` under the file's own row.
                    let line = place.rsplit(':').nth(1).unwrap_or("").to_string();
                    format!("  line {line}")
                } else {
                    built.sources.get(e.span.file).name.clone()
                };
                let level = e.level.clone().unwrap_or_default();
                (at, level, e.audience.join(","), e.included)
            })
            .collect();
        Self {
            name: built.edition.clone().unwrap_or_else(|| built.stem.clone()),
            marking: built.marking.clone(),
            rows,
        }
    }
}

/// The matrix as text: a row per section and region (sections by file name, regions by
/// line under their file), a column per edition, then each edition's marking.
pub(super) fn render(columns: &[Column]) -> String {
    let Some(first) = columns.first() else { return String::new() };
    // Editions built from a list of sections see fewer files; take the longest list as
    // the rows, and mark a row an edition did not load as left out.
    let rows =
        columns.iter().map(|c| &c.rows).max_by_key(|r| r.len()).unwrap_or(&first.rows);
    let key = |r: &(String, String, String, bool), file: &str| format!("{file}|{}", r.0);
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut header = vec!["".to_string(), "level".to_string(), "audience".to_string()];
    header.extend(columns.iter().map(|c| c.name.clone()));
    table.push(header);
    let mut file = String::new();
    for r in rows {
        if !r.0.starts_with("  ") {
            file = r.0.clone();
        }
        let mut line = vec![r.0.clone(), r.1.clone(), r.2.clone()];
        for c in columns {
            let mut cfile = String::new();
            let held = c.rows.iter().any(|x| {
                if !x.0.starts_with("  ") {
                    cfile = x.0.clone();
                }
                key(x, &cfile) == key(r, &file) && x.3
            });
            line.push(if held { "yes" } else { "-" }.to_string());
        }
        table.push(line);
    }
    let widths: Vec<usize> = (0..table[0].len())
        .map(|i| table.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::from("edition matrix (yes: the edition holds it)\n");
    for r in &table {
        let cells: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    for c in columns {
        out.push_str(&format!("marking of {}: {}\n", c.name, c.marking));
    }
    out
}
