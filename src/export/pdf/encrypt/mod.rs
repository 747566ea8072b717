//! Optional encryption of a finished PDF, for numbered, personalised copies: AES-256
//! with the PDF 2.0 standard security handler (/V 5 /R 6, crypt filter /AESV3).
//!
//! A post-pass over the bytes [`super::export_pdf`] wrote, so the writer and its page
//! cache know nothing of passwords, and one cached build can be protected once per
//! recipient:
//!
//! 1. Read the cross-reference stream: where each object is, /Root, /Info and /ID
//!    (`rewrite`, with the object syntax in `syntax`).
//! 2. Derive the keys and the /Encrypt dictionary from the password and the /ID
//!    (`handler`); the same file and password always give the same bytes.
//! 3. Write every object again, in the same order, each string and stream encrypted
//!    (an object stream is encrypted as a whole, the strings inside it are not), the
//!    catalog declaring the extension level AES-256 needs in a PDF 1.7 file; then the
//!    /Encrypt dictionary and a new cross-reference stream (neither is encrypted, and
//!    the /ID stays clear).

mod handler;
mod rewrite;
mod syntax;

use std::fmt;

use crate::diag::{Diagnostic, Span};
use crate::model::PdfStandard;

pub use handler::{ENCRYPT_METADATA, PERMISSIONS};

/// The passwords of an encrypted PDF: the user password opens it; the owner password
/// (which lifts the permission limits in readers that honour them) is given, or else
/// derived from the user password (see [`Password::owner_bytes`]).
///
/// Neither is ever printed: `Debug` shows `Password(..)`, and errors do not quote them.
/// Passwords are used as their UTF-8 bytes (ASCII ones are what every reader expects;
/// for others, type them in the same Unicode normalisation form in the reader).
#[derive(Clone, PartialEq, Eq)]
pub struct Password {
    user: String,
    owner: Option<String>,
}

/// The longest password revision 6 uses (longer ones would be cut to this).
const MAX_BYTES: usize = 127;

impl Password {
    /// A user password; an error if it is empty or longer than 127 bytes (a longer one
    /// would be silently cut by readers).
    pub fn new(user: impl Into<String>) -> Result<Self, Diagnostic> {
        let user = user.into();
        check("password", &user)?;
        Ok(Self { user, owner: None })
    }

    /// The same user password with an explicit owner password (which must differ from
    /// it: opening with the owner password lifts the limits).
    pub fn with_owner(self, owner: impl Into<String>) -> Result<Self, Diagnostic> {
        let owner = owner.into();
        check("owner password", &owner)?;
        if owner == self.user {
            return Err(Diagnostic::spanless(
                "the owner password is the same as the password",
            )
            .with_hint(
                "choose a different owner password, or give none to have one derived",
            ));
        }
        Ok(Self { owner: Some(owner), ..self })
    }

    /// The owner password's bytes: the one given, or else 64 hex digits of
    /// SHA-256("briefbook pdf owner password v1" ‖ 0x00 ‖ user password), a
    /// domain-separated hash, so the publisher can recompute it and a reader cannot
    /// guess it without the user password. Whoever has the user password can decrypt
    /// everything anyway: permissions in PDF are honoured by readers, not enforced.
    pub fn owner_bytes(&self) -> Vec<u8> {
        use sha2::{Digest, Sha256};
        match &self.owner {
            Some(owner) => owner.as_bytes().to_vec(),
            None => {
                let digest = Sha256::new()
                    .chain_update(b"briefbook pdf owner password v1\0")
                    .chain_update(self.user.as_bytes())
                    .finalize();
                digest.iter().flat_map(|b| format!("{b:02x}").into_bytes()).collect()
            }
        }
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(..)")
    }
}

/// An error if a password is empty or too long (it is never quoted).
fn check(what: &str, password: &str) -> Result<(), Diagnostic> {
    if password.is_empty() {
        return Err(Diagnostic::spanless(format!("the PDF {what} is empty"))
            .with_hint("an empty password would let anyone open the file"));
    }
    if password.len() > MAX_BYTES {
        return Err(Diagnostic::spanless(format!(
            "the PDF {what} is longer than {MAX_BYTES} bytes"
        ))
        .with_hint(
            "AES-256 PDF encryption uses at most 127 bytes of a password (UTF-8)",
        ));
    }
    Ok(())
}

/// Encrypts `pdf`, a file written by [`super::export_pdf`], so that it opens only with
/// `password`: AES-256 (/V 5 /R 6), printing and copying allowed, changes not (see
/// [`PERMISSIONS`]), the metadata encrypted too ([`ENCRYPT_METADATA`]). The result
/// depends only on `pdf` and the passwords. An error (a bug, not bad input) if `pdf` is
/// not in the form our writer gives, or is already encrypted.
pub fn protect(pdf: &[u8], password: &Password) -> Result<Vec<u8>, Diagnostic> {
    rewrite::protect(pdf, password).map_err(|e| {
        Diagnostic::spanless(format!("the PDF could not be encrypted: {e}"))
            .with_hint("please report this as a bug")
    })
}

/// Whether a build may encrypt a PDF that declares `standards`: PDF/A forbids
/// encryption (ISO 19005-2, 6.1.3), so an error naming the PDF/A standard asked for,
/// at `at` (where the standard or the password was given; `None` for the command
/// line). PDF/UA-1 allows it, as the file grants copying for accessibility. Call it
/// before building when a password is set, so no work is wasted.
pub fn check_standards(
    standards: &[PdfStandard],
    at: Option<Span>,
) -> Result<(), Diagnostic> {
    let Some(pdfa) = standards.iter().find(|s| s.pdfa_level().is_some()) else {
        return Ok(());
    };
    let name =
        PdfStandard::ALL.iter().find(|(_, s)| s == pdfa).map_or("a-2b", |(n, _)| n);
    let message = format!(
        "PDF/A does not allow encryption; drop `--pdf-standard {name}` or the password"
    );
    let d = match at {
        Some(span) => Diagnostic::error(span, message),
        None => Diagnostic::spanless(message),
    };
    Err(d.with_hint(
        "an archival PDF must open without a password; PDF/UA-1 may be encrypted",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_checked_and_never_shown() {
        assert!(Password::new("").is_err());
        assert!(Password::new("x".repeat(128)).is_err());
        let p = Password::new("x".repeat(127)).unwrap();
        assert_eq!(format!("{p:?}"), "Password(..)");
        let e = Password::new("hunter2").unwrap().with_owner("hunter2").unwrap_err();
        assert!(!e.message.contains("hunter2"));
    }

    #[test]
    fn the_owner_password_is_derived_and_separate() {
        let p = Password::new("hunter2").unwrap();
        let owner = p.owner_bytes();
        assert_eq!(owner.len(), 64);
        assert_ne!(owner, b"hunter2");
        assert_eq!(owner, Password::new("hunter2").unwrap().owner_bytes());
        assert_ne!(owner, Password::new("hunter3").unwrap().owner_bytes());
        let given = p.with_owner("boss").unwrap();
        assert_eq!(given.owner_bytes(), b"boss");
    }

    #[test]
    fn pdfa_refuses_encryption_and_pdfua_allows_it() {
        assert!(check_standards(&[PdfStandard::Ua1], None).is_ok());
        assert!(check_standards(&[], None).is_ok());
        let e = check_standards(&[PdfStandard::Ua1, PdfStandard::A2b], None).unwrap_err();
        assert_eq!(
            e.message,
            "PDF/A does not allow encryption; drop `--pdf-standard a-2b` or the password"
        );
        let e = check_standards(&[PdfStandard::A2u], None).unwrap_err();
        assert!(e.message.contains("a-2u"), "{}", e.message);
    }
}
