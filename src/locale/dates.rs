//! Dates in the book's language: single days, ranges, timeline years (BCE, approximate)
//! and strftime formats with the catalogue's month and weekday names.

use chrono::format::{Item, StrftimeItems};
use chrono::{Datelike, NaiveDate};

use super::when::When;
use super::Locale;

impl Locale {
    /// "16 June 2025", "16 июня 2025 г.", "2025年6月16日".
    pub fn date(&self, d: NaiveDate) -> String {
        self.fill(
            &self.dates.date,
            &[
                ("d", &d.day().to_string()),
                ("m", &d.month().to_string()),
                ("month", self.month(d)),
                ("y", &d.year().to_string()),
            ],
        )
    }

    fn month(&self, d: NaiveDate) -> &str {
        &self.dates.months[d.month0() as usize]
    }

    /// A span of days: "16–18 June 2025", "16–18 июня 2025 г.", "2025年6月16日至18日",
    /// "June 16–18, 2025"; across months and years as the catalogue says. A range that
    /// ends where it starts (or before) is the single day.
    pub fn date_range(&self, start: NaiveDate, end: NaiveDate) -> String {
        if start >= end {
            return self.date(start);
        }
        let (d1, d2) = (start.day().to_string(), end.day().to_string());
        let y = end.year().to_string();
        if start.year() != end.year() {
            let (s, e) = (self.date(start), self.date(end));
            return self.fill(&self.dates.range_years, &[("start", &s), ("end", &e)]);
        }
        let (m1, m2) = (start.month().to_string(), end.month().to_string());
        let args = [
            ("d1", d1.as_str()),
            ("d2", &d2),
            ("y", &y),
            ("m1", &m1),
            ("m2", &m2),
            ("m", &m2),
            ("month", self.month(end)),
            ("month1", self.month(start)),
            ("month2", self.month(end)),
        ];
        if start.month() == end.month() {
            self.fill(&self.dates.range_days, &args)
        } else {
            self.fill(&self.dates.range_months, &args)
        }
    }

    /// A timeline date: "c. 138 BCE", "2013", "31 May 2025" (English); "ок. 138 г. до
    /// н. э.", "2013 г.", "31 мая 2025 г." (Russian).
    pub fn when(&self, w: &When) -> String {
        let text = match (w.date, w.end) {
            (Some(d), Some(e)) => self.date_range(d, e),
            (Some(d), None) => self.date(d),
            (None, _) if w.year < 0 => {
                self.fill(&self.dates.bce, &[("y", &(-w.year).to_string())])
            }
            (None, _) => self.fill(&self.dates.year, &[("y", &w.year.to_string())]),
        };
        if w.approximate {
            self.fill(&self.dates.approximate, &[("date", &text)])
        } else {
            text
        }
    }

    /// Formats a date with a chrono (strftime) format, the month and weekday names
    /// (`%B`, `%b`, `%h`, `%A`, `%a`) taken from the catalogue. An invalid format is an
    /// error, not a panic.
    pub fn strftime(&self, d: NaiveDate, format: &str) -> Result<String, String> {
        let items: Vec<Item<'_>> = StrftimeItems::new(format).collect();
        if items.iter().any(|i| matches!(i, Item::Error)) {
            return Err(format!("`{format}` is not a valid date format"));
        }
        let weekday = d.weekday().num_days_from_monday() as usize;
        let month = d.month0() as usize;
        let mut localised = String::with_capacity(format.len());
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                localised.push(c);
                continue;
            }
            let name = match chars.peek() {
                Some('B') => Some(&self.dates.months[month]),
                Some('b' | 'h') => Some(&self.dates.months_short[month]),
                Some('A') => Some(&self.dates.weekdays[weekday]),
                Some('a') => Some(&self.dates.weekdays_short[weekday]),
                _ => None,
            };
            match name {
                Some(name) => {
                    chars.next();
                    // Literal text in a strftime format: only `%` needs escaping.
                    localised.push_str(&name.replace('%', "%%"));
                }
                None => {
                    localised.push('%');
                    if let Some(next) = chars.next() {
                        localised.push(next);
                    }
                }
            }
        }
        Ok(d.format(&localised).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::parse_when;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn range(tag: &str, a: &str, b: &str) -> String {
        Locale::for_tag(tag).0.date_range(day(a), day(b))
    }

    #[test]
    fn ranges_by_language() {
        let (a, b) = ("2025-06-16", "2025-06-18");
        assert_eq!(range("en-GB", a, b), "16\u{2013}18 June 2025");
        assert_eq!(range("en-US", a, b), "June 16\u{2013}18, 2025");
        assert_eq!(range("ru", a, b), "16\u{2013}18 июня 2025\u{a0}г.");
        assert_eq!(range("zh-Hans", a, b), "2025年6月16日至18日");
        assert_eq!(range("de", a, b), "16.\u{2013}18. Juni 2025");
        assert_eq!(range("kk", a, b), "2025\u{a0}ж. 16\u{2013}18 маусым");
        assert_eq!(
            range("en-GB", "2025-06-30", "2025-07-02"),
            "30 June \u{2013} 2 July 2025"
        );
        assert_eq!(range("zh", "2025-06-30", "2025-07-02"), "2025年6月30日至7月2日");
        assert_eq!(
            range("en-US", "2025-12-30", "2026-01-02"),
            "December 30, 2025 \u{2013} January 2, 2026"
        );
        assert_eq!(range("ru", a, a), "16 июня 2025\u{a0}г.");
    }

    #[test]
    fn timeline_dates() {
        let ru = Locale::for_tag("ru").0;
        let w = |t: &str| parse_when(t).unwrap();
        assert_eq!(ru.when(&w("c. 138 BCE")), "ок. 138\u{a0}г. до\u{a0}н.\u{a0}э.");
        assert_eq!(ru.when(&w("2013")), "2013\u{a0}г.");
        assert_eq!(ru.when(&w("16–18 June 2025")), "16\u{2013}18 июня 2025\u{a0}г.");
        let zh = Locale::for_tag("zh-Hans").0;
        assert_eq!(zh.when(&w("c. 138 BCE")), "约公元前138年");
        let en = Locale::for_tag("en-GB").0;
        assert_eq!(en.when(&w("c. 138 BCE")), "c. 138 BCE");
        assert_eq!(en.when(&w("31 May 2025")), "31 May 2025");
    }

    #[test]
    fn strftime_uses_the_catalogue() {
        let ru = Locale::for_tag("ru").0;
        assert_eq!(
            ru.strftime(day("2025-06-16"), "%A, %-d %B").unwrap(),
            "понедельник, 16 июня"
        );
        let en = Locale::default();
        assert_eq!(en.strftime(day("2025-06-16"), "%A %-d %b").unwrap(), "Monday 16 Jun");
        assert!(en.strftime(day("2025-06-16"), "%Q").is_err());
    }
}
