//! Print-page correspondence: page-break markers where each page of the PDF begins,
//! the `page-list` navigation and the NCX `pageList`, from the format-neutral
//! [`PageMap`] that layout computes.
//!
//! A marker is `<span epub:type="pagebreak" role="doc-pagebreak" id="page-N"
//! aria-label="N"/>`. A chapter's markers go before the flow item where the page
//! begins (a heading or a section-level block), at the start of the first cell of a
//! table row where a page begins inside a table, and just after the item where a page
//! begins inside a paragraph or list. The cover page's marker opens the cover; the
//! contents pages' markers open the contents page.

use crate::model::{FlowPos, PageMap, PagePlace};

use super::xhtml::escape;

/// The id of the marker of the page labelled `label`.
pub(super) fn marker_id(label: &str) -> String {
    let safe: String = label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
        .collect();
    format!("page-{safe}")
}

/// A page-break marker.
pub(super) fn marker(label: &str) -> String {
    format!(
        "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"{}\" aria-label=\"{}\"></span>",
        marker_id(label),
        escape(label)
    )
}

/// The markers of the pages beginning at a front-matter place, in order.
pub(super) fn front_markers(pages: &PageMap, place: &PagePlace) -> String {
    pages.labels_at(place).into_iter().map(marker).collect()
}

/// The markers of one chapter, written as the chapter's flow items go by.
#[derive(Debug, Clone, Default)]
pub(super) struct Flow {
    /// The flow item being written.
    item: usize,
    /// The chapter's pages, in order, and how many are written.
    marks: Vec<(String, FlowPos)>,
    next: usize,
}

impl Flow {
    /// The markers for the pages in `marks` (one chapter's, in order).
    pub(super) fn new(marks: Vec<(String, FlowPos)>) -> Self {
        Self { item: 0, marks, next: 0 }
    }

    fn write_while(&mut self, out: &mut String, f: impl Fn(&FlowPos, usize) -> bool) {
        while let Some((label, pos)) = self.marks.get(self.next) {
            if !f(pos, self.item) {
                break;
            }
            out.push_str(&marker(label));
            self.next += 1;
        }
    }

    /// Before flow item `item`: the pages that begin with it.
    pub(super) fn before(&mut self, out: &mut String) {
        self.write_while(out, |p, item| {
            p.item < item || (p.item == item && !p.inside && p.row.is_none())
        });
    }

    /// At the start of body row `row` of the current item (a table).
    pub(super) fn row(&mut self, out: &mut String, row: usize) {
        self.write_while(out, |p, item| {
            p.item == item && p.row.is_some_and(|r| r <= row)
        });
    }

    /// After the current item: the pages that begin inside it; then the next item.
    pub(super) fn after(&mut self, out: &mut String) {
        self.write_while(out, |p, item| p.item <= item);
        self.item += 1;
    }

    /// At the end of the chapter: any page not written yet (there should be none).
    pub(super) fn finish(&mut self, out: &mut String) {
        self.write_while(out, |_, _| true);
    }
}

/// The pages in reading order, each with the href of its marker.
pub(super) fn targets<'a>(
    pages: &'a PageMap,
    files: &[String],
) -> Vec<(&'a str, String)> {
    pages
        .pages
        .iter()
        .filter_map(|p| {
            let file = match &p.place {
                PagePlace::Cover => "cover.xhtml",
                PagePlace::Contents => "contents.xhtml",
                PagePlace::Flow(f) => files.get(f.chapter)?.as_str(),
            };
            Some((p.label.as_str(), format!("{file}#{}", marker_id(&p.label))))
        })
        .collect()
}

/// The `page-list` navigation for nav.xhtml (hidden: reading systems offer it in
/// their own "go to page" control).
pub(super) fn nav_page_list(targets: &[(&str, String)], name: &str) -> String {
    let mut out = format!(
        "  <nav epub:type=\"page-list\" role=\"doc-pagelist\" aria-label=\"{}\" hidden=\"hidden\">\n    <ol>\n",
        super::xhtml::escape(name)
    );
    for (label, href) in targets {
        out.push_str(&format!(
            "      <li><a href=\"{}\">{}</a></li>\n",
            escape(href),
            escape(label)
        ));
    }
    out.push_str("    </ol>\n  </nav>\n");
    out
}

/// The NCX `pageList`; `first_play_order` follows the navMap's last `playOrder`.
pub(super) fn ncx_page_list(
    targets: &[(&str, String)],
    first_play_order: usize,
) -> String {
    let mut out =
        String::from("  <pageList>\n    <navLabel><text>Pages</text></navLabel>\n");
    for (i, (label, href)) in targets.iter().enumerate() {
        out.push_str(&format!(
            "    <pageTarget id=\"pageTarget-{n}\" type=\"normal\" value=\"{v}\" playOrder=\"{p}\">\n      \
             <navLabel><text>{l}</text></navLabel>\n      <content src=\"{h}\"/>\n    </pageTarget>\n",
            n = i + 1,
            v = label.parse::<u32>().map_or(String::new(), |n| n.to_string()),
            p = first_play_order + i,
            l = escape(label),
            h = escape(href),
        ));
    }
    out.push_str("  </pageList>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(item: usize, row: Option<usize>, inside: bool) -> FlowPos {
        FlowPos { chapter: 0, item, row, inside }
    }

    #[test]
    fn markers_go_before_at_rows_and_after_items() {
        let mut f = Flow::new(vec![
            ("3".into(), pos(0, None, false)),
            ("4".into(), pos(1, None, true)),
            ("5".into(), pos(2, Some(7), false)),
        ]);
        let mut out = String::new();
        f.before(&mut out);
        out.push_str("[h]");
        f.after(&mut out);
        f.before(&mut out);
        out.push_str("[p]");
        f.after(&mut out);
        f.before(&mut out);
        for r in 0..9 {
            f.row(&mut out, r);
            out.push_str(&format!("[r{r}]"));
        }
        f.after(&mut out);
        f.finish(&mut out);
        let shown = out
            .replace(&marker("3"), "{3}")
            .replace(&marker("4"), "{4}")
            .replace(&marker("5"), "{5}");
        assert_eq!(shown, "{3}[h][p]{4}[r0][r1][r2][r3][r4][r5][r6]{5}[r7][r8]");
    }
}
