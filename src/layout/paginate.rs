//! Pagination: chunks are distributed over pages; footnotes go to the bottom of the page
//! on which they are first referenced.
//!
//! A chunk is placed if it, the chunks it must stay with, and the notes it references
//! fit above the notes already on the page; otherwise the page ends. A note that does not
//! fit even on a fresh page is split between lines and continues on the next page.

use std::collections::{BTreeMap, BTreeSet};

use super::flow::{Area, Chunk, PageContent};
use super::frame::FrameItem;
use super::tag::{self, Element, StructRole, Tag};
use crate::geom::{Color, Point, Pt};

/// The notes to place (their lines), keyed by the anchor of their reference.
pub type Notes<'n> = BTreeMap<&'n str, &'n [Chunk]>;

/// Space between the text and the notes (the separator rule sits in it).
fn separator(body: Pt) -> Pt {
    body * 1.2
}

struct Paginator<'a> {
    /// The text areas of portrait and landscape pages.
    areas: [Area; 2],
    /// The current page is a landscape page.
    landscape: bool,
    body: Pt,
    notes: &'a Notes<'a>,
    pages: Vec<PageContent>,
    chapter: Option<String>,
    /// Height used by content.
    y: Pt,
    /// Nothing placed yet on this page.
    empty: bool,
    /// Note lines on this page.
    page_notes: Vec<Chunk>,
    /// Note lines that did not fit on the previous page.
    carry: Vec<Chunk>,
    placed: BTreeSet<&'a str>,
}

/// Distributes chunks over pages; `body` is the body type size.
///
/// Chunks marked `landscape` go on landscape pages with the text area `landscape`; a
/// change of orientation starts a new page. A chunk that must stay with a landscape chunk
/// (the heading over a wide table) goes on the landscape page with it.
pub fn paginate(
    chunks: &[&Chunk],
    area: Area,
    landscape: Area,
    notes: &Notes<'_>,
    body: Pt,
) -> Vec<PageContent> {
    let turned = orientations(chunks);
    let mut p = Paginator {
        areas: [area, landscape],
        landscape: false,
        body,
        notes,
        pages: vec![PageContent::default()],
        chapter: None,
        y: Pt::ZERO,
        empty: true,
        page_notes: Vec::new(),
        carry: Vec::new(),
        placed: BTreeSet::new(),
    };
    // The end of a chain too tall for one page, cut where a page is full: the chunks up
    // to it were placed as one and need no check of their own.
    let mut cut_chain: Option<usize> = None;
    for (i, &chunk) in chunks.iter().enumerate() {
        if turned[i] != p.landscape {
            if !p.empty {
                p.new_page();
            }
            p.turn(turned[i]);
        }
        if chunk.break_before && !p.empty {
            p.new_page();
        }
        let bottom = p.area().height;
        if let Some(title) = &chunk.chapter {
            p.chapter = Some(title.clone());
            if p.empty {
                if let Some(page) = p.pages.last_mut() {
                    page.chapter = p.chapter.clone();
                }
            }
        }
        // The chunk and everything it must stay with; of a chain taller than a page
        // (a long heading over a tall table row), as much as fits on one page, so a
        // heading's lines at least stay together.
        let mut need = chunk.height;
        let mut j = i;
        // The last place in the chain where a new flow item (a block) starts: a chain
        // too tall for a page is cut there rather than between a caption and its table.
        let mut boundary = None;
        while chunks[j].keep_with_next
            && j + 1 < chunks.len()
            && !chunks[j + 1].break_before
            && turned[j + 1] == turned[i]
            && cut_chain.is_none_or(|end| i > end)
        {
            j += 1;
            if chunks[j].mark.is_some_and(|m| m.first) {
                boundary = Some((j - 1, need));
            }
            let more = chunks[j].space_before + chunks[j].height;
            if need + more > bottom {
                // The part kept follows without a break of its own.
                let (end, part) = boundary.unwrap_or((j - 1, need));
                cut_chain = Some(end);
                need = part;
                break;
            }
            need += more;
        }
        let new_notes = p.new_notes(chunk);
        let notes_h: Pt = new_notes.iter().flat_map(|n| n.iter()).map(|c| c.height).sum();
        let space = if p.empty { Pt::ZERO } else { chunk.space_before };
        if !p.empty && p.y + space + need + p.notes_height(notes_h) > bottom + Pt(0.01) {
            p.new_page();
            if let Some(header) = &chunk.repeat {
                p.place_repeat(header);
            }
        }
        let space = if p.empty { Pt::ZERO } else { chunk.space_before };
        p.y += space;
        if let (Some(mark), Some(page)) = (chunk.mark, p.pages.last_mut()) {
            let first = page.marks.map_or(mark, |m| m.0);
            page.marks = Some((first, mark));
        }
        if chunk.height > bottom {
            p.slice(chunk);
        } else {
            p.place(chunk);
        }
        for note in new_notes {
            p.add_note(note);
        }
    }
    while !p.carry.is_empty() {
        // Notes left over at the end: pages of their own.
        p.new_page();
    }
    p.finish_page();
    p.pages
}

/// Which chunks go on landscape pages: the landscape ones, and those that must stay with
/// one (a heading or a caption just before a wide table).
fn orientations(chunks: &[&Chunk]) -> Vec<bool> {
    let mut turned: Vec<bool> = chunks.iter().map(|c| c.landscape).collect();
    for i in (0..chunks.len().saturating_sub(1)).rev() {
        if chunks[i].keep_with_next && turned[i + 1] && !chunks[i + 1].break_before {
            turned[i] = true;
        }
    }
    turned
}

impl<'a> Paginator<'a> {
    /// The text area of the current page.
    fn area(&self) -> Area {
        self.areas[usize::from(self.landscape)]
    }

    /// Makes the current (empty) page a landscape or portrait page.
    fn turn(&mut self, landscape: bool) {
        self.landscape = landscape;
        if let Some(page) = self.pages.last_mut() {
            page.landscape = landscape;
        }
    }

    /// The notes referenced in `chunk` that are not placed yet, in order.
    fn new_notes(&mut self, chunk: &Chunk) -> Vec<&'a [Chunk]> {
        let mut out = Vec::new();
        for (_, item) in &chunk.items {
            let FrameItem::Anchor(name) = item else { continue };
            if let Some((&key, &note)) = self.notes.get_key_value(name.as_str()) {
                if self.placed.insert(key) {
                    out.push(note);
                }
            }
        }
        out
    }

    /// The height the notes take with `extra` more.
    fn notes_height(&self, extra: Pt) -> Pt {
        let h: Pt = self.page_notes.iter().map(|c| c.height).sum::<Pt>() + extra;
        if h > Pt::ZERO {
            h + separator(self.body)
        } else {
            h
        }
    }

    /// Adds a note's lines to this page, as far as they fit; the rest is carried over.
    fn add_note(&mut self, note: &[Chunk]) {
        for line in note {
            let fits = self.carry.is_empty()
                && self.y + self.notes_height(line.height)
                    <= self.area().height + Pt(0.01);
            if fits {
                self.page_notes.push(line.clone());
            } else {
                self.carry.push(line.clone());
            }
        }
    }

    fn place(&mut self, chunk: &Chunk) {
        let area = self.area();
        let Some(page) = self.pages.last_mut() else { return };
        for (p, item) in &chunk.items {
            let pos = Point::new(area.left + p.x, area.top + self.y + p.y);
            page.frame.push(pos, item.clone());
        }
        self.y += chunk.height;
        self.empty = false;
    }

    /// Places the header repeated at the top of a continuation page (a table's header
    /// rows under "Table N (continued)"): a copy, so an artifact, not content again.
    fn place_repeat(&mut self, header: &[Chunk]) {
        let n = header.len();
        for (i, h) in header.iter().enumerate() {
            let mut items: Vec<_> =
                h.items.iter().filter(|(_, item)| !tag::is_tag(item)).cloned().collect();
            if i == 0 {
                items.insert(0, tag::start(Element::new(StructRole::Artifact)));
            }
            if i + 1 == n {
                items.push(tag::end());
            }
            self.place(&Chunk { items, ..h.clone() });
        }
    }

    /// Places a chunk taller than a page (an emergency) in page-high slices. Start tags
    /// go with the first slice and end tags with the last, so the structure stays whole.
    fn slice(&mut self, chunk: &Chunk) {
        let bottom = self.area().height;
        let slices = (chunk.height / bottom).ceil().max(1.0) as usize;
        for k in 0..slices {
            let from = bottom * k as f64;
            let to = from + bottom;
            if k > 0 {
                self.new_page();
            }
            let keep = |p: &Point, item: &FrameItem| match item {
                FrameItem::Tag(Tag::End) => k + 1 == slices,
                FrameItem::Tag(_) => k == 0,
                _ => p.y >= from && (p.y < to || k + 1 == slices),
            };
            let slice = Chunk {
                items: chunk
                    .items
                    .iter()
                    .filter(|(p, item)| keep(p, item))
                    .map(|(p, item)| (Point::new(p.x, p.y - from), item.clone()))
                    .collect(),
                ..Chunk::new(Pt::ZERO)
            };
            self.place(&slice);
        }
        self.y = chunk.height - bottom * (slices - 1) as f64;
    }

    /// Puts this page's notes at its bottom.
    fn finish_page(&mut self) {
        let notes = std::mem::take(&mut self.page_notes);
        if notes.is_empty() {
            return;
        }
        let area = self.area();
        let Some(page) = self.pages.last_mut() else { return };
        let h: Pt = notes.iter().map(|c| c.height).sum();
        let mut y = area.top + area.height - h;
        let rule_y = y - separator(self.body) / 2.0;
        page.frame.push(
            Point::new(area.left, rule_y),
            FrameItem::Line {
                delta: Point::new(area.width * 0.3, Pt::ZERO),
                color: Color::RULE,
                width: Pt(0.5),
            },
        );
        page.frame.push(Point::default(), FrameItem::Tag(Tag::NotesStart));
        for line in &notes {
            for (p, item) in &line.items {
                page.frame.push(Point::new(area.left + p.x, y + p.y), item.clone());
            }
            y += line.height;
        }
        page.frame.push(Point::default(), FrameItem::Tag(Tag::NotesEnd));
    }

    fn new_page(&mut self) {
        self.finish_page();
        self.pages.push(PageContent {
            chapter: self.chapter.clone(),
            landscape: self.landscape,
            ..Default::default()
        });
        self.y = Pt::ZERO;
        self.empty = true;
        // Notes continued from the previous page come first, up to half a page.
        let limit = self.area().height / 2.0;
        let mut h = Pt::ZERO;
        let carried = std::mem::take(&mut self.carry);
        for line in carried {
            if self.carry.is_empty() && (h == Pt::ZERO || h + line.height <= limit) {
                h += line.height;
                self.page_notes.push(line);
            } else {
                self.carry.push(line);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::blocks::keep_lines;

    fn area() -> Area {
        Area { left: Pt::ZERO, top: Pt::ZERO, width: Pt(100.0), height: Pt(100.0) }
    }

    /// A chunk of `h` points holding an anchor named `name`.
    fn line(h: f64, name: &str) -> Chunk {
        let mut c = Chunk::new(Pt(h));
        c.items.push((Point::new(Pt::ZERO, Pt::ZERO), FrameItem::Anchor(name.into())));
        c
    }

    /// The page (0-based) each named anchor landed on.
    fn page_of(pages: &[PageContent], name: &str) -> usize {
        pages
            .iter()
            .position(|p| {
                p.frame
                    .items
                    .iter()
                    .any(|(_, i)| matches!(i, FrameItem::Anchor(n) if n == name))
            })
            .unwrap_or_else(|| panic!("{name} not placed"))
    }

    fn run(chunks: &[Chunk], notes: &Notes<'_>) -> Vec<PageContent> {
        let refs: Vec<&Chunk> = chunks.iter().collect();
        paginate(&refs, area(), area(), notes, Pt(10.0))
    }

    #[test]
    fn no_orphan_at_the_foot_of_a_page() {
        // 85 pt used; a 3-line paragraph's first line would fit, its second not.
        let mut chunks = vec![line(85.0, "before")];
        chunks.extend(keep_lines(vec![
            line(10.0, "a1"),
            line(10.0, "a2"),
            line(10.0, "a3"),
        ]));
        let pages = run(&chunks, &Notes::new());
        assert_eq!(page_of(&pages, "before"), 0);
        assert_eq!(page_of(&pages, "a1"), 1, "the first line moves with the second");
    }

    #[test]
    fn no_widow_at_the_top_of_a_page() {
        // 5 lines, 4 fit: the last would stand alone, so the 4th goes with it.
        let mut chunks = vec![line(55.0, "before")];
        let para: Vec<Chunk> = (1..=5).map(|i| line(10.0, &format!("p{i}"))).collect();
        chunks.extend(keep_lines(para));
        let pages = run(&chunks, &Notes::new());
        assert_eq!(page_of(&pages, "p3"), 0);
        assert_eq!(page_of(&pages, "p4"), 1);
        assert_eq!(page_of(&pages, "p5"), 1);
    }

    #[test]
    fn a_note_goes_to_the_page_of_its_reference() {
        let note = [line(10.0, "note")];
        let notes = Notes::from([("ref", &note[..])]);
        let chunks = vec![line(50.0, "x"), line(10.0, "ref"), line(10.0, "y")];
        let pages = run(&chunks, &notes);
        assert_eq!(page_of(&pages, "note"), 0);
        // The note sits at the foot of the text area.
        let (pos, _) = pages[0]
            .frame
            .items
            .iter()
            .find(|(_, i)| matches!(i, FrameItem::Anchor(n) if n == "note"))
            .unwrap();
        assert_eq!(pos.y, Pt(90.0));
    }

    #[test]
    fn a_reference_moves_on_when_its_note_does_not_fit_below_it() {
        let note = [line(20.0, "note")];
        let notes = Notes::from([("ref", &note[..])]);
        let chunks = vec![line(75.0, "x"), line(10.0, "ref")];
        let pages = run(&chunks, &notes);
        assert_eq!(page_of(&pages, "ref"), 1);
        assert_eq!(page_of(&pages, "note"), 1);
    }

    #[test]
    fn a_note_too_long_for_the_page_continues_on_the_next() {
        let long: Vec<Chunk> = (1..=12).map(|i| line(10.0, &format!("n{i}"))).collect();
        let notes = Notes::from([("ref", &long[..])]);
        let chunks = vec![line(10.0, "ref"), line(10.0, "after")];
        let pages = run(&chunks, &notes);
        assert_eq!(page_of(&pages, "n1"), 0);
        assert!(page_of(&pages, "n12") >= 1);
        for i in 1..12 {
            let (a, b) = (format!("n{i}"), format!("n{}", i + 1));
            assert!(page_of(&pages, &a) <= page_of(&pages, &b), "notes stay in order");
        }
    }

    #[test]
    fn landscape_chunks_get_pages_of_their_own() {
        let wide = Area { width: Pt(150.0), height: Pt(60.0), ..area() };
        let turn = |mut c: Chunk| {
            c.landscape = true;
            c
        };
        let mut heading = line(10.0, "heading");
        heading.keep_with_next = true;
        let chunks = [
            line(10.0, "before"),
            heading,
            turn(line(30.0, "row1")),
            turn(line(30.0, "row2")),
            line(10.0, "after"),
        ];
        let refs: Vec<&Chunk> = chunks.iter().collect();
        let pages = paginate(&refs, area(), wide, &Notes::new(), Pt(10.0));
        let turned: Vec<bool> = pages.iter().map(|p| p.landscape).collect();
        assert_eq!(turned, [false, true, true, false]);
        assert_eq!(page_of(&pages, "before"), 0);
        assert_eq!(page_of(&pages, "heading"), 1, "the heading goes with its table");
        assert_eq!(page_of(&pages, "row1"), 1);
        assert_eq!(page_of(&pages, "row2"), 2, "the landscape page is 60 pt high");
        assert_eq!(page_of(&pages, "after"), 3);
    }
}
