//! The edition matrix `briefbook check` prints: which sections and restricted regions
//! go into which edition, and the marking each edition computes.

use crate::build::Books;

/// One row of an edition's column: a section file or a marked passage in it.
struct Row {
    /// The section file.
    file: String,
    /// What the row shows first: the file's name, or `  line N` for a passage.
    label: String,
    level: String,
    audience: String,
    held: bool,
}

/// One edition's part of the matrix.
pub(super) struct Column {
    name: String,
    marking: String,
    /// The sections and passages, in source order.
    rows: Vec<Row>,
}

impl Column {
    /// What `built` holds.
    pub(super) fn of(built: &Books) -> Self {
        let rows = built
            .selection
            .entries
            .iter()
            .map(|e| {
                let file = built.sources.get(e.span.file).name.clone();
                let label = if e.region {
                    let (line, _) =
                        built.sources.get(e.span.file).line_col(e.span.range.start);
                    format!("  line {line}")
                } else {
                    file.clone()
                };
                Row {
                    file,
                    label,
                    level: e.level.clone().unwrap_or_default(),
                    audience: e.audience.join(","),
                    held: e.included,
                }
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
    // Editions built from a list of sections see fewer files; take the longest list as
    // the rows, and mark a row an edition did not load as left out.
    let Some(rows) = columns.iter().map(|c| &c.rows).max_by_key(|r| r.len()) else {
        return String::new();
    };
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut header = vec!["".to_string(), "level".to_string(), "audience".to_string()];
    header.extend(columns.iter().map(|c| c.name.clone()));
    table.push(header);
    for r in rows {
        let mut line = vec![r.label.clone(), r.level.clone(), r.audience.clone()];
        for c in columns {
            let held =
                c.rows.iter().any(|x| x.file == r.file && x.label == r.label && x.held);
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
