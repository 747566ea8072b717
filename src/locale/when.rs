//! Timeline dates: "2013", "c. 138 BCE", "31 May 2025", "16–18 June 2025", "2025-06-16",
//! "2nd century BC", read into a sortable [`When`].

use chrono::NaiveDate;

/// A point in time as far as a timeline needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct When {
    /// The year; negative before the common era (−138 is 138 BCE; there is no year 0).
    pub year: i32,
    /// The exact day, if known.
    pub date: Option<NaiveDate>,
    /// "c." / "about": the year is approximate.
    pub approximate: bool,
    /// The last day of a span of days ("16–18 June 2025"), if it is one.
    pub end: Option<NaiveDate>,
}

impl When {
    /// A key that sorts events in time order (year, then month and day; a bare year
    /// sorts before the dated events of that year).
    pub fn key(&self) -> (i32, u32) {
        use chrono::Datelike;
        (self.year, self.date.map_or(0, |d| d.ordinal()))
    }

    /// The date as shown in a book in `locale`'s language: "c. 138 BCE", "2013",
    /// "31 May 2025", "16–18 June 2025" (British English), "ок. 138 г. до н. э."
    /// (Russian).
    pub fn display(&self, locale: &crate::locale::Locale) -> String {
        locale.when(self)
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| m.starts_with(&w)).map(|i| i as u32 + 1)
}

/// Reads a date as people write it on a timeline, or says why it cannot.
pub fn parse_when(text: &str) -> Result<When, String> {
    let mut s = text.trim().replace(['\u{2013}', '\u{2014}'], "-");
    let mut approximate = false;
    for prefix in ["circa ", "c. ", "ca. ", "c.", "ca.", "about ", "around ", "~"] {
        if s.to_ascii_lowercase().starts_with(prefix) {
            s = s[prefix.len()..].trim().to_string();
            approximate = true;
            break;
        }
    }
    let lower = s.to_ascii_lowercase();
    let (body, era) =
        if let Some(b) = strip_suffix_word(&lower, &["bce", "bc", "b.c.", "b.c.e."]) {
            (b, -1)
        } else if let Some(b) = strip_suffix_word(&lower, &["ce", "ad", "a.d.", "c.e."]) {
            (b, 1)
        } else if let Some(b) = lower.strip_prefix("ad ") {
            (b.to_string(), 1)
        } else {
            (lower.clone(), 0)
        };
    let body = body.trim();
    if let Ok(d) = NaiveDate::parse_from_str(body, "%Y-%m-%d") {
        return Ok(When {
            year: chrono::Datelike::year(&d),
            date: Some(d),
            approximate,
            end: None,
        });
    }
    // "2nd century" → the middle of the century.
    if let Some(n) = body.strip_suffix(" century").and_then(ordinal) {
        let mid = (n as i32 - 1) * 100 + 50;
        let year = if era < 0 { -mid } else { mid };
        return Ok(When { year, date: None, approximate: true, end: None });
    }
    let words: Vec<&str> = body.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let year_of = |w: &str| -> Option<i32> {
        let y: i32 = w.parse().ok()?;
        (1..=9999).contains(&y).then_some(if era < 0 { -y } else { y })
    };
    let day_of = |w: &str| -> Option<u32> {
        // "16-18" (a range of days) starts on its first day.
        let first = w.split('-').next()?;
        first.parse().ok().filter(|d| (1..=31).contains(d))
    };
    // "16-18": the last day of a range of days.
    let end_of = |w: &str| -> Option<u32> {
        w.split_once('-')?.1.parse().ok().filter(|d| (1..=31).contains(d))
    };
    let dated = |y: i32, m: u32, d: u32, last: Option<u32>| -> Result<When, String> {
        let end = last.and_then(|l| NaiveDate::from_ymd_opt(y, m, l));
        NaiveDate::from_ymd_opt(y, m, d)
            .filter(|d| end.is_none_or(|e| e > *d))
            .map(|date| When { year: y, date: Some(date), approximate, end })
            .ok_or_else(|| format!("`{text}` is not a calendar date"))
    };
    match words.as_slice() {
        [y] if y.starts_with('-') && era == 0 => {
            // A signed year from a data column: -138 is 138 BCE.
            if let Some(year) = year_of(&y[1..]) {
                return Ok(When { year: -year, date: None, approximate, end: None });
            }
        }
        [y] => {
            // "2013" or a range of years "2013-2015" (sorted by its start).
            let first = y.split('-').next().unwrap_or(y);
            if let Some(year) = year_of(first) {
                return Ok(When { year, date: None, approximate, end: None });
            }
        }
        [m, y] => {
            if let (Some(m), Some(year)) = (month(m), year_of(y)) {
                let date = NaiveDate::from_ymd_opt(year, m, 1);
                return Ok(When { year, date, approximate, end: None });
            }
        }
        [d, m, y] => {
            let dm = (*d, *m);
            if let (Some(d), Some(m), Some(year)) = (day_of(d), month(m), year_of(y)) {
                return dated(year, m, d, end_of(dm.0));
            }
            if let (Some(m), Some(d), Some(year)) = (month(d), day_of(m), year_of(y)) {
                return dated(year, m, d, end_of(dm.1));
            }
        }
        _ => {}
    }
    Err(format!("cannot read `{text}` as a date"))
}

fn strip_suffix_word(s: &str, words: &[&str]) -> Option<String> {
    words.iter().find_map(|w| s.strip_suffix(&format!(" {w}")).map(str::to_string))
}

fn ordinal(s: &str) -> Option<u32> {
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    let rest = &s[digits.len()..];
    let n: u32 = digits.parse().ok()?;
    (["st", "nd", "rd", "th"].contains(&rest) && (1..=30).contains(&n)).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(t: &str) -> (i32, bool) {
        let w = parse_when(t).unwrap();
        (w.year, w.approximate)
    }

    #[test]
    fn years_eras_and_approximations() {
        assert_eq!(year("2013"), (2013, false));
        assert_eq!(year("c. 138 BCE"), (-138, true));
        assert_eq!(year("138 BC"), (-138, false));
        assert_eq!(year("AD 79"), (79, false));
        assert_eq!(year("-138"), (-138, false));
        assert_eq!(year("2nd century BC"), (-150, true));
        assert_eq!(year("2013–2015"), (2013, false));
        let l = |tag: &str| crate::locale::Locale::for_tag(tag).0;
        assert_eq!(parse_when("c. 138 BCE").unwrap().display(&l("en-GB")), "c. 138 BCE");
        let d = parse_when("2025-05-31").unwrap();
        assert_eq!(d.display(&l("en-GB")), "31 May 2025");
        assert_eq!(d.display(&l("en-US")), "May 31, 2025");
        assert_eq!(d.display(&l("kk")), "2025\u{a0}ж. 31 мамыр");
        let r = parse_when("16–18 June 2025").unwrap();
        assert_eq!(r.end.map(|e| e.to_string()).as_deref(), Some("2025-06-18"));
        assert_eq!(r.display(&l("en-US")), "June 16\u{2013}18, 2025");
    }

    #[test]
    fn dates_in_several_spellings() {
        let d = |t: &str| parse_when(t).unwrap().date.unwrap().to_string();
        assert_eq!(d("31 May 2025"), "2025-05-31");
        assert_eq!(d("16–18 June 2025"), "2025-06-16");
        assert_eq!(d("June 16, 2025"), "2025-06-16");
        assert_eq!(d("2025-06-16"), "2025-06-16");
        assert_eq!(d("June 2025"), "2025-06-01");
        assert!(parse_when("31 February 2025").is_err());
    }

    #[test]
    fn prose_is_not_a_date() {
        assert!(parse_when("Over 2,100 years ago").is_err());
        assert!(parse_when("soon").is_err());
        assert!(parse_when("").is_err());
    }

    #[test]
    fn order_puts_bce_first() {
        let a = parse_when("c. 138 BCE").unwrap().key();
        let b = parse_when("2013").unwrap().key();
        let c = parse_when("31 May 2025").unwrap().key();
        let d = parse_when("16–18 June 2025").unwrap().key();
        assert!(a < b && b < c && c < d);
    }
}
