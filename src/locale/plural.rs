//! Plural categories (CLDR cardinal rules) for whole numbers, for the shipped languages.
//!
//! Only counts reach the catalogue (values, pages, rows), so only the integer part of
//! CLDR's rules is needed. A language without rules here uses `other` for every number
//! (Chinese, Tajik).

/// A CLDR plural category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// `one`
    One,
    /// `few`
    Few,
    /// `many`
    Many,
    /// `other`
    Other,
}

impl Category {
    /// The category's name in catalogues.
    pub fn name(self) -> &'static str {
        match self {
            Category::One => "one",
            Category::Few => "few",
            Category::Many => "many",
            Category::Other => "other",
        }
    }
}

/// The category of the whole number `n` in `language` (a catalogue name such as `ru`).
pub fn category(language: &str, n: u64) -> Category {
    let primary = language.split('-').next().unwrap_or("");
    match primary {
        // East Slavic: 1, 21, 31 … one; 2–4, 22–24 … few; the rest many.
        "ru" | "uk" | "be" => {
            let (m10, m100) = (n % 10, n % 100);
            if m10 == 1 && m100 != 11 {
                Category::One
            } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
                Category::Few
            } else {
                Category::Many
            }
        }
        // French: 0 and 1 are one; a multiple of a million is many ("de valeurs").
        "fr" => match n {
            0 | 1 => Category::One,
            n if n != 0 && n % 1_000_000 == 0 => Category::Many,
            _ => Category::Other,
        },
        "en" | "de" | "kk" | "ky" | "uz" | "tk" | "es" | "it" => {
            if n == 1 {
                Category::One
            } else {
                Category::Other
            }
        }
        _ => Category::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_counts() {
        let c = |n| category("ru", n).name();
        assert_eq!(
            [c(1), c(2), c(5), c(11), c(12), c(21), c(22), c(25), c(111)],
            ["one", "few", "many", "many", "many", "one", "few", "many", "many"]
        );
    }

    #[test]
    fn other_languages() {
        assert_eq!(category("en", 1), Category::One);
        assert_eq!(category("en", 0), Category::Other);
        assert_eq!(category("fr", 0), Category::One);
        assert_eq!(category("fr", 2_000_000), Category::Many);
        assert_eq!(category("zh-Hans", 1), Category::Other);
    }
}
