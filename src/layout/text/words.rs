//! Preparing pieces for line breaking: the text is cut at UAX #14 break opportunities
//! into words, words are cut at hyphenation points, and words wider than the line are cut
//! between characters (emergency breaks). Every part is shaped (the shaper caches shaped
//! text, so repeated words cost one lookup).

use std::ops::Range;

use hyphenation::Standard;
use unicode_linebreak::{linebreaks, BreakOpportunity};

use super::super::shape::{Role, Shaper};
use super::cjk::is_ideograph as is_cjk;
use super::Piece;
use crate::geom::Pt;

/// What may follow a word: the kind of break opportunity after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    /// An inter-word space (stretchable glue).
    Glue,
    /// A break without a space (between ideographs, after a slash).
    Free,
    /// A break after an explicit hyphen or dash in the text.
    Dash,
    /// A hyphenation point: a hyphen is drawn if the line breaks here.
    Hyphen,
    /// A break inside a word too wide for the line.
    Emergency,
    /// A forced line break.
    Forced,
    /// The end of the text.
    End,
}

/// Text in one piece's style, inside a word.
#[derive(Debug, Clone)]
pub struct WordBox {
    /// The index of the piece.
    pub piece: usize,
    /// The byte range in the joined text.
    pub range: Range<usize>,
}

/// The text between two break opportunities (or a part of a word).
#[derive(Debug, Clone)]
pub struct Word {
    /// The content, one box per piece it touches.
    pub boxes: Vec<WordBox>,
    /// The content's width.
    pub width: Pt,
    /// Trailing whitespace (dropped at the end of a line), with its piece.
    pub space: Option<WordBox>,
    /// The width of `space`.
    pub space_width: Pt,
    /// The width of a hyphen in the style of the last box.
    pub hyphen_width: Pt,
    /// What may follow.
    pub after: After,
    /// Stretch allowed after the word when justifying, other than its space: between
    /// two CJK characters (which are set without spaces), a tenth of an em.
    pub cjk_stretch: Pt,
    /// The stretch of the gaps between its letters, used only as emergency stretch
    /// (`track::measure` sets it when a paragraph needs it; zero until then).
    pub letter_stretch: Pt,
}

/// The joined text of the pieces and where each piece starts in it.
pub struct Joined {
    /// All pieces' text.
    pub text: String,
    /// The start of each piece in `text`.
    pub starts: Vec<usize>,
}

impl Joined {
    /// Joins the pieces' text.
    pub fn new(pieces: &[Piece]) -> Self {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(pieces.len());
        for p in pieces {
            starts.push(text.len());
            text.push_str(&p.text);
        }
        Self { text, starts }
    }

    /// The index of the piece containing byte `at` (the last piece starting at or
    /// before it, so an empty piece never wins over the one after it).
    pub fn piece_at(&self, at: usize) -> usize {
        // `starts` is sorted: a binary search keeps this O(log pieces) per call, which
        // matters for paragraphs of many thousands of pieces (`[[[[…`).
        self.starts.partition_point(|&s| s <= at).saturating_sub(1)
    }
}

/// Cuts the pieces into words. Words wider than `width` are cut between characters;
/// with `hyphenate`, words are also cut at hyphenation points (see [`patterns`] for
/// which patterns serve a word).
pub fn words(
    shaper: &mut Shaper,
    pieces: &[Piece],
    joined: &Joined,
    width: Pt,
    hyphenate: bool,
) -> Vec<Word> {
    let text = &joined.text;
    let mut out = Vec::new();
    let mut prev = 0;
    let cjk = shaper.cjk();
    // Whether the word goes on from a soft hyphen before this segment.
    let mut soft_before = false;
    for (at, kind) in linebreaks(text) {
        if at == prev {
            continue;
        }
        if cjk && kind == BreakOpportunity::Allowed && !super::cjk::may_break(text, at) {
            continue;
        }
        let segment = &text[prev..at];
        let mut content_end = prev + segment.trim_end().len();
        // A soft hyphen (U+00AD, `&shy;`) is a hyphenation point the author chose: it
        // is not drawn, and a hyphen is, if the line breaks there.
        let body = segment.trim_end_matches(SOFT_HYPHEN);
        let soft = kind == BreakOpportunity::Allowed
            && content_end == at
            && body.len() < segment.len()
            && body.chars().any(char::is_alphanumeric);
        if soft {
            content_end = prev + body.len();
        }
        let after = if kind == BreakOpportunity::Mandatory && at < text.len() {
            After::Forced
        } else if at >= text.len() {
            After::End
        } else if soft {
            After::Hyphen
        } else if content_end < at {
            After::Glue
        } else if segment.ends_with(['-', '\u{2010}', '\u{2013}', '\u{2014}']) {
            After::Dash
        } else {
            After::Free
        };
        // A word with soft hyphens breaks only there (as in TeX).
        let chosen = std::mem::replace(&mut soft_before, soft) || soft;
        // Hyphenation points (not in code). Where hyphenation is off (headings, cells),
        // a word wider than the line is still hyphenated before it is cut anywhere.
        let mut cuts = vec![prev];
        let role = pieces[joined.piece_at(prev)].style.role;
        // A word of more than LONG_WORD characters is in no dictionary: it is cut at
        // once, without hyphenation and without being shaped whole (a megabyte without
        // a space would otherwise be 250,000 syllables, or one run of a million glyphs).
        let long = width.0 < f64::MAX
            && text[prev..content_end].chars().nth(LONG_WORD).is_some();
        let patterns = patterns(pieces, joined, prev..content_end, shaper.hyphenator());
        let dict = match patterns {
            _ if long || chosen => None,
            // A name the patterns were not made for stays whole if it fits the line.
            Some(d)
                if hyphenate
                    && !starts_sentence(text, prev)
                    && super::keeps_whole(d, &text[prev..content_end]) =>
            {
                let whole =
                    make(shaper, pieces, joined, prev..content_end, After::Hyphen);
                (whole.width > width).then_some(d)
            }
            Some(d) if hyphenate => Some(d),
            Some(d) if width.0 < f64::MAX => {
                let whole =
                    make(shaper, pieces, joined, prev..content_end, After::Hyphen);
                (whole.width > width).then_some(d)
            }
            _ => None,
        };
        if let Some(dict) = dict.filter(|_| role != Role::Mono) {
            let points = shaper.hyphenation_points(dict, &text[prev..content_end]);
            cuts.extend(points.iter().map(|p| prev + p));
        }
        let dashes = if long { vec![] } else { dash_breaks(&text[prev..content_end]) };
        cuts.extend(dashes.iter().map(|d| prev + d));
        cuts.sort_unstable();
        cuts.dedup();
        cuts.push(content_end);
        let first = out.len();
        for pair in cuts.windows(2) {
            if long {
                out.extend(split(shaper, pieces, joined, pair[0]..pair[1], width));
                continue;
            }
            let kind = if dashes.contains(&(pair[1] - prev)) {
                After::Dash
            } else {
                After::Hyphen
            };
            let part = make(shaper, pieces, joined, pair[0]..pair[1], kind);
            if part.width > width {
                out.extend(split(shaper, pieces, joined, pair[0]..pair[1], width));
            } else {
                out.push(part);
            }
        }
        if out.len() == first {
            out.push(make(shaper, pieces, joined, prev..prev, after));
        }
        let next_cjk = text[at..].chars().next().is_some_and(is_cjk);
        if let Some(last) = out.last_mut() {
            last.after = after;
            let ends_cjk =
                text[prev..content_end].chars().next_back().is_some_and(is_cjk);
            // In a CJK book, full-width punctuation takes up slack like an ideograph.
            let solid = cjk && {
                let last_char = text[prev..content_end].chars().next_back();
                let next_char = text[at..].chars().next();
                super::cjk::set_solid(last_char, next_char)
            };
            if after == After::Free && (ends_cjk && next_cjk || solid) {
                if let Some(b) = last.boxes.last() {
                    last.cjk_stretch = pieces[b.piece].style.size * 0.1;
                }
            }
            // Trailing whitespace in the style of the piece it belongs to.
            let visible = text[content_end..at].trim_end_matches(['\n', '\r']);
            if !visible.is_empty() && !soft {
                let piece = joined.piece_at(content_end);
                let range = content_end..content_end + visible.len();
                let shaped = shaper.shape(&text[range.clone()], &pieces[piece].style);
                last.space_width = shaped.width;
                last.space = Some(WordBox { piece, range });
            }
        }
        prev = at;
    }
    out
}

/// The hyphenation patterns for the word at `range` of the joined text: those of the
/// language the model recorded for the run its first letter is in (`model::lang`:
/// an explicit span, or a run in another script), else the book's (`book`). The
/// layout guesses no language of its own; a language without patterns (Kazakh, Uzbek)
/// leaves its words unhyphenated, even in a book whose language has some.
fn patterns(
    pieces: &[Piece],
    joined: &Joined,
    range: Range<usize>,
    book: Option<&'static Standard>,
) -> Option<&'static Standard> {
    let Some(letter) = joined.text[range.clone()].find(char::is_alphabetic) else {
        return book;
    };
    let at = range.start + letter;
    let piece = joined.piece_at(at);
    let within = at - joined.starts[piece];
    match pieces[piece].langs.iter().find(|(r, _)| r.contains(&within)) {
        Some((_, tag)) => super::dictionary(tag),
        None => book,
    }
}

/// Byte offsets inside `word` just after a hyphen between a letter and a digit
/// (`after-50`, `COVID-19`): UAX #14 forbids a break there, because `-5` may be a
/// negative number, but after a letter the hyphen joins a word and a number, and TeX
/// breaks after it as after any explicit hyphen. Without it a code span such as
/// `budget-12` cannot be broken at all and leaves a very loose line before it.
fn dash_breaks(word: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in word.char_indices() {
        if c == '-' && prev.is_some_and(char::is_alphabetic) {
            let next = word[i + 1..].chars().next();
            if next.is_some_and(|n| n.is_ascii_digit()) {
                out.push(i + 1);
            }
        }
        prev = Some(c);
    }
    out
}

/// A word over `range`, split at piece boundaries and shaped.
fn make(
    shaper: &mut Shaper,
    pieces: &[Piece],
    joined: &Joined,
    range: Range<usize>,
    after: After,
) -> Word {
    let mut word = Word {
        boxes: Vec::new(),
        width: Pt::ZERO,
        space: None,
        space_width: Pt::ZERO,
        hyphen_width: Pt::ZERO,
        after,
        cjk_stretch: Pt::ZERO,
        letter_stretch: Pt::ZERO,
    };
    // Pieces are contiguous in the joined text, so only those from the one holding
    // `range.start` up to the one holding `range.end` can overlap it.
    let first = joined.piece_at(range.start);
    for (i, p) in pieces.iter().enumerate().skip(first) {
        let (ps, pe) = (joined.starts[i], joined.starts[i] + p.text.len());
        if ps >= range.end {
            break;
        }
        let (s, e) = (ps.max(range.start), pe.min(range.end));
        if s >= e {
            continue;
        }
        let shaped = shaper.shape_at(&joined.text[s..e], &p.style, p.span.as_ref());
        word.width += shaped.width;
        word.boxes.push(WordBox { piece: i, range: s..e });
    }
    if let Some(last) = word.boxes.last() {
        word.hyphen_width = shaper.shape("-", &pieces[last.piece].style).width;
    }
    word
}

/// The soft hyphen: a break point that shows a hyphen only if the line breaks there.
const SOFT_HYPHEN: char = '\u{AD}';

/// Words of more characters than this are not hyphenated, and when they are cut their
/// middle is cut into line-wide slices rather than single characters (see [`split`]).
/// No real word comes near it; a megabyte without a space would otherwise be a million
/// break candidates.
const LONG_WORD: usize = 1024;

/// The characters kept apart at each end of a long word, so it can still start on
/// a partly filled line and end where the next word continues it.
const LONG_WORD_EDGE: usize = 256;

/// Cuts an over-wide word between characters (never before a combining mark); every
/// cut is an emergency break, so the line breaker can fill lines with its parts.
///
/// A word of more than [`LONG_WORD`] characters is cut between characters only near
/// its ends; its middle is cut into slices as wide as the line allows, so the line
/// breaker sees a few candidates per line instead of one per character.
fn split(
    shaper: &mut Shaper,
    pieces: &[Piece],
    joined: &Joined,
    range: Range<usize>,
    width: Pt,
) -> Vec<Word> {
    let cells = cells(&joined.text, range);
    let mut out = Vec::new();
    if cells.len() <= LONG_WORD {
        for cell in cells {
            out.push(make(shaper, pieces, joined, cell, After::Emergency));
        }
        return out;
    }
    let (head, rest) = cells.split_at(LONG_WORD_EDGE);
    let (middle, tail) = rest.split_at(rest.len() - LONG_WORD_EDGE);
    for cell in head {
        out.push(make(shaper, pieces, joined, cell.clone(), After::Emergency));
    }
    let mut from = 0;
    while from < middle.len() {
        // As many characters as fit: measured one by one (cached), then shaped
        // together; kerning may make the slice wider, then it loses characters.
        let mut to = from;
        let mut sum = Pt::ZERO;
        while to < middle.len() {
            let w = make(shaper, pieces, joined, middle[to].clone(), After::Emergency);
            if to > from && sum + w.width > width {
                break;
            }
            sum += w.width;
            to += 1;
        }
        loop {
            let slice = middle[from].start..middle[to - 1].end;
            let word = make(shaper, pieces, joined, slice, After::Emergency);
            if word.width <= width || to == from + 1 {
                out.push(word);
                break;
            }
            to -= 1;
        }
        from = to;
    }
    for cell in tail {
        out.push(make(shaper, pieces, joined, cell.clone(), After::Emergency));
    }
    out
}

/// The characters of `text[range]`, each with the combining marks that follow it, as
/// byte ranges of `text`.
fn cells(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut chars = text[range.clone()].char_indices().peekable();
    while let Some((off, c)) = chars.next() {
        let at = range.start + off;
        let mut end = at + c.len_utf8();
        while let Some(&(o, m)) = chars.peek() {
            if !is_combining(m) {
                break;
            }
            end = range.start + o + m.len_utf8();
            chars.next();
        }
        out.push(at..end);
    }
    out
}

/// Whether the word at byte `at` starts a sentence (or the text): a capital there says
/// nothing about a name.
fn starts_sentence(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end();
    let before =
        before.trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')', '*', '_']);
    before.is_empty() || before.ends_with(['.', '!', '?', ':', '\u{2022}'])
}

fn is_combining(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200C..=0x200D
        | 0x20D0..=0x20FF | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::FontBook;
    use crate::layout::shape::TextStyle;
    use crate::layout::LayoutOptions;

    fn shaper() -> Shaper {
        let options = LayoutOptions::default();
        Shaper::new(FontBook::load(&options, &mut Vec::new()), &options)
    }

    fn pieces(texts: &[&str]) -> Vec<Piece> {
        let style = TextStyle::new(Role::Body, Pt(10.0));
        texts.iter().map(|t| Piece::plain(*t, style)).collect()
    }

    #[test]
    fn piece_at_skips_empty_pieces() {
        let p = pieces(&["ab", "", "", "cd", "e"]);
        let joined = Joined::new(&p);
        let at: Vec<usize> = (0..5).map(|i| joined.piece_at(i)).collect();
        assert_eq!(at, [0, 0, 3, 3, 4]);
        assert_eq!(joined.piece_at(99), 4);
    }

    #[test]
    fn a_word_gets_one_box_per_piece_it_touches() {
        let mut s = shaper();
        let texts: Vec<String> =
            (0..500).map(|i| ["[", "x", "]"][i % 3].to_string()).collect();
        let p = pieces(&texts.iter().map(String::as_str).collect::<Vec<_>>());
        let joined = Joined::new(&p);
        let word = make(&mut s, &p, &joined, 10..20, After::Glue);
        let boxes: Vec<(usize, Range<usize>)> =
            word.boxes.iter().map(|b| (b.piece, b.range.clone())).collect();
        assert_eq!(boxes, (10..20).map(|i| (i, i..i + 1)).collect::<Vec<_>>());
        assert!(make(&mut s, &p, &joined, 7..7, After::Glue).boxes.is_empty());
    }

    /// The parts of an over-wide word, as text, and their widths.
    fn parts(text: &str, width: f64) -> Vec<(String, Pt)> {
        let mut s = shaper();
        let p = pieces(&[text]);
        let joined = Joined::new(&p);
        split(&mut s, &p, &joined, 0..text.len(), Pt(width))
            .iter()
            .map(|w| {
                let t: String = w.boxes.iter().map(|b| &text[b.range.clone()]).collect();
                (t, w.width)
            })
            .collect()
    }

    /// The words of `text` in an `book` book with hyphenation, as text with `-` at
    /// hyphenation points; `tag` marks all of `text` as in that language.
    fn hyphenated(book: &str, text: &str, tag: Option<&str>) -> String {
        let mut s = shaper();
        s.set_language(book);
        let mut p = pieces(&[text]);
        if let Some(tag) = tag {
            p[0].langs.push((0..text.len(), tag.into()));
        }
        let joined = Joined::new(&p);
        let mut out = String::new();
        for w in words(&mut s, &p, &joined, Pt(400.0), true) {
            out.extend(w.boxes.iter().map(|b| &text[b.range.clone()]));
            out.push_str(match w.after {
                After::Hyphen => "-",
                After::Glue => " ",
                _ => "",
            });
        }
        out
    }

    #[test]
    fn a_runs_language_chooses_its_patterns() {
        // A run the model tagged Russian gets the Russian patterns in an English book
        // and in a Kazakh one (which has none of its own).
        let ru = "со-труд-ни-че-ство";
        assert_eq!(hyphenated("en-GB", "сотрудничество", Some("ru")), ru);
        assert_eq!(hyphenated("kk", "сотрудничество", Some("ru")), ru);
        // Kazakh and Uzbek have no patterns: their runs are not hyphenated with those of
        // another language that happens to share the script.
        assert_eq!(hyphenated("en-GB", "сотрудничество", Some("kk")), "сотрудничество");
        assert_eq!(hyphenated("en-GB", "hamkorlik", Some("uz")), "hamkorlik");
        assert_eq!(hyphenated("en-GB", "hamkorlik", None), "hamkor-lik");
        // A German run in an English book is divided the German way.
        assert_eq!(hyphenated("en-GB", "Wirtschaftsministerium", None), {
            "Wirtschafts-min-is-terium"
        });
        assert_eq!(hyphenated("en-GB", "Wirtschaftsministerium", Some("de")), {
            "Wirt-schafts-mi-nis-te-ri-um"
        });
        // Untagged Cyrillic (a document that skipped `model::lang`) is not guessed at.
        assert_eq!(hyphenated("en-GB", "сотрудничество", None), "сотрудничество");
    }

    #[test]
    fn a_word_with_soft_hyphens_breaks_only_there() {
        // The patterns would divide `establishmentarianism` too; the author's soft
        // hyphens are the only break points, and are not part of the words' text.
        let word = "antidis\u{AD}establishment\u{AD}arianism";
        assert_eq!(hyphenated("en-GB", word, None), "antidis-establishment-arianism");
        assert_eq!(
            hyphenated("en-GB", "antidisestablishmentarianism", None),
            "an-ti-dis-es-tab-lish-ment-ari-an-ism"
        );
        // Not after nothing, nor before a space (where the line breaks anyway).
        assert_eq!(hyphenated("en-GB", "a \u{AD}bc", None), "a \u{AD}bc");
    }

    #[test]
    fn a_hyphen_between_a_word_and_a_number_is_a_break() {
        assert_eq!(dash_breaks("after-50"), [6]);
        assert_eq!(dash_breaks("COVID-19,"), [6]);
        // A negative number, a range of numbers and a hyphen between letters (UAX #14
        // breaks there already) are left alone.
        assert!(dash_breaks("-5").is_empty());
        assert!(dash_breaks("2020-25").is_empty());
        assert!(dash_breaks("well-known").is_empty());
    }

    #[test]
    fn an_over_wide_word_is_cut_between_characters() {
        let got = parts("abce\u{301}f", 10.0);
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["a", "b", "c", "e\u{301}", "f"]);
    }

    #[test]
    fn a_very_long_word_is_cut_in_line_wide_slices_between_its_ends() {
        let word: String = (0..5000).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        let got = parts(&word, 100.0);
        let joined: String = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(joined, word);
        let (head, rest) = got.split_at(LONG_WORD_EDGE);
        let (middle, tail) = rest.split_at(rest.len() - LONG_WORD_EDGE);
        assert!(head.iter().chain(tail).all(|(t, _)| t.chars().count() == 1));
        assert!(middle.iter().all(|(_, w)| w.0 <= 100.0));
        // Every slice but the last is full: one more character would not fit.
        let one = |c: char| parts(&c.to_string(), 100.0)[0].1;
        for (i, (t, w)) in middle.iter().enumerate().take(middle.len() - 1) {
            let next = middle[i + 1].0.chars().next().unwrap();
            assert!(w.0 + one(next).0 > 100.0 - 0.5, "slice {i} `{t}` is short");
        }
        assert!(middle.len() < (5000 - 2 * LONG_WORD_EDGE) / 10, "{}", middle.len());
    }
}
