//! Hyphenation points from Knuth–Liang patterns (the `hyphenation` crate).
//!
//! # Dictionaries
//! The crate's `embed_*` features offer US English alone or every language (3 MB), so
//! we ship the dictionaries we use in `patterns/` (copied unchanged from the crate
//! package; patterns from TeX's hyph-utf8, licences in `patterns/README.md`), embed
//! them with `include_bytes!` and load each on first use:
//!
//! | book language (BCP 47)      | dictionary        |
//! |-----------------------------|-------------------|
//! | `en-GB`                     | British English   |
//! | `en`, `en-US`, other `en-*` | US English        |
//! | `ru`, `uk`                  | Russian, Ukrainian|
//! | `de` (any region)           | German (1996)     |
//! | `fr`, `es`                  | French, Spanish   |
//!
//! Other languages (Kazakh, Kyrgyz, Uzbek and Tajik have no hyph-utf8 patterns) are
//! not hyphenated at all. The Latin-script dictionaries also get syllable breaks for the
//! region's place names, which the patterns break badly, and the English ones for words
//! of the briefings' subjects that they divide wrongly (`hy-dropower`, `mac-roe-co-nomic`;
//! see `exceptions`).
//!
//! # Per word
//! A word takes the dictionary of its run's language, which the model records
//! (`model::lang`: an explicit `[…]{lang=xx}` span, or script detection, which tags the
//! Cyrillic runs of a Latin-script book `ru`, `kk` or `tg` by their letters); a run
//! in a language without patterns is not hyphenated. Untagged words take the book's
//! dictionary. The layout guesses no language itself, with one exception: the model
//! tags no Latin-script run inside a Cyrillic-script book (nothing in the letters
//! tells English from Uzbek), so an untagged Latin word there takes the US English
//! patterns rather than none. A dictionary serves only words in its own script;
//! words in any other script, or mixing scripts, are not hyphenated. The choice
//! depends only on the dictionary and the word, so the shaper caches points by both.

use std::sync::OnceLock;

use hyphenation::{Hyphenator, Language, Load, Standard};

use super::exceptions::{self, is_listed_name};

/// The writing systems we have patterns for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
}

/// One shipped dictionary, deserialised on first use.
struct Dictionary {
    language: Language,
    script: Script,
    bytes: &'static [u8],
    /// Words of its language that its patterns divide wrongly (`exceptions`).
    words: &'static [&'static str],
    loaded: OnceLock<Option<Standard>>,
}

impl Dictionary {
    const fn new(
        language: Language,
        script: Script,
        bytes: &'static [u8],
        words: &'static [&'static str],
    ) -> Self {
        Self { language, script, bytes, words, loaded: OnceLock::new() }
    }

    /// The patterns, or `None` if the embedded file does not load (a build problem,
    /// checked by the tests; the text is then simply not hyphenated).
    fn get(&'static self) -> Option<&'static Standard> {
        self.loaded
            .get_or_init(|| {
                let mut dict =
                    Standard::from_reader(self.language, &mut &self.bytes[..]).ok()?;
                if self.script == Script::Latin {
                    exceptions::add(&mut dict, &exceptions::NAMES);
                }
                exceptions::add(&mut dict, self.words);
                Some(dict)
            })
            .as_ref()
    }
}

/// Whether running text should leave `word` unbroken although the patterns would
/// break it: a name the patterns were not made for is better whole than broken wrongly,
/// so a capitalised word in Latin script that looks like a name of the region is
/// hyphenated only if it is one of [`NAMES`](exceptions::NAMES).
/// German capitalises every noun, so there the patterns serve; Cyrillic names get the
/// Russian patterns, which were made from a language that has such names. The caller
/// leaves out words that start a sentence, and a word wider than its line is still
/// hyphenated before it is cut anywhere.
pub fn keeps_whole(book: &Standard, word: &str) -> bool {
    let core = word.trim_matches(|c: char| !c.is_alphabetic());
    let capital = core.chars().next().is_some_and(char::is_uppercase);
    capital
        && script(core) == Some(Script::Latin)
        && book.language() != Language::German1996
        && !is_listed_name(core)
        && looks_central_asian(&core.to_lowercase())
}

/// Whether a word has the marks of a Central Asian, Persian or Turkic name in Latin
/// transcription (`kh`, `zh`, a `q` without `u`, the endings `-stan`, `-ov`, `-yev`,
/// `-kent`, `-abad`, `-obod`…), which English patterns break at random. English words
/// capitalised in a name (`Terminal`, `President`) do not have them and keep their
/// patterns.
fn looks_central_asian(lower: &str) -> bool {
    const ENDINGS: [&str; 14] = [
        "stan", "stani", "ov", "ev", "ova", "eva", "yev", "yeva", "kent", "abad", "abat",
        "obod", "jan", "ogly",
    ];
    let q_alone = lower.match_indices('q').any(|(i, _)| !lower[i + 1..].starts_with('u'));
    lower.contains("kh")
        || lower.contains("zh")
        || q_alone
        || ENDINGS.iter().any(|e| lower.ends_with(e))
}

macro_rules! patterns {
    ($file:literal) => {
        include_bytes!(concat!("patterns/", $file, ".standard.bincode"))
    };
}

static EN_GB: Dictionary = Dictionary::new(
    Language::EnglishGB,
    Script::Latin,
    patterns!("en-gb"),
    &exceptions::GB_WORDS,
);
static EN_US: Dictionary = Dictionary::new(
    Language::EnglishUS,
    Script::Latin,
    patterns!("en-us"),
    &exceptions::US_WORDS,
);
static DE: Dictionary =
    Dictionary::new(Language::German1996, Script::Latin, patterns!("de-1996"), &[]);
static FR: Dictionary =
    Dictionary::new(Language::French, Script::Latin, patterns!("fr"), &[]);
static ES: Dictionary =
    Dictionary::new(Language::Spanish, Script::Latin, patterns!("es"), &[]);
static RU: Dictionary =
    Dictionary::new(Language::Russian, Script::Cyrillic, patterns!("ru"), &[]);
static UK: Dictionary =
    Dictionary::new(Language::Ukrainian, Script::Cyrillic, patterns!("uk"), &[]);

/// Every shipped dictionary.
static ALL: [&Dictionary; 7] = [&EN_GB, &EN_US, &DE, &FR, &ES, &RU, &UK];

/// The dictionary for a BCP 47 language tag, if we ship one.
pub fn dictionary(language: &str) -> Option<&'static Standard> {
    let mut subtags = language.trim().split(['-', '_']);
    let primary = subtags.next().unwrap_or("").to_ascii_lowercase();
    // Script and variant subtags are longer or shorter than a region's two letters.
    let region = subtags.find(|s| s.len() == 2).unwrap_or("").to_ascii_uppercase();
    let dict = match (primary.as_str(), region.as_str()) {
        ("en", "GB") => &EN_GB,
        ("en", _) => &EN_US,
        ("de", _) => &DE,
        ("fr", _) => &FR,
        ("es", _) => &ES,
        ("ru", _) => &RU,
        ("uk", _) => &UK,
        _ => return None,
    };
    dict.get()
}

/// The script of a word's letters, if they are all of one script we have patterns for.
/// Modifier letters (the Uzbek `ʻ`, U+02BB) and combining marks go with any script.
fn script(core: &str) -> Option<Script> {
    let mut found = None;
    for c in core.chars() {
        let s = match c as u32 {
            // Modifier letters (U+02B0–02FF), then combining marks (U+0300–036F).
            0x02B0..=0x036F => continue,
            0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
            0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => {
                Script::Cyrillic
            }
            _ => return None,
        };
        match found {
            None => found = Some(s),
            Some(f) if f != s => return None,
            Some(_) => {}
        }
    }
    found
}

/// The dictionary that serves a word in `script` whose language's dictionary is
/// `dict`: `dict` itself if it is made for that script; for a Latin word with Cyrillic
/// patterns (untagged in a Cyrillic-script book), US English; otherwise none.
fn for_word(dict: &Standard, script: Script) -> Option<&Standard> {
    let own = ALL.iter().find(|d| d.language == dict.language()).map(|d| d.script);
    match (script, own) {
        (s, Some(own)) if s == own => Some(dict),
        (Script::Latin, Some(Script::Cyrillic)) => EN_US.get(),
        _ => None,
    }
}

/// Byte offsets inside `word` where it may be hyphenated, for a word whose language's
/// dictionary is `dict` (the run's, else the book's).
///
/// Only the alphabetic core of the word is considered (leading and trailing punctuation
/// is left alone), and only if it is at least five letters long, all letters, and in
/// the script of its dictionary (see the module docs for the one exception).
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
    let Some(dict) = script(core).and_then(|s| for_word(dict, s)) else { return vec![] };
    dict.hyphenate(core).breaks.into_iter().map(|b| start + b).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word with `-` at each hyphenation point.
    fn hyphenated(dict: &Standard, word: &str) -> String {
        let points = points(dict, word);
        let mut out = String::new();
        let mut last = 0;
        for p in points {
            out.push_str(&word[last..p]);
            out.push('-');
            last = p;
        }
        out.push_str(&word[last..]);
        out
    }

    #[test]
    fn every_shipped_dictionary_loads() {
        for d in ALL {
            let dict =
                d.get().unwrap_or_else(|| panic!("{:?} does not load", d.language));
            assert_eq!(dict.language(), d.language);
        }
    }

    #[test]
    fn tags_choose_dictionaries() {
        let lang = |tag: &str| dictionary(tag).map(Standard::language);
        assert_eq!(lang("en-GB"), Some(Language::EnglishGB));
        assert_eq!(lang("en_gb"), Some(Language::EnglishGB));
        assert_eq!(lang("en-Latn-GB"), Some(Language::EnglishGB));
        assert_eq!(lang("en"), Some(Language::EnglishUS));
        assert_eq!(lang("en-US"), Some(Language::EnglishUS));
        assert_eq!(lang("EN-au"), Some(Language::EnglishUS));
        assert_eq!(lang("ru-RU"), Some(Language::Russian));
        assert_eq!(lang("uk"), Some(Language::Ukrainian));
        assert_eq!(lang("de-CH"), Some(Language::German1996));
        assert_eq!(lang("fr"), Some(Language::French));
        assert_eq!(lang("es-419"), Some(Language::Spanish));
        for none in ["kk", "uz-Latn", "tg", "ky", "zh", "", "und"] {
            assert_eq!(lang(none), None, "{none}");
        }
    }

    #[test]
    fn english_words_get_points() {
        let dict = dictionary("en-GB").expect("embedded patterns");
        let word = "hyphenation,";
        let parts: Vec<usize> = points(dict, word);
        assert!(!parts.is_empty());
        assert!(parts.iter().all(|&p| p > 0 && p < "hyphenation".len()));
        assert!(points(dict, "cat").is_empty());
        assert!(points(dict, "https://example").is_empty());
    }

    #[test]
    fn british_patterns_differ_from_american() {
        // The two pattern sets come from different word lists (OUP for British).
        let gb = dictionary("en-GB").unwrap();
        let us = dictionary("en-US").unwrap();
        let words = ["presentation", "knowledge", "progress", "democracy", "characters"];
        let differ: Vec<_> = words
            .iter()
            .map(|w| (hyphenated(gb, w), hyphenated(us, w)))
            .filter(|(g, u)| g != u)
            .collect();
        assert!(!differ.is_empty(), "no difference in {words:?}");
        assert_eq!(hyphenated(us, "presentation"), "pre-sen-ta-tion");
        assert_eq!(hyphenated(gb, "presentation"), "present-a-tion");
    }

    #[test]
    fn a_dictionary_serves_only_its_own_script() {
        let ru = dictionary("ru").unwrap();
        let word = "сотрудничество";
        let in_russian = hyphenated(ru, word);
        assert!(in_russian.contains('-'), "{in_russian}");
        // English or French patterns do not guess at a Cyrillic word: the model tags
        // its run (`ru`, `kk`…), and the run's language chooses the patterns.
        assert_eq!(hyphenated(dictionary("en-GB").unwrap(), word), word);
        assert_eq!(hyphenated(dictionary("fr").unwrap(), "Республики."), "Республики.");
        let uk = dictionary("uk").unwrap();
        assert!(hyphenated(uk, "співробітництво").contains('-'));
    }

    #[test]
    fn latin_words_in_a_cyrillic_book_use_us_english() {
        let ru = dictionary("ru").unwrap();
        let us = dictionary("en-US").unwrap();
        assert_eq!(hyphenated(ru, "infrastructure"), hyphenated(us, "infrastructure"));
        assert!(hyphenated(ru, "infrastructure").contains('-'));
    }

    #[test]
    fn region_names_break_at_syllables() {
        for tag in ["en-GB", "en-US", "fr"] {
            let dict = dictionary(tag).unwrap();
            assert_eq!(hyphenated(dict, "Kazakhstan,"), "Ka-zakh-stan,");
            assert_eq!(hyphenated(dict, "Uzbekistan"), "Uz-bek-i-stan");
            assert_eq!(hyphenated(dict, "Bishkek"), "Bish-kek");
            // These patterns keep at least three letters after a break.
            assert_eq!(hyphenated(dict, "Astana"), "As-tana");
        }
        // Spanish keeps two.
        assert_eq!(hyphenated(dictionary("es").unwrap(), "Astana"), "As-ta-na");
    }

    #[test]
    fn names_the_patterns_break_wrongly_are_listed() {
        // Both English sets give `Afgh-anistan`, `Mirz-iyoyev`, `Kaza-kh-stani` (GB).
        for tag in ["en-GB", "en-US"] {
            let dict = dictionary(tag).unwrap();
            assert_eq!(hyphenated(dict, "Afghanistan"), "Af-ghan-i-stan");
            assert_eq!(hyphenated(dict, "Mirziyoyev"), "Mir-zi-yo-yev");
            assert_eq!(hyphenated(dict, "Kazakhstani"), "Ka-zakh-stani");
            assert_eq!(hyphenated(dict, "Herzegovina"), "Her-ze-gov-ina");
            assert_eq!(hyphenated(dict, "Urumqi"), "Urumqi");
        }
    }

    #[test]
    fn words_of_the_subjects_the_patterns_divide_wrongly_are_listed() {
        let us = dictionary("en-US").unwrap();
        let gb = dictionary("en-GB").unwrap();
        // The US patterns give `hy-dropower`, `strate-gic`, `re-publics`.
        assert_eq!(hyphenated(us, "hydropower"), "hy-dro-power");
        assert_eq!(hyphenated(us, "strategic,"), "stra-te-gic,");
        assert_eq!(hyphenated(us, "republics"), "re-pub-lics");
        assert_eq!(hyphenated(us, "counterterrorism"), "coun-ter-ter-ror-ism");
        // The British ones `mac-roe-co-nomic`, `wastewa-ter`, `Euras-ian`.
        assert_eq!(hyphenated(gb, "macroeconomic"), "macro-eco-nomic");
        assert_eq!(hyphenated(gb, "wastewater"), "waste-water");
        assert_eq!(hyphenated(gb, "Eurasian"), "Eur-asian");
        // Where a set is right, its own division stays.
        assert_eq!(hyphenated(gb, "hydropower"), "hy-dro-power");
        assert_eq!(hyphenated(gb, "strategic"), "stra-tegic");
    }

    #[test]
    fn a_name_without_patterns_is_not_broken() {
        let dict = dictionary("en-GB").unwrap();
        // Unlisted names of the region stay whole in running text; listed names,
        // words in lower case, English words and Cyrillic names (Russian patterns) do
        // not.
        assert!(keeps_whole(dict, "Mukhametov,"));
        assert!(keeps_whole(dict, "Nazarbayev"));
        assert!(keeps_whole(dict, "Zhezkazgan"));
        assert!(keeps_whole(dict, "Qarshi"));
        assert!(keeps_whole(dict, "Jalalabad"));
        assert!(!keeps_whole(dict, "Новосибирск"));
        assert!(!keeps_whole(dict, "Afghanistan."));
        assert!(!keeps_whole(dict, "telecommunications"));
        // English words capitalised in a name keep their (right) patterns.
        assert!(!keeps_whole(dict, "Terminal"));
        assert!(!keeps_whole(dict, "President"));
        assert!(!keeps_whole(dict, "Connectivity"));
        assert!(!keeps_whole(dictionary("de").unwrap(), "Zusammenarbeit"));
    }

    #[test]
    fn other_and_mixed_scripts_are_not_hyphenated() {
        let gb = dictionary("en-GB").unwrap();
        for word in
            ["阿斯塔纳是哈萨克斯坦的首都", "Ελληνικά", "Astanaстолица", "საქართველო"]
        {
            assert!(points(gb, word).is_empty(), "{word}");
        }
        // An Uzbek word with the modifier letter ʻ is Latin.
        assert_eq!(script("Oʻzbekiston"), Some(Script::Latin));
    }
}
