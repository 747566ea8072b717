//! Words the hyphenation patterns divide wrongly, with the divisions to use instead:
//! names of the briefings' region (for every Latin-script dictionary) and English words
//! of the briefings' subjects (for the English dictionary that errs on them). They
//! become the dictionaries' exceptions when the dictionaries are loaded.

use std::collections::HashSet;
use std::sync::OnceLock;

use hyphenation::{Hyphenator, Standard};

/// Names of the briefings' region (places, peoples, leaders) that the patterns, made
/// from dictionary words, break badly (`Kaza-khstan`, `Afgh-anistan`, `Mirz-iyoyev`), as
/// the dictionaries divide them. Breaks closer to a word's ends than the dictionary's
/// minimums are dropped; `urum-qi` therefore keeps Urumqi whole in English.
pub const NAMES: [&str; 58] = [
    // The Central Asian states, their neighbours and their peoples.
    "ka-zakh-stan",
    "kyr-gyz-stan",
    "uz-bek-i-stan",
    "ta-jik-i-stan",
    "turk-men-i-stan",
    "af-ghan-i-stan",
    "pa-ki-stan",
    "azer-bai-jan",
    "mon-go-lia",
    "her-ze-gov-i-na",
    "ka-zakh-stani",
    "kyr-gyz-stani",
    "uz-bek-i-stani",
    "ta-jik-i-stani",
    "af-ghan-i-stani",
    "pa-ki-stani",
    "azer-bai-jani",
    "mon-go-lian",
    "ka-ra-kal-pak",
    "ka-ra-kal-pak-stan",
    // Cities, regions and crossings.
    "tash-kent",
    "bish-kek",
    "du-shan-be",
    "ash-ga-bat",
    "as-ta-na",
    "al-ma-ty",
    "shym-kent",
    "ka-ra-gan-da",
    "ak-to-be",
    "pav-lo-dar",
    "ko-sta-nay",
    "aty-rau",
    "sa-mar-kand",
    "bu-kha-ra",
    "fer-ga-na",
    "an-di-jan",
    "na-man-gan",
    "ter-mez",
    "khu-jand",
    "ku-lob",
    "turk-men-ba-shi",
    "bal-kan-abat",
    "da-sho-guz",
    "khor-gos",
    "kash-gar",
    "urum-qi",
    "xin-jiang",
    "lian-yun-gang",
    "ek-i-bas-tuz",
    "ka-ra-ko-rum",
    // Heads of state, June 2025.
    "to-ka-yev",
    "mir-zi-yo-yev",
    "ja-pa-rov",
    "zha-pa-rov",
    "rah-mon",
    "ber-di-mu-ha-me-dov",
    "xi",
    "jin-ping",
];

/// Words of the briefings' subjects (energy, trade, security, the region's politics)
/// that the US English patterns divide wrongly (`hy-dropower`, `strate-gic`,
/// `re-publics`, `timeta-bles`, `coun-tert-er-ror-ism`), as Merriam-Webster divides them.
pub const US_WORDS: [&str; 20] = [
    "hy-dro-power",
    "stra-te-gic",
    "stra-te-gi-cal-ly",
    "re-pub-lics",
    "time-ta-ble",
    "time-ta-bles",
    "geo-po-lit-i-cal",
    "geo-pol-i-tics",
    "coun-ter-ter-ror-ism",
    "giga-watt",
    "giga-watts",
    "tera-watt",
    "tera-watts",
    "mega-proj-ect",
    "mega-proj-ects",
    "fer-ro-al-loy",
    "fer-ro-al-loys",
    "de-sal-i-na-tion",
    "eur-asian",
    "trans-con-ti-nen-tal",
];

/// The same for the British English patterns (`mac-roe-co-nomic`, `wastewa-ter`,
/// `Euras-ian`, `transcon-tin-ental`), divided at the parts of the word as British
/// dictionaries do.
pub const GB_WORDS: [&str; 14] = [
    "macro-eco-nomic",
    "macro-eco-nom-ics",
    "waste-water",
    "multi-modal",
    "mega-pro-ject",
    "mega-pro-jects",
    "tera-watt",
    "tera-watts",
    "coun-ter-ter-ror-ism",
    "fer-ro-al-loy",
    "fer-ro-al-loys",
    "eur-asian",
    "trans-con-tin-ental",
    "trans-con-tin-ent",
];

/// Adds `words` (written with `-` at each division) to a dictionary's exceptions; the
/// dictionary's own minimum lengths before and after a break still apply. The patterns
/// compare exceptions in lower case, so `Eurasian` finds `eur-asian`.
pub fn add(dict: &mut Standard, words: &[&str]) {
    for listed in words {
        let mut points = Vec::new();
        let mut word = String::new();
        for part in listed.split('-') {
            if !word.is_empty() {
                points.push(word.len());
            }
            word.push_str(part);
        }
        dict.add_exception(word, points);
    }
}

/// Whether `word` is one of [`NAMES`] (in any case).
pub fn is_listed_name(word: &str) -> bool {
    static LISTED: OnceLock<HashSet<String>> = OnceLock::new();
    let listed =
        LISTED.get_or_init(|| NAMES.iter().map(|n| n.replace('-', "")).collect());
    listed.contains(&word.to_lowercase())
}
