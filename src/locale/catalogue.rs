//! The shipped catalogues (`templates/locales/*.toml`), embedded in the program, and the
//! choice of catalogues for a BCP 47 tag.
//!
//! A book's strings come from layers, most general first: `en` (the base, complete by
//! test), then the language's catalogue, then a regional one if shipped (`en-US`), then
//! the manifest's `[locale]` table. A later layer replaces single keys of an earlier one.

use std::sync::OnceLock;

/// The shipped catalogues: name, source text, and the script the language is written
/// in (`None` for a regional layer, which inherits its language's).
const SHIPPED: [(&str, &str, Option<&str>); 11] = [
    ("en", include_str!("../../templates/locales/en.toml"), Some("latn")),
    ("en-US", include_str!("../../templates/locales/en-US.toml"), None),
    ("ru", include_str!("../../templates/locales/ru.toml"), Some("cyrl")),
    ("zh-Hans", include_str!("../../templates/locales/zh-Hans.toml"), Some("hans")),
    ("kk", include_str!("../../templates/locales/kk.toml"), Some("cyrl")),
    ("ky", include_str!("../../templates/locales/ky.toml"), Some("cyrl")),
    ("uz-Latn", include_str!("../../templates/locales/uz-Latn.toml"), Some("latn")),
    ("tg", include_str!("../../templates/locales/tg.toml"), Some("cyrl")),
    ("tk", include_str!("../../templates/locales/tk.toml"), Some("latn")),
    ("fr", include_str!("../../templates/locales/fr.toml"), Some("latn")),
    ("de", include_str!("../../templates/locales/de.toml"), Some("latn")),
];

/// The names of the shipped catalogues (languages and regional layers).
pub fn shipped() -> impl Iterator<Item = &'static str> {
    SHIPPED.iter().map(|(name, ..)| *name)
}

/// A shipped catalogue, parsed on first use. A catalogue that does not parse is a
/// build problem (the tests parse every one); it then counts as empty.
pub fn table(name: &str) -> &'static toml::Table {
    static PARSED: OnceLock<Vec<toml::Table>> = OnceLock::new();
    let all = PARSED.get_or_init(|| {
        SHIPPED.iter().map(|(_, text, _)| text.parse().unwrap_or_default()).collect()
    });
    static EMPTY: OnceLock<toml::Table> = OnceLock::new();
    SHIPPED
        .iter()
        .position(|(n, ..)| *n == name)
        .map_or_else(|| EMPTY.get_or_init(toml::Table::new), |i| &all[i])
}

/// The subtags of a BCP 47 tag that choose a catalogue.
struct Subtags {
    language: String,
    script: Option<String>,
    region: Option<String>,
}

fn subtags(tag: &str) -> Subtags {
    let mut parts = tag.trim().split(['-', '_']);
    let language = parts.next().unwrap_or("").to_ascii_lowercase();
    let (mut script, mut region) = (None, None);
    for p in parts {
        if p.len() == 4 && p.chars().all(|c| c.is_ascii_alphabetic()) && script.is_none()
        {
            script = Some(p.to_ascii_lowercase());
        } else if (p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
            || (p.len() == 3 && p.chars().all(|c| c.is_ascii_digit()))
        {
            region.get_or_insert_with(|| p.to_ascii_uppercase());
        }
    }
    Subtags { language, script, region }
}

/// The catalogue layers for a tag, most general first, and whether a catalogue for
/// the language was found (if not, only `en` serves it).
///
/// The language subtag picks the catalogue (`kk-Cyrl-KZ` → `kk`, `zh-CN` → `zh-Hans`,
/// `uz` → `uz-Latn`); a script subtag other than the catalogue's refuses it
/// (`uz-Cyrl`, `zh-Hant`, and `zh-TW` whose script is Traditional), so a book is never
/// labelled in the wrong script. A regional layer is added when one is shipped.
pub fn layers(tag: &str) -> (Vec<&'static str>, bool) {
    let t = subtags(tag);
    let mut out = vec!["en"];
    let language = match t.language.as_str() {
        "zh" => "zh-Hans",
        "uz" => "uz-Latn",
        other => other,
    };
    let Some((name, _, script)) =
        SHIPPED.iter().find(|(n, _, s)| *n == language && s.is_some())
    else {
        return (out, false);
    };
    // Chinese written in Taiwan, Hong Kong and Macao is Traditional unless stated.
    let implied = match (t.language.as_str(), t.region.as_deref()) {
        ("zh", Some("TW" | "HK" | "MO")) => Some("hant".to_string()),
        _ => None,
    };
    if let Some(s) = t.script.or(implied) {
        if Some(s.as_str()) != *script {
            return (out, false);
        }
    }
    if *name != "en" {
        out.push(name);
    }
    if let Some(region) = &t.region {
        let regional = format!("{}-{region}", t.language);
        if let Some((n, ..)) =
            SHIPPED.iter().find(|(n, _, s)| *n == regional && s.is_none())
        {
            out.push(n);
        }
    }
    (out, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_choose_layers() {
        let l = |tag: &str| layers(tag);
        assert_eq!(l("en-GB"), (vec!["en"], true));
        assert_eq!(l("en-US"), (vec!["en", "en-US"], true));
        assert_eq!(l("kk-Cyrl-KZ"), (vec!["en", "kk"], true));
        assert_eq!(l("ru-RU"), (vec!["en", "ru"], true));
        assert_eq!(l("zh"), (vec!["en", "zh-Hans"], true));
        assert_eq!(l("zh-Hans-CN"), (vec!["en", "zh-Hans"], true));
        assert_eq!(l("uz"), (vec!["en", "uz-Latn"], true));
        assert_eq!(l("uz-Latn-UZ"), (vec!["en", "uz-Latn"], true));
        for none in ["uz-Cyrl", "zh-Hant", "zh-TW", "kk-Latn", "xx", "und", ""] {
            assert_eq!(l(none), (vec!["en"], false), "{none}");
        }
    }

    #[test]
    fn every_catalogue_parses() {
        for (name, text, _) in SHIPPED {
            assert!(
                text.parse::<toml::Table>().is_ok(),
                "{name}: {:?}",
                text.parse::<toml::Table>().err()
            );
        }
    }
}
