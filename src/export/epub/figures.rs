//! The briefing blocks as XHTML: tables, key figures, asides, charts and timelines.

use std::path::PathBuf;

use crate::chart::{self, NotoSansMetrics, Plan};
use crate::layout::Pt;
use crate::model::Trend;
use crate::model::{
    plain_text, Align, Aside, AsideKind, Chart, Column, Inline, KeyFigures, Table,
    Timeline,
};

use super::images::ImageResource;
use super::svg;
use super::xhtml::{escape, Writer};

/// The media type of chart drawings.
const SVG: &str = "image/svg+xml";

/// The class that aligns a column's cells ("num" for numbers).
fn column_class(column: Option<&Column>) -> &'static str {
    match column {
        Some(c) if c.numeric => " class=\"num\"",
        Some(Column { align: Align::Right, .. }) => " class=\"right\"",
        Some(Column { align: Align::Center, .. }) => " class=\"center\"",
        _ => "",
    }
}

impl Writer<'_> {
    /// "Table N. Caption" / "Figure N. Caption" (`key` is `table` or `figure`), or
    /// `None` when there is neither.
    fn label(
        &mut self,
        key: &str,
        number: Option<u32>,
        caption: Option<&[Inline]>,
    ) -> Option<String> {
        let caption = caption.map(|c| self.inline_string(c));
        let l = &self.doc.meta.locale;
        match (number, caption) {
            (Some(n), Some(c)) => Some(format!(
                "{}{}{c}",
                escape(&l.numbered(key, n)),
                escape(&l.text("caption-space"))
            )),
            (Some(n), None) => Some(escape(&l.label(key, &[("n", &n.to_string())]))),
            (None, Some(c)) => Some(c),
            (None, None) => None,
        }
    }

    fn source_line(&mut self, out: &mut String, source: Option<&[Inline]>) {
        if let Some(s) = source {
            let pattern = self.doc.meta.locale.text("source");
            let (before, after) = pattern.split_once("{text}").unwrap_or((&pattern, ""));
            out.push_str("<p class=\"source\">");
            out.push_str(&escape(before));
            self.inlines(out, s, false);
            out.push_str(&escape(after));
            out.push_str("</p>\n");
        }
    }

    /// A data table: caption, header, body, source line, in a scrolling wrapper
    /// that keyboard users can focus and scroll, named after the table.
    pub(super) fn table(&mut self, out: &mut String, table: &Table) {
        let l = self.doc.meta.locale.clone();
        let name = match (table.number, table.caption.as_deref().map(plain_text)) {
            (Some(n), Some(c)) => l.captioned("table", n, &c),
            (Some(n), None) => l.label("table", &[("n", &n.to_string())]),
            (None, Some(c)) if !c.trim().is_empty() => c,
            _ => l.label("table", &[("n", "")]).trim().to_string(),
        };
        self.region(out, &name);
        // Four columns or more rarely fit a phone: say that the table scrolls.
        if table.columns.len() >= 4 {
            out.push_str(&format!(
                "<p class=\"scroll-hint\" aria-hidden=\"true\">{}</p>\n",
                escape(&l.text("scroll-hint"))
            ));
        }
        out.push_str("<table>\n");
        if let Some(label) = self.label("table", table.number, table.caption.as_deref()) {
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
            for (r, row) in table.rows.iter().enumerate() {
                out.push_str("<tr>");
                for (i, cell) in row.cells.iter().enumerate() {
                    out.push_str(&format!("<td{}>", column_class(table.columns.get(i))));
                    if i == 0 {
                        self.flow_row(out, r);
                    }
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
            if let Some(unit) = &f.unit {
                out.push_str(" <span class=\"kf-unit\">");
                self.inlines(out, unit, false);
                out.push_str("</span>");
            }
            out.push_str("</p>");
            if let Some(change) = &f.change {
                let l = &self.doc.meta.locale;
                let arrow = |word: &str, glyph: char| {
                    format!("<span class=\"kf-arrow\" role=\"img\" aria-label=\"{}\">{glyph}</span> ", escape(&l.text(word)))
                };
                let (class, arrow) = match change.trend {
                    Trend::Up => ("up", arrow("trend-up", '\u{25B2}')),
                    Trend::Down => ("down", arrow("trend-down", '\u{25BC}')),
                    Trend::Flat => ("flat", String::new()),
                };
                out.push_str(&format!("<p class=\"kf-change {class}\">{arrow}"));
                self.inlines(out, &change.text, false);
                out.push_str("</p>");
            }
            out.push_str("<p class=\"kf-label\">");
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
        // A note, not a landmark: a book has many asides, and landmarks must each
        // have a distinct name.
        out.push_str(&format!("<aside class=\"{class}\" role=\"note\">\n"));
        if let Some(title) = &a.title {
            out.push_str("<p class=\"aside-title\">");
            self.inlines(out, title, false);
            out.push_str("</p>\n");
        }
        self.blocks(out, &a.blocks);
        out.push_str("</aside>\n");
    }

    /// A chart as a figure: the drawing (an SVG file with `<title>` and `<desc>`,
    /// shown with `<img>` whose alt text states the values), then the data table.
    pub(super) fn chart(&mut self, out: &mut String, c: &Chart) {
        self.media_uses += 1;
        out.push_str("<figure class=\"chart\">\n");
        let label = self.label("figure", c.number, c.caption.as_deref());
        if let Some(label) = &label {
            out.push_str(&format!("<figcaption>{label}</figcaption>\n"));
        }
        let summary = chart::describe(c, &self.doc.meta.locale);
        if chart::plan(c) == Plan::Table {
            out.push_str("<p class=\"chart-summary\">");
            self.text(out, &summary);
            out.push_str("</p>\n");
        } else {
            // Drawn for a phone: 340 px wide with 12 px text; the stylesheet lets it grow.
            let options = chart::Options { width: Pt(340.0), font_size: Pt(12.0) };
            let numbers = self.doc.meta.locale.numbers();
            let geometry = chart::layout_chart(c, options, numbers, &mut NotoSansMetrics);
            // The first free name (an image file could be called `chart-1.svg` too).
            let mut n = self.images.iter().filter(|i| i.media_type == SVG).count() + 1;
            while self.images.iter().any(|i| i.href == format!("images/chart-{n}.svg")) {
                n += 1;
            }
            let href = format!("images/chart-{n}.svg");
            let l = &self.doc.meta.locale;
            let title = c.caption.as_deref().map(plain_text).unwrap_or_else(|| {
                c.number.map_or(l.text("chart"), |n| {
                    l.label("figure", &[("n", &n.to_string())])
                })
            });
            let svg = svg::chart_svg(&geometry, &title, &summary);
            self.images.push(ImageResource {
                // Not a file on disk: an empty path never matches an image block's.
                path: PathBuf::new(),
                href: href.clone(),
                media_type: SVG,
                bytes: svg.into_bytes(),
            });
            out.push_str(&format!(
                "<img class=\"chart\" src=\"{}\" alt=\"{}\"/>\n",
                escape(&href),
                escape(&summary)
            ));
        }
        if !c.categories.is_empty() && !c.series.is_empty() {
            self.chart_table(out, c);
        }
        self.source_line(out, c.source.as_deref());
        out.push_str("</figure>\n");
    }

    /// The chart's data: categories down, series across.
    fn chart_table(&mut self, out: &mut String, c: &Chart) {
        let l = self.doc.meta.locale.clone();
        let name = match c.number {
            Some(n) => l.label("chart-data", &[("n", &n.to_string())]),
            None => l.text("chart-data-unnumbered"),
        };
        self.region(out, &name);
        out.push_str("<table class=\"chart-data\">\n");
        if !c.y_label.is_empty() {
            let pattern = l.text("chart-data-in");
            let (before, after) = pattern.split_once("{unit}").unwrap_or((&pattern, ""));
            out.push_str("<caption>");
            out.push_str(&escape(before));
            self.text(out, &c.y_label);
            out.push_str(&escape(after));
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
                let v = v.map_or_else(
                    || l.text("not-available"),
                    |v| l.number(v, s.shown_decimals()),
                );
                out.push_str(&format!("<td class=\"num\">{}</td>", escape(&v)));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</div>\n");
    }

    /// A timeline as a figure holding an ordered list of events.
    pub(super) fn timeline(&mut self, out: &mut String, t: &Timeline) {
        out.push_str("<figure class=\"timeline\">\n");
        if let Some(label) = self.label("figure", t.number, t.caption.as_deref()) {
            out.push_str(&format!("<figcaption>{label}</figcaption>\n"));
        }
        out.push_str("<ol class=\"timeline\">\n");
        for e in &t.events {
            // A machine-readable date where HTML can express one (not before year 1).
            let when = Some(e.at);
            let datetime = when.and_then(|w| match w.date {
                Some(d) if w.year >= 1 && !w.approximate => {
                    Some(d.format("%Y-%m-%d").to_string())
                }
                None if w.year >= 1 && !w.approximate => Some(format!("{:04}", w.year)),
                _ => None,
            });
            let approx = when.is_some_and(|w| w.approximate);
            out.push_str(if approx { "<li class=\"approx\">" } else { "<li>" });
            out.push_str("<p class=\"when\">");
            match &datetime {
                Some(dt) => {
                    out.push_str(&format!("<time datetime=\"{dt}\">"));
                    self.text(out, &e.when);
                    out.push_str("</time>");
                }
                None => self.text(out, &e.when),
            }
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
