//! Passwords for numbered copies: a CSV file kept outside the briefing folder (given
//! with `build --passwords FILE`), one row per copy: `edition,copy,password`. A copy with
//! a password is encrypted (AES-256, see [`crate::export::pdf::encrypt`]); a copy without
//! one is not.
//!
//! Passwords never appear in messages: an error names the file and the line.

use std::collections::BTreeMap;

use crate::export::pdf::encrypt::Password;

/// Each copy's password, by edition and copy number.
#[derive(Default, Clone)]
pub struct Passwords {
    by_copy: BTreeMap<(String, usize), Password>,
}

impl std::fmt::Debug for Passwords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Passwords({} copies)", self.by_copy.len())
    }
}

impl Passwords {
    /// Reads the file's text (`name` is how messages call the file). The header must
    /// name the columns `edition`, `copy` and `password` (in any order; others are
    /// ignored).
    pub fn parse(name: &str, text: &str) -> Result<Self, String> {
        let mut reader =
            csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|e| format!("{name}: not a CSV file ({})", line_of(&e)))?
            .clone();
        let column = |c: &str| {
            header.iter().position(|h| h.trim() == c).ok_or_else(|| {
                format!("{name}: no `{c}` column (the header must name edition, copy, password)")
            })
        };
        let (edition, copy, password) =
            (column("edition")?, column("copy")?, column("password")?);
        let mut by_copy = BTreeMap::new();
        for (i, record) in reader.records().enumerate() {
            let line = i + 2;
            let record = record.map_err(|e| format!("{name}: {}", line_of(&e)))?;
            let field = |k: usize| record.get(k).unwrap_or("").trim();
            let number: usize = field(copy).parse().map_err(|_| {
                format!("{name}:{line}: the copy number is not a whole number")
            })?;
            let key = (field(edition).to_string(), number);
            // The password's own words never reach a message.
            let pw = Password::new(record.get(password).unwrap_or(""))
                .map_err(|e| format!("{name}:{line}: {}", e.message))?;
            if by_copy.insert(key, pw).is_some() {
                return Err(format!("{name}:{line}: a second password for this copy"));
            }
        }
        Ok(Self { by_copy })
    }

    /// The password of copy `number` of `edition`, if the file gives one.
    pub fn get(&self, edition: &str, number: usize) -> Option<&Password> {
        self.by_copy.get(&(edition.to_string(), number))
    }

    /// Whether the file gives any password for `edition`.
    pub fn covers(&self, edition: &str) -> bool {
        self.by_copy.keys().any(|(e, _)| e == edition)
    }
}

/// Where a CSV error is, without the field's content.
fn line_of(e: &csv::Error) -> String {
    match e.position() {
        Some(p) => format!("line {}: the row has the wrong number of fields", p.line()),
        None => "unreadable".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_by_edition_and_copy() {
        let p = Passwords::parse(
            "pw.csv",
            "edition,copy,password\nissue,1,alpha-7\nissue,2,beta-9\n",
        )
        .unwrap();
        assert!(p.get("issue", 1).is_some() && p.get("issue", 3).is_none());
        assert!(p.covers("issue") && !p.covers("press"));
        assert_eq!(format!("{p:?}"), "Passwords(2 copies)");
    }

    #[test]
    fn errors_name_the_line_not_the_password() {
        let e =
            Passwords::parse("pw.csv", "edition,copy,password\nissue,x,secret-word\n")
                .unwrap_err();
        assert!(e.contains("pw.csv:2") && !e.contains("secret-word"), "{e}");
        let e =
            Passwords::parse("pw.csv", "edition,copy,password\nissue,1,\n").unwrap_err();
        assert!(e.contains("pw.csv:2"), "{e}");
        let e = Passwords::parse(
            "pw.csv",
            "edition,copy,password\nissue,1,a-secret\nissue,1,b-secret\n",
        )
        .unwrap_err();
        assert!(e.contains("second password") && !e.contains("secret"), "{e}");
        assert!(Passwords::parse("pw.csv", "copy,password\n1,x\n")
            .unwrap_err()
            .contains("`edition`"));
    }
}
