//! Inline layout: styled pieces of text → words → lines.
//!
//! 1. `collect`: inline content becomes styled pieces.
//! 2. `words`: the joined text is cut at UAX #14 break opportunities (so CJK text breaks
//!    between ideographs), at soft hyphens, at hyphenation points (`hyphenate`, with
//!    the patterns of each run's language; `exceptions`) and, for words wider than
//!    the line, between characters (an emergency break), and every part is shaped. In a
//!    Chinese, Japanese or Korean book, `cjk` adds the line-breaking prohibitions and
//!    the stretch between characters.
//! 3. `linebreak`: total-fit (Knuth–Plass) line breaking, justified or ragged. A
//!    justified paragraph with a very loose line is broken again with the gaps between
//!    letters as emergency stretch (`track`).
//! 4. `finalize`: the chosen lines are shaped and positioned.
//!
//! No line is ever wider than the width it was given.

mod cjk;
mod collect;
mod exceptions;
mod finalize;
mod hyphenate;
mod linebreak;
mod track;
mod words;

pub use cjk::{cjk_punct, full_width, is_cjk_language};
pub use collect::{collect, Piece};
pub use hyphenate::{dictionary, keeps_whole, points as hyphenation_points};
pub use linebreak::Mode;

use super::frame::FrameItem;
use super::shape::Shaper;
use super::tag::{StructRole, Tag};
use crate::geom::{Point, Pt};
use crate::model::Align;
use finalize::{compose, Setting};
use linebreak::{breaks, LOOSE_RATIO};
use words::{words, After, Joined, Word};

/// A laid-out line; item positions are relative to the line's top-left corner.
#[derive(Debug, Clone, Default)]
pub struct Line {
    /// The width of the content (without trailing spaces).
    pub width: Pt,
    /// The line's height (leading included).
    pub height: Pt,
    /// The baseline's distance from the top.
    pub baseline: Pt,
    /// Glyph runs and link areas.
    pub items: Vec<(Point, FrameItem)>,
}

/// A problem with a line of a paragraph, worth a warning.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LineIssue {
    /// The line (1-based) is wider than the measure by this much.
    Overfull(usize, Pt),
    /// The line's spaces are stretched to this multiple of their width.
    Loose(usize, f64),
}

/// Lays out pieces into ragged lines no wider than `width`, without hyphenation
/// (headings, captions, table cells, furniture).
pub fn layout(
    shaper: &mut Shaper,
    pieces: &[Piece],
    width: Pt,
    align: Align,
    leading: f64,
) -> Vec<Line> {
    paragraph(shaper, pieces, width, align, leading, Mode::Ragged, false).0
}

/// Lays out a paragraph in `mode`, hyphenating if `hyphenate` is set (with the patterns
/// of each run's language, where there are any). Returns the lines and the lines worth a warning.
pub fn paragraph(
    shaper: &mut Shaper,
    pieces: &[Piece],
    width: Pt,
    align: Align,
    leading: f64,
    mode: Mode,
    hyphenate: bool,
) -> (Vec<Line>, Vec<LineIssue>) {
    let joined = Joined::new(pieces);
    let mut words = words(shaper, pieces, &joined, width, hyphenate);
    let em = pieces.first().map_or(Pt(10.0), |p| p.style.size);
    let mut brks = breaks(&words, width, mode, em, false);
    // A very loose line: break again, with letter spacing as emergency stretch.
    if mode == Mode::Justify && brks.iter().any(|b| loose(&words, b)) {
        track::measure(shaper, pieces, &joined, &mut words);
        brks = breaks(&words, width, mode, em, true);
    }
    let set = Setting { width, align, leading, justify: mode == Mode::Justify };
    let mut issues = Vec::new();
    let mut lines = Vec::with_capacity(brks.len());
    for (n, brk) in brks.iter().enumerate() {
        let line = compose(shaper, pieces, &joined, &words, brk, &set);
        if line.width > width + Pt(0.01) || brk.overfull {
            issues.push(LineIssue::Overfull(n + 1, (line.width - width).max(Pt::ZERO)));
        } else if mode == Mode::Justify && loose(&words, brk) {
            issues.push(LineIssue::Loose(n + 1, 1.0 + brk.ratio / 2.0));
        }
        lines.push(line);
    }
    // A link broken over lines is one Link element, with an annotation on each line.
    // (From the last line up, so a link over three lines is joined whole.)
    for (n, brk) in brks.iter().enumerate().skip(1).rev() {
        if link_goes_on(pieces, &words, brks[n - 1].end)
            && brk.start == brks[n - 1].end + 1
        {
            let (before, after) = lines.split_at_mut(n);
            if let Some(last) = before.last_mut() {
                join_link(&mut last.items, &mut after[0].items);
            }
        }
    }
    (lines, issues)
}

/// Whether a justified line is very loose: its spaces stretch past [`LOOSE_RATIO`]
/// (a paragraph's last line and a line without spaces are not stretched at all).
fn loose(words: &[Word], brk: &linebreak::Brk) -> bool {
    let has_glue = words[brk.start..brk.end].iter().any(|w| w.space.is_some());
    let ends = matches!(words[brk.end].after, After::End | After::Forced);
    brk.ratio > LOOSE_RATIO && has_glue && !ends
}

/// Whether the link that ends the words up to `words[at]` goes on after them (the
/// pieces from the last one there to the first one after all belong to it).
fn link_goes_on(pieces: &[Piece], words: &[Word], at: usize) -> bool {
    let last = words.get(at).and_then(|w| w.boxes.last());
    let next = words.get(at + 1).and_then(|w| w.boxes.first());
    let (Some(last), Some(next)) = (last, next) else { return false };
    let link = &pieces[last.piece].link;
    link.is_some()
        && last.piece <= next.piece
        && pieces[last.piece..=next.piece].iter().all(|p| p.link == *link)
}

/// Joins the Link element that ends `before` with the one that starts `after`: drops the
/// end tag of the one and the start tag of the other, if they are there.
fn join_link(before: &mut Vec<(Point, FrameItem)>, after: &mut Vec<(Point, FrameItem)>) {
    // The last tag of `before` must end a Link, the first of `after` start one.
    let mut open = Vec::new();
    let mut end = None;
    for (k, (_, item)) in before.iter().enumerate() {
        match item {
            FrameItem::Tag(Tag::Start(e)) => open.push(e.role),
            FrameItem::Tag(Tag::End) => end = open.pop().map(|role| (k, role)),
            _ => {}
        }
    }
    let start = after.iter().position(|(_, item)| {
        matches!(item, FrameItem::Tag(Tag::Start(_)) | FrameItem::Tag(Tag::End))
    });
    let (Some((end, StructRole::Link)), Some(start)) = (end, start) else { return };
    let starts_link = matches!(&after[start].1, FrameItem::Tag(Tag::Start(e)) if e.role == StructRole::Link);
    let ends_last = before[end + 1..].iter().all(|(_, item)| {
        !matches!(item, FrameItem::Tag(Tag::Start(_)) | FrameItem::Tag(Tag::End))
    });
    if starts_link && ends_last {
        before.remove(end);
        after.remove(start);
    }
}

/// The narrowest width the pieces can take (widest word) and their natural width
/// (longest forced line).
pub fn measure(shaper: &mut Shaper, pieces: &[Piece]) -> (Pt, Pt) {
    let joined = Joined::new(pieces);
    let words = words(shaper, pieces, &joined, Pt(f64::MAX), false);
    let (mut min, mut max, mut line) = (Pt::ZERO, Pt::ZERO, Pt::ZERO);
    for word in &words {
        min = min.max(word.width);
        max = max.max(line + word.width);
        line += word.width + word.space_width;
        if word.after == After::Forced {
            line = Pt::ZERO;
        }
    }
    (min, max)
}

/// The width the pieces take if no line breaks inside a run of CJK characters (which
/// may break between any two): the widest such run, or word, capped at ten ems. A table
/// column gives a name like 阿尔巴尼亚 this much room before it breaks it.
pub fn preferred_min(shaper: &mut Shaper, pieces: &[Piece]) -> Pt {
    let joined = Joined::new(pieces);
    let words = words(shaper, pieces, &joined, Pt(f64::MAX), false);
    let em = pieces.first().map_or(Pt(10.0), |p| p.style.size);
    let (mut widest, mut run, mut min) = (Pt::ZERO, Pt::ZERO, Pt::ZERO);
    for word in &words {
        min = min.max(word.width);
        run += word.width;
        if !(word.after == After::Free && word.cjk_stretch > Pt::ZERO) {
            widest = widest.max(run);
            run = Pt::ZERO;
        }
    }
    widest.max(run).min(em * 10.0).max(min)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::FontBook;
    use crate::layout::frame::Glyph;
    use crate::layout::shape::{Role, TextStyle};
    use crate::layout::LayoutOptions;

    fn shaper() -> Shaper {
        let options = LayoutOptions::default();
        Shaper::new(FontBook::load(&options, &mut Vec::new()), &options)
    }

    fn lines(text: &str, width: f64) -> Vec<Line> {
        let mut s = shaper();
        let style = TextStyle::new(Role::Body, Pt(10.0));
        layout(&mut s, &[Piece::plain(text, style)], Pt(width), Align::Left, 1.4)
    }

    #[test]
    fn lines_never_exceed_the_width() {
        let text = "Astana is the capital. https://example.org/a/really/long/address/without/spaces \
                    supercalifragilisticexpialidocious 阿斯塔纳是哈萨克斯坦的首都。";
        for width in [30.0, 55.5, 80.0, 150.0, 400.0] {
            for line in lines(text, width) {
                assert!(line.width.0 <= width + 0.01, "{} > {width}", line.width.0);
                let end = line
                    .items
                    .iter()
                    .filter_map(|(p, i)| match i {
                        FrameItem::Text(r) => Some(p.x.0 + r.width().0),
                        _ => None,
                    })
                    .fold(0.0, f64::max);
                assert!(end <= width + 0.01, "run ends at {end} > {width}");
            }
        }
    }

    #[test]
    fn justified_lines_fill_the_width_except_the_last() {
        let mut s = shaper();
        let style = TextStyle::new(Role::Body, Pt(10.0));
        let text = "The official first floor affords fine office flow. ".repeat(6);
        let p = [Piece::plain(text, style)];
        let (lines, _) =
            paragraph(&mut s, &p, Pt(300.0), Align::Left, 1.4, Mode::Justify, true);
        assert!(lines.len() > 2);
        let end = |line: &Line| {
            line.items
                .iter()
                .filter_map(|(p, i)| match i {
                    FrameItem::Text(r) => Some(p.x.0 + r.width().0),
                    _ => None,
                })
                .fold(0.0, f64::max)
        };
        for line in &lines[..lines.len() - 1] {
            assert!((end(line) - 300.0).abs() < 0.01, "{}", end(line));
        }
        assert!(end(lines.last().unwrap()) < 299.0);
    }

    #[test]
    fn cjk_breaks_between_ideographs() {
        let out = lines("阿斯塔纳是哈萨克斯坦的首都阿斯塔纳是哈萨克斯坦的首都", 60.0);
        assert!(out.len() >= 4);
    }

    #[test]
    fn forced_break_starts_a_new_line() {
        assert_eq!(lines("one\ntwo", 400.0).len(), 2);
        assert_eq!(lines("one two", 400.0).len(), 1);
    }

    #[test]
    fn ligatures_and_kerning_are_applied() {
        let mut s = shaper();
        let style = TextStyle::new(Role::Body, Pt(10.0));
        let shaped = s.shape("office", &style);
        let glyphs: usize = shaped.runs.iter().map(|r| r.glyphs.len()).sum();
        assert!(glyphs < 6, "expected an ffi ligature");
        let texts: String = shaped
            .runs
            .iter()
            .flat_map(|r| r.glyphs.iter().map(|g| g.text.as_str()))
            .collect();
        assert_eq!(texts, "office");
    }

    #[test]
    fn glyph_texts_add_up_to_the_input() {
        let mut s = shaper();
        let style = TextStyle::new(Role::Body, Pt(10.0));
        for input in ["cafe\u{301}", "е\u{301}сть", "ffi ffl", "Oʻzbek"] {
            let shaped = s.shape(input, &style);
            let texts: String = shaped
                .runs
                .iter()
                .flat_map(|r| r.glyphs.iter().map(|g| g.text.as_str()))
                .collect();
            assert_eq!(texts, input);
        }
    }

    #[test]
    fn glyph_texts_add_up_in_long_clusters_and_runs() {
        let mut s = shaper();
        let style = TextStyle::new(Role::Body, Pt(10.0));
        let inputs = [
            format!("a{}", "\u{301}".repeat(5000)),
            format!("x{}y", " ".repeat(5000)),
            "office ".repeat(1000),
        ];
        for input in &inputs {
            let shaped = s.shape(input, &style);
            let glyphs: Vec<&Glyph> =
                shaped.runs.iter().flat_map(|r| r.glyphs.iter()).collect();
            let texts: String = glyphs.iter().map(|g| g.text.as_str()).collect();
            assert_eq!(&texts, input);
            assert!(glyphs.len() > 1000);
        }
    }

    #[test]
    fn fallback_covers_kazakh_uzbek_and_chinese() {
        let mut s = shaper();
        let style = TextStyle::new(Role::Body, Pt(10.0));
        let shaped = s.shape("әғқңөұүһі Oʻzbek 哈萨克", &style);
        assert!(shaped.missing.is_empty(), "{:?}", shaped.missing);
        assert!(shaped.runs.iter().all(|r| r.glyphs.iter().all(|g| g.gid != 0)));
    }

    #[test]
    fn narrow_justified_text_is_hyphenated_and_fits() {
        let mut s = shaper();
        s.set_language("en-GB");
        let style = TextStyle::new(Role::Body, Pt(10.0));
        let text = "Representatives acknowledged extraordinary infrastructural \
                    considerations regarding intergovernmental transportation.";
        let p = [Piece::plain(text, style)];
        let (lines, issues) =
            paragraph(&mut s, &p, Pt(120.0), Align::Left, 1.4, Mode::Justify, true);
        let texts: Vec<String> = lines
            .iter()
            .map(|l| {
                l.items
                    .iter()
                    .filter_map(|(_, i)| match i {
                        FrameItem::Text(r) => Some(
                            r.glyphs.iter().map(|g| g.text.as_str()).collect::<String>(),
                        ),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert!(texts.iter().any(|t| t.ends_with('-')), "{texts:?}");
        assert!(lines.iter().all(|l| l.width.0 <= 120.01));
        assert!(issues.iter().all(|i| !matches!(i, LineIssue::Overfull(..))));
    }

    #[test]
    fn a_code_span_breaks_after_a_hyphen_before_a_number() {
        // Set with `upcoming-28` unbreakable, the first line stretched its spaces to
        // 264% (the list item of a synthetic book, in its 464 pt column).
        let mut s = shaper();
        s.set_language("en");
        let body = TextStyle::new(Role::Body, Pt(10.0));
        let code = TextStyle::new(Role::Mono, Pt(9.0));
        let p = [
            Piece::plain(
                "Political broader council 莫斯科 currency drought negotiation a \
                 assessment hydropower ",
                body,
            ),
            Piece::plain("upcoming-28", code),
            Piece::plain(" scenario.", body),
        ];
        let (lines, issues) =
            paragraph(&mut s, &p, Pt(463.89), Align::Left, 1.4, Mode::Justify, true);
        assert!(issues.is_empty(), "{issues:?}");
        let first = line_text(&lines[0]);
        assert!(first.ends_with("upcoming-"), "{first}");
    }

    #[test]
    fn hydropower_breaks_after_hydro() {
        // With the US patterns' `hy-dropower` the first line of this list item (of the
        // shared benchmark corpus, in its 464 pt column) stretched its spaces to 217%.
        let mut s = shaper();
        s.set_language("en");
        let body = TextStyle::new(Role::Body, Pt(10.0));
        let p = [Piece::plain(
            "Regional an development committee emissions by outlook about strategy hub \
             terminal hydropower current hydropower not.",
            body,
        )];
        let (lines, issues) =
            paragraph(&mut s, &p, Pt(463.89), Align::Left, 1.4, Mode::Justify, true);
        assert!(issues.is_empty(), "{issues:?}");
        let first = line_text(&lines[0]);
        assert!(first.ends_with("hydro-"), "{first}");
    }

    /// Where the last glyph of a line ends.
    fn line_end(line: &Line) -> f64 {
        line.items
            .iter()
            .filter_map(|(p, i)| match i {
                FrameItem::Text(r)
                    if !r.glyphs.iter().all(|g| g.text.trim().is_empty()) =>
                {
                    Some(p.x.0 + r.width().0)
                }
                _ => None,
            })
            .fold(0.0, f64::max)
    }

    /// The widest gap a line's letters get beyond their natural advance.
    fn letter_spacing(s: &mut Shaper, line: &Line) -> f64 {
        let mut most: f64 = 0.0;
        for (_, item) in &line.items {
            let FrameItem::Text(run) = item else { continue };
            let text: String = run.glyphs.iter().map(|g| g.text.as_str()).collect();
            if text.trim().is_empty() || text.contains('-') {
                continue;
            }
            let style = TextStyle::new(Role::Body, run.size);
            let natural = s.shape(&text, &style).width;
            most = most.max((run.width() - natural).0 / text.chars().count() as f64);
        }
        most
    }

    #[test]
    fn a_line_without_good_breaks_is_letter_spaced_not_loose() {
        // A list item of the shared benchmark corpus (464 pt column): `agency` does not
        // fit the first line even with its spaces shrunk, and nothing divides it; the
        // spaces alone stretched to 235%.
        let mut s = shaper();
        s.set_language("en");
        let body = TextStyle::new(Role::Body, Pt(10.0));
        let mut p = Piece::plain(
            "Economic development policy Шанхайская организация сотрудничества noted, \
             credit in agency economic infrastructure consultation monthly.",
            body,
        );
        let ru = p.text.find('Ш').unwrap()..p.text.find(" noted").unwrap();
        p.langs.push((ru, "ru".into()));
        let (lines, issues) =
            paragraph(&mut s, &[p], Pt(463.89), Align::Left, 1.4, Mode::Justify, true);
        assert!(issues.is_empty(), "{issues:?}");
        assert!(
            line_text(&lines[0]).trim_end().ends_with("in"),
            "{}",
            line_text(&lines[0])
        );
        // The first line is flush with the margin, its letters spaced by less than
        // 0.03 em.
        assert!((line_end(&lines[0]) - 463.89).abs() < 0.01, "{}", line_end(&lines[0]));
        let spacing = letter_spacing(&mut s, &lines[0]);
        assert!(spacing > 0.01 && spacing <= 0.3 + 1e-9, "{spacing}");
    }

    #[test]
    fn paragraphs_without_loose_lines_are_not_letter_spaced() {
        let mut s = shaper();
        s.set_language("en-GB");
        let style = TextStyle::new(Role::Body, Pt(10.0));
        let text = "The official first floor affords fine office flow. ".repeat(6);
        let (lines, _) = paragraph(
            &mut s,
            &[Piece::plain(text, style)],
            Pt(300.0),
            Align::Left,
            1.4,
            Mode::Justify,
            true,
        );
        for line in &lines {
            assert!(letter_spacing(&mut s, line) < 1e-9, "{}", line_text(line));
        }
    }

    /// The text a laid-out line shows.
    fn line_text(line: &Line) -> String {
        line.items
            .iter()
            .filter_map(|(_, i)| match i {
                FrameItem::Text(r) => {
                    Some(r.glyphs.iter().map(|g| g.text.as_str()).collect::<String>())
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_word_wider_than_a_cell_is_hyphenated_before_it_is_cut() {
        let mut s = shaper();
        s.set_language("en");
        let style = TextStyle::new(Role::Heading, Pt(8.0));
        let p = [Piece::plain("Intergovernmental", style)];
        let lines = layout(&mut s, &p, Pt(45.0), Align::Left, 1.3);
        assert!(lines.len() >= 2);
        let first = line_text(&lines[0]);
        assert!(first.ends_with('-'), "{first}");
    }
}
