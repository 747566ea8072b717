//! The book's language: every word, date and number the program itself writes.
//!
//! A [`Locale`] is made once per book from its BCP 47 tag ([`Locale::for_tag`]) and the
//! manifest's `[locale]` overrides ([`Locale::with_overrides`]), and travels in
//! the book facts (`config::Meta`), so templates, layout, charts and both writers read the same
//! strings. The strings come from the shipped catalogues (`templates/locales/*.toml`,
//! see [`catalogue`]); plurals from [`plural`]; dates from `dates`.

pub mod catalogue;
mod dates;
pub mod plural;
mod tag;
mod when;

use std::collections::BTreeMap;

pub use tag::{primary_subtag, valid_tag};
pub use when::{parse_when, When};

use crate::numbers::NumberFormat;

/// One label: plain, or one text per plural category.
#[derive(Debug, Clone, PartialEq, Hash)]
enum Message {
    Plain(String),
    Plural(BTreeMap<String, String>),
}

/// Month and weekday names and date patterns.
#[derive(Debug, Clone, PartialEq, Hash)]
struct DateFormat {
    months: Vec<String>,
    months_short: Vec<String>,
    weekdays: Vec<String>,
    weekdays_short: Vec<String>,
    date: String,
    range_days: String,
    range_months: String,
    range_years: String,
    year: String,
    bce: String,
    approximate: String,
}

/// How amounts of money are written.
#[derive(Debug, Clone, PartialEq, Hash)]
struct Currency {
    pattern: String,
    scale: String,
    symbols: BTreeMap<String, String>,
    other: String,
}

/// The words, number and date conventions of one book language.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Locale {
    /// The catalogue layers used, most general first (`["en", "ru"]`).
    pub layers: Vec<&'static str>,
    labels: BTreeMap<String, Message>,
    numbers: NumberFormat,
    percent: String,
    currency: Currency,
    quotes: [String; 4],
    dates: DateFormat,
}

impl Default for Locale {
    /// English (the base catalogue).
    fn default() -> Self {
        Self::for_tag("en").0
    }
}

/// A manifest override that does not fit the catalogue: the key path and what is wrong.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct OverrideError {
    /// `labels.contents`, `dates.months`, …
    pub key: String,
    /// What is wrong with it.
    pub message: String,
    /// For an unknown key, a known one spelt nearly the same (`labels.contents`).
    pub near: Option<String>,
}

impl Locale {
    /// The locale for a BCP 47 tag, and whether a catalogue for its language was found
    /// (if not, the labels are English and the caller warns once).
    pub fn for_tag(tag: &str) -> (Self, bool) {
        let (layers, found) = catalogue::layers(tag);
        let mut merged = toml::Table::new();
        for layer in &layers {
            merge(&mut merged, catalogue::table(layer));
        }
        (Self::from_table(layers, &merged), found)
    }

    /// This locale with the manifest's `[locale]` table laid over it. Every key must be
    /// one the base catalogue has, with a value of the same shape.
    pub fn with_overrides(
        &self,
        overrides: &toml::Table,
    ) -> Result<Self, Vec<OverrideError>> {
        let mut errors = Vec::new();
        check_shape(catalogue::table("en"), overrides, "", &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut merged = toml::Table::new();
        for layer in &self.layers {
            merge(&mut merged, catalogue::table(layer));
        }
        merge(&mut merged, overrides);
        Ok(Self::from_table(self.layers.clone(), &merged))
    }

    fn from_table(layers: Vec<&'static str>, t: &toml::Table) -> Self {
        let section = |name: &str| {
            t.get(name).and_then(|v| v.as_table()).cloned().unwrap_or_default()
        };
        let text = |table: &toml::Table, key: &str| {
            table.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string()
        };
        let list = |table: &toml::Table, key: &str| -> Vec<String> {
            table
                .get(key)
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect()
                })
                .unwrap_or_default()
        };
        let labels = section("labels")
            .into_iter()
            .map(|(k, v)| {
                let m = match v {
                    toml::Value::Table(forms) => Message::Plural(
                        forms
                            .into_iter()
                            .map(|(c, f)| (c, f.as_str().unwrap_or_default().to_string()))
                            .collect(),
                    ),
                    v => Message::Plain(v.as_str().unwrap_or_default().to_string()),
                };
                (k, m)
            })
            .collect();
        let n = section("numbers");
        let c = section("currency");
        let q = section("quotes");
        let d = section("dates");
        let pair = |key: &str| {
            let l = list(&q, key);
            (
                l.first().cloned().unwrap_or_default(),
                l.get(1).cloned().unwrap_or_default(),
            )
        };
        let ((o1, c1), (o2, c2)) = (pair("primary"), pair("secondary"));
        Self {
            labels,
            numbers: NumberFormat {
                decimal: text(&n, "decimal"),
                group: text(&n, "group"),
                minus: text(&n, "minus"),
            },
            percent: text(&n, "percent"),
            currency: Currency {
                pattern: text(&c, "pattern"),
                scale: text(&c, "scale"),
                symbols: c
                    .iter()
                    .filter(|(k, _)| {
                        k.len() == 3 && k.chars().all(|c| c.is_ascii_uppercase())
                    })
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect(),
                other: text(&c, "other"),
            },
            quotes: [o1, c1, o2, c2],
            dates: DateFormat {
                months: list(&d, "months"),
                months_short: list(&d, "months-short"),
                weekdays: list(&d, "weekdays"),
                weekdays_short: list(&d, "weekdays-short"),
                date: text(&d, "date"),
                range_days: text(&d, "range-days"),
                range_months: text(&d, "range-months"),
                range_years: text(&d, "range-years"),
                year: text(&d, "year"),
                bce: text(&d, "bce"),
                approximate: text(&d, "approximate"),
            },
            layers,
        }
    }

    /// The language whose plural rules apply (the most specific catalogue).
    fn language(&self) -> &str {
        self.layers
            .iter()
            .rev()
            .find(|l| !l.contains('-') || l.starts_with("zh") || l.starts_with("uz"))
            .copied()
            .unwrap_or("en")
    }

    /// Label `key` with `{name}` placeholders filled from `args`; a count label takes
    /// the form for the plural category of its `n` argument.
    pub fn label(&self, key: &str, args: &[(&str, &str)]) -> String {
        let pattern = match self.labels.get(key) {
            Some(Message::Plain(s)) => s.as_str(),
            Some(Message::Plural(forms)) => {
                let n = args
                    .iter()
                    .find(|(k, _)| *k == "n")
                    .and_then(|(_, v)| {
                        v.chars()
                            .filter(char::is_ascii_digit)
                            .collect::<String>()
                            .parse()
                            .ok()
                    })
                    .unwrap_or(0);
                let cat = plural::category(self.language(), n);
                forms
                    .get(cat.name())
                    .or_else(|| forms.get("other"))
                    .map_or("", String::as_str)
            }
            None => "",
        };
        self.fill(pattern, args)
    }

    /// Label `key` without placeholders.
    pub fn text(&self, key: &str) -> String {
        self.label(key, &[])
    }

    /// Label `key` as written in the catalogue, borrowed (a label without placeholders
    /// or plural forms; empty otherwise).
    pub fn plain(&self, key: &str) -> &str {
        match self.labels.get(key) {
            Some(Message::Plain(s)) => s,
            _ => "",
        }
    }

    /// Fills `{name}` placeholders; unknown names are left as written.
    fn fill(&self, pattern: &str, args: &[(&str, &str)]) -> String {
        let mut out = String::with_capacity(pattern.len() + 16);
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}').map(|close| (&after[..close], close)) {
                Some((name, close)) if args.iter().any(|(k, _)| *k == name) => {
                    let value =
                        args.iter().find(|(k, _)| *k == name).map_or("", |(_, v)| v);
                    out.push_str(value);
                    rest = &after[close + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The number conventions (decimal and grouping separators, minus sign).
    pub fn numbers(&self) -> &NumberFormat {
        &self.numbers
    }

    /// `value` with `decimals` places, in this language's separators.
    pub fn number(&self, value: f64, decimals: usize) -> String {
        crate::numbers::format_number_in(value, decimals, &self.numbers)
    }

    /// A formatted number as a percentage ("78%", "78 %").
    pub fn percent(&self, number: &str) -> String {
        self.fill(&self.percent, &[("n", number)])
    }

    /// A formatted amount in the currency `code` (ISO 4217), with an optional scale
    /// word, placed as the catalogue's house style says ("$94.8 billion",
    /// "94,8 млрд долл. США").
    pub fn money(&self, amount: &str, code: &str, scale: Option<&str>) -> String {
        let code = code.to_ascii_uppercase();
        let symbol = match self.currency.symbols.get(&code) {
            Some(s) => s.clone(),
            None => self.fill(&self.currency.other, &[("code", &code)]),
        };
        let scale = scale
            .map(|s| self.fill(&self.currency.scale, &[("scale", s)]))
            .unwrap_or_default();
        self.fill(
            &self.currency.pattern,
            &[("symbol", &symbol), ("amount", amount), ("scale", &scale)],
        )
    }

    /// `text` in this language's quotation marks (the inner pair with `inner`).
    pub fn quote(&self, text: &str, inner: bool) -> String {
        let [o1, c1, o2, c2] = &self.quotes;
        let (open, close) = if inner { (o2, c2) } else { (o1, c1) };
        format!("{open}{text}{close}")
    }

    /// The default running foot with the page number: `Page {{page}} of {{pages}}` as a
    /// furniture template.
    pub fn page_of_template(&self) -> String {
        self.label("page-of", &[("page", "{{page}}"), ("pages", "{{pages}}")])
    }

    /// A caption's label: "Table 2." / "Figure 1." (with the catalogue's ending).
    pub fn numbered(&self, key: &str, n: u32) -> String {
        let mut s = self.label(key, &[("n", &n.to_string())]);
        s.push_str(&self.text("label-end"));
        s
    }

    /// "Table 2. Caption" in one string (EPUB captions and names).
    pub fn captioned(&self, key: &str, n: u32, caption: &str) -> String {
        let mut s = self.numbered(key, n);
        s.push_str(&self.text("caption-space"));
        s.push_str(caption);
        s
    }

    /// Every label key the base catalogue defines (for tests and hints).
    pub fn label_keys() -> Vec<String> {
        catalogue::table("en")
            .get("labels")
            .and_then(|v| v.as_table())
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// Lays `over` onto `base`, table by table.
fn merge(base: &mut toml::Table, over: &toml::Table) {
    for (k, v) in over {
        match (base.get_mut(k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) if !is_plural(o) => {
                merge(b, o);
            }
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

fn is_plural(t: &toml::Table) -> bool {
    t.keys()
        .all(|k| matches!(k.as_str(), "zero" | "one" | "two" | "few" | "many" | "other"))
}

/// Checks that every key of `over` exists in `base` with a value of the same shape (a
/// label may also be a plural table; a currency may be added).
fn check_shape(
    base: &toml::Table,
    over: &toml::Table,
    path: &str,
    errors: &mut Vec<OverrideError>,
) {
    for (k, v) in over {
        let key = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
        let err =
            |message: String| OverrideError { key: key.clone(), message, near: None };
        let new_currency = path == "currency"
            && k.len() == 3
            && k.chars().all(|c| c.is_ascii_uppercase());
        match (base.get(k), v) {
            (None, toml::Value::String(_)) if new_currency => {}
            (None, _) => {
                let near =
                    base.keys()
                        .find(|b| crate::diag::edit_distance(b, k) <= 2 && k.len() >= 4)
                        .map(|b| {
                            if path.is_empty() {
                                b.clone()
                            } else {
                                format!("{path}.{b}")
                            }
                        });
                errors
                    .push(OverrideError { near, ..err(format!("unknown key `{key}`")) });
            }
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) if !is_plural(b) => {
                check_shape(b, o, &key, errors);
            }
            (Some(toml::Value::String(_)), toml::Value::String(_)) => {}
            (
                Some(toml::Value::String(_) | toml::Value::Table(_)),
                toml::Value::Table(o),
            ) if path == "labels" => {
                if !is_plural(o) || !o.values().all(toml::Value::is_str) {
                    errors.push(err(format!(
                        "`{key}` must be text or a table of plural forms (`one`, `few`, `many`, `other`)"
                    )));
                }
            }
            (Some(toml::Value::Table(_)), toml::Value::String(_)) if path == "labels" => {
            }
            (Some(toml::Value::Array(b)), toml::Value::Array(o)) => {
                if b.len() != o.len() || !o.iter().all(toml::Value::is_str) {
                    errors.push(err(format!(
                        "`{key}` must be a list of {} texts",
                        b.len()
                    )));
                }
            }
            (Some(b), _) => errors.push(err(format!("`{key}` must be {}", b.type_str()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key of `base`, as paths.
    fn keys(t: &toml::Table, path: &str, out: &mut Vec<String>) {
        for (k, v) in t {
            let key = format!("{path}{k}");
            match v {
                toml::Value::Table(sub) if !is_plural(sub) => {
                    keys(sub, &format!("{key}."), out);
                }
                _ => out.push(key),
            }
        }
    }

    #[test]
    fn every_catalogue_is_complete() {
        let mut base = Vec::new();
        keys(catalogue::table("en"), "", &mut base);
        for name in catalogue::shipped().filter(|n| *n != "en" && *n != "en-US") {
            let mut own = Vec::new();
            keys(catalogue::table(name), "", &mut own);
            let missing: Vec<_> = base
                .iter()
                .filter(|k| !own.contains(k) && !k.starts_with("currency."))
                .collect();
            assert!(missing.is_empty(), "{name} lacks {missing:?}");
            let extra: Vec<_> = own
                .iter()
                .filter(|k| !base.contains(k) && !k.starts_with("currency."))
                .collect();
            assert!(extra.is_empty(), "{name} has unknown keys {extra:?}");
            let (l, _) = Locale::for_tag(name);
            assert_eq!(l.dates.months.len(), 12, "{name}");
            assert_eq!(l.dates.weekdays.len(), 7, "{name}");
            assert_eq!(l.dates.months_short.len(), 12, "{name}");
            assert_eq!(l.dates.weekdays_short.len(), 7, "{name}");
        }
    }

    #[test]
    fn labels_plurals_and_fallback() {
        let (ru, found) = Locale::for_tag("ru-RU");
        assert!(found);
        assert_eq!(ru.text("contents"), "Содержание");
        assert_eq!(
            ru.label("page-of", &[("page", "3"), ("pages", "15")]),
            "Страница 3 из 15"
        );
        let count = |n: &str| ru.label("series-count", &[("name", "Торговля"), ("n", n)]);
        assert_eq!(count("1"), "Торговля: 1 значение");
        assert_eq!(count("3"), "Торговля: 3 значения");
        assert_eq!(count("15"), "Торговля: 15 значений");
        let (kk, found) = Locale::for_tag("kk-Cyrl-KZ");
        assert!(found);
        assert_eq!(kk.text("contents"), "Мазмұны");
        let (xx, found) = Locale::for_tag("xx");
        assert!(!found);
        assert_eq!(xx.text("contents"), "Contents");
        assert_eq!(Locale::default().page_of_template(), "Page {{page}} of {{pages}}");
    }

    #[test]
    fn numbers_money_and_quotes() {
        let ru = Locale::for_tag("ru").0;
        assert_eq!(ru.number(650_000.0, 0), "650\u{a0}000");
        assert_eq!(ru.number(94.8, 1), "94,8");
        assert_eq!(ru.percent(&ru.number(78.0, 0)), "78\u{a0}%");
        assert_eq!(
            ru.money("94,8", "USD", Some("млрд")),
            "94,8\u{a0}млрд долл.\u{a0}США"
        );
        assert_eq!(ru.quote("Астана", false), "«Астана»");
        let en = Locale::default();
        assert_eq!(en.money("94.8", "usd", Some("billion")), "$94.8 billion");
        assert_eq!(en.money("5", "XYZ", None), "XYZ\u{a0}5");
        assert_eq!(en.quote("Astana", false), "\u{201C}Astana\u{201D}");
        let de = Locale::for_tag("de").0;
        assert_eq!(de.number(1_234_567.891, 2), "1.234.567,89");
        let zh = Locale::for_tag("zh-Hans").0;
        assert_eq!(zh.money("948", "USD", Some("亿")), "948亿美元");
    }

    #[test]
    fn overrides_replace_single_strings_and_are_checked() {
        let ru = Locale::for_tag("ru").0;
        let t: toml::Table = toml::from_str(
            "[labels]\ncontents = \"Оглавление\"\n[numbers]\ngroup = \"\u{202f}\"\n[currency]\nKGS = \"сом\"",
        )
        .unwrap();
        let o = ru.with_overrides(&t).unwrap();
        assert_eq!(o.text("contents"), "Оглавление");
        assert_eq!(o.text("notes"), "Примечания");
        assert_eq!(o.number(1000.0, 0), "1\u{202f}000");
        assert_eq!(o.money("5", "KGS", None), "5 сом");
        let bad: toml::Table = toml::from_str(
            "[labels]\ncontnets = \"x\"\n[dates]\nmonths = [\"a\"]\ndate = 3",
        )
        .unwrap();
        let errors = ru.with_overrides(&bad).unwrap_err();
        let keys: Vec<_> = errors.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["dates.date", "dates.months", "labels.contnets"]);
    }
}
