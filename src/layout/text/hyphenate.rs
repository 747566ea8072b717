//! Hyphenation points from Knuth–Liang patterns (the `hyphenation` crate).
//!
//! Only the US English patterns are embedded (the crate offers no British set without
//! embedding every language), so every `en-*` language uses them; other languages are
//! not hyphenated and rely on the other break opportunities.

use std::sync::OnceLock;

use hyphenation::{Hyphenator, Language, Load, Standard};

static EN_US: OnceLock<Option<Standard>> = OnceLock::new();

/// The dictionary for a BCP 47 language tag, if there is one.
pub fn dictionary(language: &str) -> Option<&'static Standard> {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    if !primary.eq_ignore_ascii_case("en") {
        return None;
    }
    EN_US.get_or_init(|| Standard::from_embedded(Language::EnglishUS).ok()).as_ref()
}

/// Byte offsets inside `word` where it may be hyphenated.
///
/// Only the alphabetic core of the word is considered (leading and trailing punctuation
/// is left alone), and only if it is at least five letters long and all letters.
pub fn points(dict: &Standard, word: &str) -> Vec<usize> {
    let start = word.find(char::is_alphabetic).unwrap_or(word.len());
    let end = word
        .rfind(char::is_alphabetic)
        .map_or(start, |i| i + word[i..].chars().next().map_or(0, char::len_utf8));
    if start >= end {
        return vec![];
    }
    let core = &word[start..end];
    if core.chars().count() < 5 || !core.chars().all(char::is_alphabetic) {
        return vec![];
    }
    dict.hyphenate(core).breaks.into_iter().map(|b| start + b).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_words_get_points() {
        let dict = dictionary("en-GB").expect("embedded patterns");
        let word = "hyphenation,";
        let parts: Vec<usize> = points(dict, word);
        assert!(!parts.is_empty());
        assert!(parts.iter().all(|&p| p > 0 && p < "hyphenation".len()));
        assert!(points(dict, "cat").is_empty());
        assert!(points(dict, "https://example").is_empty());
        assert!(dictionary("kk").is_none());
    }
}
