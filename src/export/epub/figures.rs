//! The briefing blocks as XHTML: tables, key figures, asides, charts and timelines.

use crate::model::{
    plain_text, Align, Aside, AsideKind, Chart, ChartKind, Column, Inline, KeyFigures,
    Table, Timeline,
};

use super::xhtml::{escape, Writer};

/// The class that aligns a column's cells ("num" for numbers).
fn column_class(column: Option<&Column>) -> &'static str {
    match column {
        Some(c) if c.numeric => " class=\"num\"",
        Some(Column { align: Align::Right, .. }) => " class=\"right\"",
        Some(Column { align: Align::Center, .. }) => " class=\"center\"",
        _ => "",
    }
}

/// A number as shown in a data table: integers without a decimal point.
pub(super) fn format_value(v: f64) -> String {
    if !v.is_finite() {
        "n/a".to_string()
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

impl Writer<'_> {
    /// "Table N. Caption" / "Figure N. Caption", or `None` when there is neither.
    fn label(
        &mut self,
        word: &str,
        number: Option<u32>,
        caption: Option<&[Inline]>,
    ) -> Option<String> {
        let caption = caption.map(|c| self.inline_string(c));
        match (number, caption) {
            (Some(n), Some(c)) => Some(format!("{word} {n}. {c}")),
            (Some(n), None) => Some(format!("{word} {n}")),
            (None, Some(c)) => Some(c),
            (None, None) => None,
        }
    }

    fn source_line(&mut self, out: &mut String, source: Option<&[Inline]>) {
        if let Some(s) = source {
            out.push_str("<p class=\"source\">Source: ");
            self.inlines(out, s, false);
            out.push_str("</p>\n");
        }
    }

    /// A data table: caption, header, body, source line, in a scrolling wrapper.
    pub(super) fn table(&mut self, out: &mut String, table: &Table) {
        out.push_str("<div class=\"table-wrap\">\n<table>\n");
        if let Some(label) = self.label("Table", table.number, table.caption.as_deref()) {
            out.push_str(&format!("<caption>{label}</caption>\n"));
        }
        if !table.header.is_empty() {
            out.push_str("<thead>\n");
            for row in &table.header {
                out.push_str("<tr>");
                for (i, cell) in row.cells.iter().enumerate() {
                    out.push_str(&format!(
                        "<th scope=\"col\"{}>",
                        column_class(table.columns.get(i))
                    ));
                    self.inlines(out, &cell.content, false);
                    out.push_str("</th>");
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</thead>\n");
        }
        if !table.rows.is_empty() {
            out.push_str("<tbody>\n");
            for row in &table.rows {
                out.push_str("<tr>");
                for (i, cell) in row.cells.iter().enumerate() {
                    out.push_str(&format!("<td{}>", column_class(table.columns.get(i))));
                    self.inlines(out, &cell.content, false);
                    out.push_str("</td>");
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody>\n");
        }
        out.push_str("</table>\n");
        self.source_line(out, table.source.as_deref());
        out.push_str("</div>\n");
    }

    /// A panel of headline numbers: each figure's value, then its label and note, in the
    /// same reading order as the printed panel.
    pub(super) fn key_figures(&mut self, out: &mut String, k: &KeyFigures) {
        out.push_str("<div class=\"key-figures\">\n");
        if let Some(title) = &k.title {
            out.push_str("<p class=\"kf-title\">");
            self.inlines(out, title, false);
            out.push_str("</p>\n");
        }
        out.push_str("<div class=\"kf-grid\">\n");
        for f in &k.figures {
            out.push_str("<div class=\"kf\"><p class=\"kf-value\">");
            self.inlines(out, &f.value, false);
            out.push_str("</p><p class=\"kf-label\">");
            self.inlines(out, &f.label, false);
            out.push_str("</p>");
            if let Some(note) = &f.note {
                out.push_str("<p class=\"kf-note\">");
                self.inlines(out, note, false);
                out.push_str("</p>");
            }
            out.push_str("</div>\n");
        }
        out.push_str("</div>\n");
        self.source_line(out, k.source.as_deref());
        out.push_str("</div>\n");
    }

    /// A boxed note.
    pub(super) fn aside(&mut self, out: &mut String, a: &Aside) {
        let class = match a.kind {
            AsideKind::Note => "note",
            AsideKind::Important => "important",
            AsideKind::Warning => "warning",
        };
        out.push_str(&format!("<aside class=\"{class}\">\n"));
        if let Some(title) = &a.title {
            out.push_str("<p class=\"aside-title\">");
            self.inlines(out, title, false);
            out.push_str("</p>\n");
        }
        self.blocks(out, &a.blocks);
        out.push_str("</aside>\n");
    }

    /// A chart as a figure holding a text summary and its data table.
    pub(super) fn chart(&mut self, out: &mut String, c: &Chart) {
        out.push_str("<figure class=\"chart\">\n");
        if let Some(label) = self.label("Figure", c.number, c.caption.as_deref()) {
            out.push_str(&format!("<figcaption>{label}</figcaption>\n"));
        }
        out.push_str("<p class=\"chart-summary\">");
        let summary = chart_summary(c);
        self.text(out, &summary);
        out.push_str("</p>\n");
        if !c.categories.is_empty() && !c.series.is_empty() {
            self.chart_table(out, c);
        }
        self.source_line(out, c.source.as_deref());
        out.push_str("</figure>\n");
    }

    /// The chart's data: categories down, series across.
    fn chart_table(&mut self, out: &mut String, c: &Chart) {
        out.push_str("<div class=\"table-wrap\">\n<table class=\"chart-data\">\n");
        if !c.y_label.is_empty() {
            out.push_str("<caption>");
            self.text(out, &c.y_label);
            out.push_str("</caption>\n");
        }
        out.push_str("<thead>\n<tr>");
        // An empty header cell is an accessibility fault; an empty corner cell is not.
        if c.x_label.trim().is_empty() {
            out.push_str("<td></td>");
        } else {
            out.push_str("<th scope=\"col\">");
            self.text(out, &c.x_label);
            out.push_str("</th>");
        }
        for s in &c.series {
            out.push_str("<th scope=\"col\" class=\"num\">");
            self.text(out, &s.name);
            out.push_str("</th>");
        }
        out.push_str("</tr>\n</thead>\n<tbody>\n");
        for (i, cat) in c.categories.iter().enumerate() {
            out.push_str("<tr><th scope=\"row\">");
            self.text(out, cat);
            out.push_str("</th>");
            for s in &c.series {
                let v = s.values.get(i).copied().flatten();
                let v = v.map_or_else(|| "n/a".to_string(), format_value);
                out.push_str(&format!("<td class=\"num\">{}</td>", escape(&v)));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</div>\n");
    }

    /// A timeline as a figure holding an ordered list of events.
    pub(super) fn timeline(&mut self, out: &mut String, t: &Timeline) {
        out.push_str("<figure class=\"timeline\">\n");
        if let Some(label) = self.label("Figure", t.number, t.caption.as_deref()) {
            out.push_str(&format!("<figcaption>{label}</figcaption>\n"));
        }
        out.push_str("<ol class=\"timeline\">\n");
        for e in &t.events {
            out.push_str("<li><p class=\"when\">");
            self.text(out, &e.when);
            out.push_str("</p><p class=\"what\">");
            self.inlines(out, &e.title, false);
            out.push_str("</p>");
            if let Some(d) = &e.detail {
                out.push_str("<p class=\"detail\">");
                self.inlines(out, d, false);
                out.push_str("</p>");
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n");
        self.source_line(out, t.source.as_deref());
        out.push_str("</figure>\n");
    }
}

/// One sentence describing a chart's data, as its text alternative.
pub(super) fn chart_summary(c: &Chart) -> String {
    let kind = match (c.kind, c.horizontal, c.stacked) {
        (ChartKind::Line, ..) => "Line chart",
        (ChartKind::Bar, true, true) => "Stacked horizontal bar chart",
        (ChartKind::Bar, true, false) => "Horizontal bar chart",
        (ChartKind::Bar, false, true) => "Stacked bar chart",
        (ChartKind::Bar, false, false) => "Bar chart",
    };
    let caption = c.caption.as_deref().map(plain_text).unwrap_or_default();
    let what = [c.y_label.trim(), caption.trim()]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("values");
    let by = if c.x_label.trim().is_empty() { "category" } else { c.x_label.trim() };
    let n = c.categories.len();
    let mut s = format!(
        "{kind} of {what} by {by} for {n} categor{}",
        if n == 1 { "y" } else { "ies" }
    );
    if let (Some(first), Some(last)) = (c.categories.first(), c.categories.last()) {
        if n > 1 {
            s.push_str(&format!(" ({first} to {last})"));
        }
    }
    let k = c.series.len();
    s.push_str(&format!(" and {k} series"));
    let names: Vec<&str> = c.series.iter().map(|s| s.name.as_str()).collect();
    if (1..=4).contains(&k) {
        s.push_str(&format!(" ({})", names.join(", ")));
    }
    // Extremes over every (series, category) value.
    let points = c.series.iter().flat_map(|ser| {
        ser.values.iter().enumerate().filter_map(move |(i, v)| {
            let v = (*v).filter(|v| v.is_finite())?;
            Some((v, ser.name.as_str(), c.categories.get(i).map_or("", String::as_str)))
        })
    });
    let unit = c.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
    let mut max: Option<(f64, &str, &str)> = None;
    let mut min: Option<(f64, &str, &str)> = None;
    for p in points {
        if max.is_none_or(|m| p.0 > m.0) {
            max = Some(p);
        }
        if min.is_none_or(|m| p.0 < m.0) {
            min = Some(p);
        }
    }
    match (max, min) {
        (Some(hi), Some(lo)) => s.push_str(&format!(
            "; the highest value is {}{unit} ({}, {}) and the lowest is {}{unit} ({}, {}).",
            format_value(hi.0),
            hi.1,
            hi.2,
            format_value(lo.0),
            lo.1,
            lo.2
        )),
        _ => s.push_str(", with no data values."),
    }
    s
}
