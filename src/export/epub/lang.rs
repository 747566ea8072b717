//! Language tagging of foreign-script runs: Cyrillic and CJK text inside a book in
//! another language is wrapped in `<span lang xml:lang>` so reading systems pick the
//! right fonts, hyphenation and voices.

use super::xhtml::push_escaped;

/// The writing systems we tag.
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
    /// A letter of a tagged script: starts or extends a run.
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

/// One run of a tagged script: byte range and the language it is tagged with.
struct Run {
    script: Script,
    start: usize,
    end: usize,
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
            // In a Kazakh or Russian book, plain Cyrillic is the book's language.
            Script::Cyrillic if book == "kk" || book == "tg" => return None,
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

/// The primary language subtag of a BCP 47 tag, lowercased (`en-GB` → `en`).
pub(super) fn primary_subtag(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}

/// Appends `text`, escaped, wrapping foreign-script runs in language spans.
///
/// `book` is the primary subtag of the book language (see [`primary_subtag`]).
pub(super) fn push_text(out: &mut String, text: &str, book: &str) {
    let mut done = 0;
    let mut run: Option<Run> = None;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        match classify(c) {
            Class::Neutral => {}
            Class::WeakCjk => {
                if let Some(r) = run.as_mut().filter(|r| r.script == Script::Cjk) {
                    r.end = end;
                }
            }
            Class::Other => {
                if let Some(r) = run.take() {
                    done = flush(out, text, done, &r, book);
                }
            }
            Class::Strong(script) => {
                if run.as_ref().is_some_and(|r| r.script != script) {
                    if let Some(r) = run.take() {
                        done = flush(out, text, done, &r, book);
                    }
                }
                let r = run.get_or_insert(Run {
                    script,
                    start: i,
                    end,
                    kazakh: false,
                    tajik: false,
                    kana: false,
                });
                r.end = end;
                r.kazakh |= is_kazakh_letter(c);
                r.tajik |= is_tajik_letter(c);
                r.kana |= is_kana(c);
            }
        }
    }
    if let Some(r) = run.take() {
        done = flush(out, text, done, &r, book);
    }
    push_escaped(out, &text[done..]);
}

/// Writes the text before the run and the run itself; returns the new written offset.
fn flush(out: &mut String, text: &str, done: usize, run: &Run, book: &str) -> usize {
    push_escaped(out, &text[done..run.start]);
    let body = &text[run.start..run.end];
    match run.lang(book) {
        Some(lang) => {
            out.push_str(&format!("<span lang=\"{lang}\" xml:lang=\"{lang}\">"));
            push_escaped(out, body);
            out.push_str("</span>");
        }
        None => push_escaped(out, body),
    }
    run.end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(text: &str, book: &str) -> String {
        let mut out = String::new();
        push_text(&mut out, text, book);
        out
    }

    #[test]
    fn russian_run_with_inner_spaces_is_one_span() {
        assert_eq!(
            tag("The capital, Астана и Алматы, grew.", "en"),
            "The capital, <span lang=\"ru\" xml:lang=\"ru\">Астана и Алматы</span>, grew."
        );
    }

    #[test]
    fn kazakh_letters_make_kk() {
        assert_eq!(
            tag("Қазақстан", "en"),
            "<span lang=\"kk\" xml:lang=\"kk\">Қазақстан</span>"
        );
    }

    #[test]
    fn tajik_letters_make_tg() {
        assert_eq!(
            tag("Тоҷикистон", "en"),
            "<span lang=\"tg\" xml:lang=\"tg\">Тоҷикистон</span>"
        );
    }

    #[test]
    fn han_run_includes_cjk_punctuation() {
        assert_eq!(
            tag("Name: 阿斯塔纳。 ok", "en"),
            "Name: <span lang=\"zh\" xml:lang=\"zh\">阿斯塔纳。</span> ok"
        );
    }

    #[test]
    fn same_language_is_not_wrapped_and_text_is_escaped() {
        assert_eq!(tag("Москва & <Минск>", "ru"), "Москва &amp; &lt;Минск&gt;");
        assert_eq!(tag("Алматы", "kk"), "Алматы");
    }

    #[test]
    fn switching_scripts_closes_the_run() {
        assert_eq!(
            tag("Астана阿斯塔纳", "en"),
            "<span lang=\"ru\" xml:lang=\"ru\">Астана</span>\
             <span lang=\"zh\" xml:lang=\"zh\">阿斯塔纳</span>"
        );
    }
}
