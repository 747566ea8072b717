//! The language of every run of text, recorded once in the model as
//! [`InlineKind::Lang`] wrappers, for every writer to use (EPUB `lang`/`xml:lang`,
//! PDF `/Lang` on marked content).
//!
//! A run's language comes from, in order of precedence:
//! 1. an explicit bracketed span in the Markdown, `[Астана]{lang=kk}` (also written by
//!    the `table` helper for data columns that declare a language);
//! 2. script detection, as a fallback for runs left untagged: Cyrillic and CJK text
//!    inside a book in another script (Latin-script names cannot be told from the
//!    book's language by their letters, so they need an explicit span).

use std::ops::Range;

use super::{Document, Inline, InlineKind};
use crate::diag::{Diagnostic, Sink};
pub use crate::locale::{primary_subtag, valid_tag};

// ---------------------------------------------------------------------------------
// 1. Bracketed spans: `[text]{lang=xx}`.
// ---------------------------------------------------------------------------------

/// The attribute block that closes a span, at the start of `raw` (the source text
/// after the `]`): `{lang=kk}` → (`kk`, length of `{lang=kk}`).
fn span_attributes(raw: &str) -> Option<(&str, usize)> {
    let rest = raw.strip_prefix("{lang=")?;
    let end = rest.find('}')?;
    let tag = rest[..end].trim().trim_matches(['"', '\'']);
    Some((tag, "{lang=".len() + end + 1))
}

/// Wraps bracketed spans in `out` (one inline list as parsed, with the source range
/// of each inline in `raw`) into [`InlineKind::Lang`].
///
/// The brackets must be written in the source: a `[` that came from data arrives as
/// `&#91;` and never opens a span. A span does not cross a link or emphasis
/// boundary; its content may hold any inline markup. A malformed tag is an error.
pub(super) fn bracketed_spans(
    out: &mut Vec<Inline>,
    ranges: &[Range<usize>],
    raw: &str,
    sink: &mut Sink,
) {
    if out.len() != ranges.len() || !out.iter().any(|i| is_text(i, "[")) {
        return;
    }
    let items: Vec<(Inline, Range<usize>)> =
        std::mem::take(out).into_iter().zip(ranges.iter().cloned()).collect();
    let n = items.len();
    // A closing text: its text and its source start with `]`. `next_close[j]` is the
    // first one at or after `j`, found once, so a run of unclosed `[` costs linear time
    // (brackets do not nest: the first `]` after a `[` is the one that may close it).
    let closes = |(inline, range): &(Inline, Range<usize>)| {
        matches!(&inline.kind, InlineKind::Text(t) if t.starts_with(']'))
            && raw.get(range.start..).is_some_and(|r| r.starts_with(']'))
    };
    let mut next_close = vec![n; n + 1];
    for j in (0..n).rev() {
        next_close[j] = if closes(&items[j]) { j } else { next_close[j + 1] };
    }
    let mut slots: Vec<Option<(Inline, Range<usize>)>> =
        items.into_iter().map(Some).collect();
    fn item(
        slots: &[Option<(Inline, Range<usize>)>],
        k: usize,
    ) -> &(Inline, Range<usize>) {
        slots[k].as_ref().expect("an item is taken once")
    }
    let mut result = Vec::with_capacity(n);
    let mut i = 0;
    while i < n {
        let (open, open_range) = item(&slots, i);
        let opens = is_text(open, "[") && raw.get(open_range.clone()) == Some("[");
        let close = opens.then(|| next_close[i + 1]).filter(|&j| j < n).and_then(|j| {
            let at = item(&slots, j).1.start;
            let (tag, len) = span_attributes(raw.get(at + 1..)?)?;
            Some((j, tag.to_string(), at + 1 + len))
        });
        let Some((j, tag, attr_end)) = close else {
            result.extend(slots[i].take());
            i += 1;
            continue;
        };
        let (open, open_range) = slots[i].take().expect("an item is taken once");
        if !valid_tag(&tag) {
            sink.push(
                Diagnostic::error(
                    open.span.clone(),
                    format!("`{tag}` is not a language tag"),
                )
                .with_hint(
                    "write a BCP 47 tag such as `kk`, `zh-Hans` or `uz-Latn`: \
                         `[Oʻzbekiston]{lang=uz}`",
                ),
            );
        }
        // The closing text and any text inlines up to the end of the attributes go;
        // what follows the attributes in the last of them stays, outside the span.
        let mut k = j;
        let mut tail = None;
        while k < n && item(&slots, k).1.start < attr_end {
            let (inline, range) = item(&slots, k);
            let range = range.clone();
            if range.end > attr_end {
                if let InlineKind::Text(t) = &inline.kind {
                    let cut = attr_end - range.start;
                    if let Some(rest) = t.get(cut..) {
                        tail = Some((
                            Inline::text(rest, inline.span.clone()),
                            attr_end..range.end,
                        ));
                    }
                }
            }
            k += 1;
        }
        let content: Vec<Inline> = (i + 1..j)
            .filter_map(|x| slots[x].take().map(|(inline, _)| inline))
            .collect();
        let lang =
            Inline { kind: InlineKind::Lang { lang: tag, content }, span: open.span };
        result.push((lang, open_range.start..attr_end));
        result.extend(tail);
        i = k;
    }
    *out = result.into_iter().map(|(inline, _)| inline).collect();
}

fn is_text(inline: &Inline, text: &str) -> bool {
    matches!(&inline.kind, InlineKind::Text(t) if t == text)
}

// ---------------------------------------------------------------------------------
// 2. Script detection (the fallback).
// ---------------------------------------------------------------------------------

/// The writing systems recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    /// Cyrillic letters (Russian, Kazakh, …).
    Cyrillic,
    /// Han ideographs and Japanese kana.
    Cjk,
    /// Korean Hangul.
    Hangul,
}

/// What one character contributes to a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// A letter of a recognised script: starts or extends a run.
    Strong(Script),
    /// CJK punctuation and full-width forms: extend a CJK run, neutral otherwise.
    WeakCjk,
    /// Spaces, digits, punctuation: kept inside a run only between two letters of it.
    Neutral,
    /// Any other letter (Latin, Arabic, …): ends a run.
    Other,
}

fn classify(c: char) -> Class {
    match c as u32 {
        0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => {
            Class::Strong(Script::Cyrillic)
        }
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF => {
            Class::Strong(Script::Cjk)
        }
        0xF900..=0xFAFF | 0x20000..=0x3134F => Class::Strong(Script::Cjk),
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => {
            Class::Strong(Script::Hangul)
        }
        0x3000..=0x303F | 0xFF00..=0xFFEF => Class::WeakCjk,
        _ if c.is_alphabetic() => Class::Other,
        _ => Class::Neutral,
    }
}

/// Letters used by Kazakh but not by Russian.
fn is_kazakh_letter(c: char) -> bool {
    "әӘғҒқҚңҢөӨұҰүҮһҺіІ".contains(c)
}

/// Letters used by Tajik but by neither Russian nor Kazakh.
fn is_tajik_letter(c: char) -> bool {
    "ҷҶӣӢӯӮҳҲ".contains(c)
}

fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x31F0..=0x31FF)
}

/// One run of a recognised script.
struct Run {
    script: Script,
    range: Range<usize>,
    kazakh: bool,
    tajik: bool,
    kana: bool,
}

impl Run {
    /// The language of the run, or `None` when it is the book's own language.
    fn lang(&self, book: &str) -> Option<&'static str> {
        let lang = match self.script {
            Script::Cyrillic if self.tajik => "tg",
            Script::Cyrillic if self.kazakh => "kk",
            // In a Cyrillic-script book, plain Cyrillic is the book's language.
            Script::Cyrillic
                if ["kk", "tg", "ky", "ru", "uk", "be", "mn"].contains(&book) =>
            {
                return None
            }
            Script::Cyrillic => "ru",
            Script::Cjk if self.kana => "ja",
            // Japanese books write Han too.
            Script::Cjk if book == "ja" => return None,
            Script::Cjk => "zh",
            Script::Hangul => "ko",
        };
        (lang != book).then_some(lang)
    }
}

/// The runs of `text` in a script other than the book's, with the language guessed
/// from the letters; `book` is the primary subtag of the book language.
pub fn detect(text: &str, book: &str) -> Vec<(Range<usize>, &'static str)> {
    let mut out = Vec::new();
    let mut run: Option<Run> = None;
    let flush = |r: Run, out: &mut Vec<_>| {
        if let Some(lang) = r.lang(book) {
            out.push((r.range, lang));
        }
    };
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        match classify(c) {
            Class::Neutral => {}
            Class::WeakCjk => {
                if let Some(r) = run.as_mut().filter(|r| r.script == Script::Cjk) {
                    r.range.end = end;
                }
            }
            Class::Other => {
                if let Some(r) = run.take() {
                    flush(r, &mut out);
                }
            }
            Class::Strong(script) => {
                if run.as_ref().is_some_and(|r| r.script != script) {
                    if let Some(r) = run.take() {
                        flush(r, &mut out);
                    }
                }
                let r = run.get_or_insert(Run {
                    script,
                    range: i..end,
                    kazakh: false,
                    tajik: false,
                    kana: false,
                });
                r.range.end = end;
                r.kazakh |= is_kazakh_letter(c);
                r.tajik |= is_tajik_letter(c);
                r.kana |= is_kana(c);
            }
        }
    }
    if let Some(r) = run.take() {
        flush(r, &mut out);
    }
    out
}

/// Splits `text` into runs: `(text, Some(lang))` for detected foreign runs, `(text,
/// None)` for the book's language.
pub fn split<'t>(text: &'t str, book: &str) -> Vec<(&'t str, Option<&'static str>)> {
    let mut out = Vec::new();
    let mut done = 0;
    for (range, lang) in detect(text, book) {
        if range.start > done {
            out.push((&text[done..range.start], None));
        }
        out.push((&text[range.clone()], Some(lang)));
        done = range.end;
    }
    if done < text.len() || out.is_empty() {
        out.push((&text[done..], None));
    }
    out
}

/// Tags every text run of the document that no explicit span covers, by script
/// (the fallback). Runs already inside an [`InlineKind::Lang`] are left alone, so
/// the pass can be run again on its own output. `build_document` does the same file by
/// file as it converts them (`tag_file`); a document built by hand should call this.
pub fn tag_scripts(doc: &mut Document) {
    let book = primary_subtag(&doc.meta.language).to_string();
    super::visit::each_inline_list_mut(doc, &mut |list| tag_inlines(list, &book));
}

/// [`tag_scripts`] for one converted file: its headings, blocks and notes. Done when
/// the file is converted, so a rebuild tags only the files that changed.
pub(super) fn tag_file(
    items: &mut [super::markdown::Item],
    notes: &mut super::markdown::FileNotes,
    language: &str,
) {
    use super::markdown::Item;
    let book = primary_subtag(language).to_string();
    let tag = &mut |list: &mut Vec<Inline>| tag_inlines(list, &book);
    for item in items {
        match item {
            Item::Heading { content, .. } => tag(content),
            Item::Block(b) => super::visit::blocks_mut(std::slice::from_mut(b), tag),
        }
    }
    for def in &mut notes.defs {
        super::visit::blocks_mut(&mut def.1, tag);
    }
}

/// Tags the headings of `sections` and their subsections alone (what is added to them
/// after conversion: the portion marks).
pub(super) fn tag_headings(sections: &mut [super::Section], language: &str) {
    let book = primary_subtag(language).to_string();
    fn walk(sections: &mut [super::Section], book: &str) {
        for s in sections {
            tag_inlines(&mut s.heading.content, book);
            walk(&mut s.children, book);
        }
    }
    walk(sections, &book);
}

/// Splits the text inlines of `list` (and of its markup, but not of explicit
/// language spans) at foreign-script runs.
fn tag_inlines(list: &mut Vec<Inline>, book: &str) {
    let needs = list.iter().any(|i| match &i.kind {
        InlineKind::Text(t) => !detect(t, book).is_empty(),
        _ => true,
    });
    if !needs {
        return;
    }
    let mut out = Vec::with_capacity(list.len());
    for mut inline in std::mem::take(list) {
        match &mut inline.kind {
            InlineKind::Text(t) => {
                let runs = split(t, book);
                if runs.len() == 1 && runs[0].1.is_none() {
                    out.push(inline);
                    continue;
                }
                for (text, lang) in runs {
                    let piece = Inline::text(text, inline.span.clone());
                    out.push(match lang {
                        Some(lang) => Inline {
                            kind: InlineKind::Lang {
                                lang: lang.to_string(),
                                content: vec![piece],
                            },
                            span: inline.span.clone(),
                        },
                        None => piece,
                    });
                }
            }
            InlineKind::Emphasis(c)
            | InlineKind::Strong(c)
            | InlineKind::Strikethrough(c)
            | InlineKind::Link { content: c, .. } => {
                tag_inlines(c, book);
                out.push(inline);
            }
            _ => out.push(inline),
        }
    }
    *list = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs<'a>(text: &'a str, book: &str) -> Vec<(&'a str, &'static str)> {
        detect(text, book).into_iter().map(|(r, l)| (&text[r], l)).collect()
    }

    #[test]
    fn russian_run_with_inner_spaces_is_one_run() {
        assert_eq!(
            runs("The capital, Астана и Алматы, grew.", "en"),
            [("Астана и Алматы", "ru")]
        );
    }

    #[test]
    fn kazakh_and_tajik_letters_decide() {
        assert_eq!(runs("Қазақстан", "en"), [("Қазақстан", "kk")]);
        assert_eq!(runs("Тоҷикистон", "en"), [("Тоҷикистон", "tg")]);
    }

    #[test]
    fn han_run_includes_cjk_punctuation_and_scripts_switch() {
        assert_eq!(runs("Name: 阿斯塔纳。 ok", "en"), [("阿斯塔纳。", "zh")]);
        assert_eq!(runs("Астана阿斯塔纳", "en"), [("Астана", "ru"), ("阿斯塔纳", "zh")]);
    }

    #[test]
    fn the_book_language_is_not_tagged() {
        assert!(runs("Москва и Минск", "ru").is_empty());
        assert!(runs("Алматы", "kk").is_empty());
        assert_eq!(split("a Б c", "en"), [("a ", None), ("Б", Some("ru")), (" c", None)]);
    }

    #[test]
    fn tags_are_checked() {
        assert!(valid_tag("kk") && valid_tag("zh-Hans") && valid_tag("uz-Latn"));
        assert!(!valid_tag("k") && !valid_tag("kazakh") && !valid_tag("kk_KZ"));
    }

    #[test]
    fn span_attributes_parse() {
        assert_eq!(span_attributes("{lang=kk} rest"), Some(("kk", 9)));
        assert_eq!(span_attributes("{lang=\"uz\"}"), Some(("uz", 11)));
        assert_eq!(span_attributes("{.class}"), None);
    }
}
