//! The rules of Chinese (and Japanese and Korean) typesetting that UAX #14 leaves to the
//! typesetter, applied in a book whose language is one of them:
//!
//! - line-breaking prohibitions (kinsoku): no closing punctuation (`。，、）」”`) at the
//!   start of a line and no opening punctuation (`（「“`) at its end, for every break
//!   opportunity UAX #14 offers (its rules for quotation marks allow a break on either
//!   side of `“` between two ideographs);
//! - justification between characters: every break between two characters set solid
//!   (ideographs, kana, full-width punctuation) may stretch;
//! - punctuation that Latin fonts also have (`“ ” ‘ ’ … — ·`) is drawn from the face of
//!   the ideographs around it, full-width, not from the Latin face;
//! - emphasis is set bold, not italic (ideographs have no italic).

use super::super::frame::{Glyph, GlyphRun};
use crate::geom::Pt;

/// Whether `language` (BCP 47) is written in ideographs or Hangul set solid.
pub fn is_cjk_language(language: &str) -> bool {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    ["zh", "ja", "ko", "yue", "cmn", "wuu"]
        .iter()
        .any(|l| primary.eq_ignore_ascii_case(l))
}

/// Han, kana and Hangul, which are set without spaces.
pub fn is_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// CJK symbols and punctuation and the full-width forms (`。` `，` `（` `：`).
pub fn is_fullwidth_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF60 | 0xFE10..=0xFE1F | 0xFE30..=0xFE4F)
}

/// Punctuation a Latin face also has that is full-width in Chinese text.
pub fn is_shared_punct(c: char) -> bool {
    matches!(
        c,
        '\u{2018}'
            ..='\u{201F}'
                | '\u{2014}'
                | '\u{2015}'
                | '\u{2026}'
                | '\u{00B7}'
                | '\u{2E3A}'
    )
}

/// Characters set solid in CJK text: ideographs and full-width punctuation.
pub fn is_solid(c: char) -> bool {
    is_ideograph(c) || is_fullwidth_punct(c)
}

/// Whether two neighbouring characters are set solid, so the gap between them may
/// stretch in a justified line: both are ideographs or punctuation, one at least is not
/// punctuation shared with Latin text.
pub fn set_solid(a: Option<char>, b: Option<char>) -> bool {
    let (Some(a), Some(b)) = (a, b) else { return false };
    let joins = |c: char| is_solid(c) || is_shared_punct(c);
    joins(a) && joins(b) && (is_solid(a) || is_solid(b))
}

/// Closing punctuation, which never starts a line.
pub fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '：'
            | '；'
            | '？'
            | '！'
            | '）'
            | '］'
            | '｝'
            | '〉'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〗'
            | '〙'
            | '〛'
            | '｠'
            | '”'
            | '’'
            | '…'
            | '‥'
            | '・'
            | '·'
            | '％'
            | '‰'
            | '〜'
            | '～'
            | '々'
            | 'ー'
            | ')'
            | ']'
            | '}'
            | ','
            | '.'
            | ':'
            | ';'
            | '?'
            | '!'
            | '%'
    )
}

/// Opening punctuation, which never ends a line.
pub fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '［'
            | '｛'
            | '〈'
            | '《'
            | '「'
            | '『'
            | '【'
            | '〔'
            | '〖'
            | '〘'
            | '〚'
            | '｟'
            | '“'
            | '‘'
            | '('
            | '['
            | '{'
    )
}

/// Whether a line may break at byte `at` of `text` (a break opportunity UAX #14 found):
/// not before closing punctuation, not after opening punctuation. A break at a space is
/// left alone, and so is the end of the text.
pub fn may_break(text: &str, at: usize) -> bool {
    let (Some(before), Some(after)) =
        (text[..at].chars().next_back(), text[at..].chars().next())
    else {
        return true;
    };
    !(no_line_end(before) || no_line_start(after)) || before.is_whitespace()
}

/// Whether the character at index `i` of `chars` (shared punctuation) stands next to
/// CJK text, so is drawn from the CJK face: its nearest neighbour that is not shared
/// punctuation or a space, on either side, is set solid.
pub fn in_cjk_context(chars: &[char], i: usize) -> bool {
    let near = |c: &&char| !is_shared_punct(**c) && !c.is_whitespace();
    let before = chars[..i].iter().rev().find(near);
    let after = chars[i + 1..].iter().find(near);
    before.is_some_and(|&c| is_solid(c)) || after.is_some_and(|&c| is_solid(c))
}

/// Whether the character at index `i` of `chars` is punctuation shared with Latin
/// text that stands next to CJK text.
pub fn cjk_punct(chars: &[char], i: usize) -> bool {
    is_shared_punct(chars[i]) && in_cjk_context(chars, i)
}

/// Sets a Latin quotation mark or middle dot (`run`, one glyph for `text`) in a
/// full-width box `em` wide, as a CJK face would: an opening mark at the right of the
/// box, a closing mark at its left, the dot in its middle.
pub fn full_width(run: &mut GlyphRun, text: &str, em: Pt) {
    let [glyph] = &run.glyphs[..] else { return };
    if glyph.advance >= em {
        return;
    }
    let pad = em - glyph.advance;
    let offset = match text.chars().next() {
        Some('“' | '‘') => pad,
        Some('·') => pad / 2.0,
        Some('”' | '’') => Pt::ZERO,
        _ => return,
    };
    let glyph = Glyph { advance: em, offset, ..glyph.clone() };
    run.glyphs = vec![glyph].into();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages() {
        assert!(is_cjk_language("zh-Hans"));
        assert!(is_cjk_language("ja"));
        assert!(!is_cjk_language("en-GB"));
        assert!(!is_cjk_language("zu"));
        // No hyphenation patterns, so Chinese books are never hyphenated.
        assert!(super::super::dictionary("zh-Hans").is_none());
    }

    #[test]
    fn prohibitions() {
        let text = "我们说：“好。”然后（走）";
        let at = |s: &str| text.find(s).unwrap();
        assert!(may_break(text, at("“")));
        assert!(!may_break(text, at("好")), "after “");
        assert!(!may_break(text, at("。")));
        assert!(!may_break(text, at("”")));
        assert!(may_break(text, at("然")));
        assert!(!may_break(text, at("走")));
        assert!(!may_break(text, at("）")));
        assert!(may_break(text, text.len()));
    }

    #[test]
    fn shared_punctuation_context() {
        let chars: Vec<char> = "他说“好”, “ok”".chars().collect();
        assert!(in_cjk_context(&chars, 2));
        assert!(in_cjk_context(&chars, 4));
        assert!(!in_cjk_context(&chars, 7));
        assert!(!in_cjk_context(&chars, 10));
    }
}
