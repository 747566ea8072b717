//! Book-level metadata, resolved from the manifest.

use chrono::{DateTime, NaiveDate, Utc};

/// Facts about the whole book, shared by every output.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Meta {
    /// The book's title.
    pub title: String,
    /// A subtitle shown under the title.
    pub subtitle: Option<String>,
    /// The event the book prepares for.
    pub event: Option<String>,
    /// Where the event takes place.
    pub venue: Option<String>,
    /// First day of the event.
    pub start_date: Option<NaiveDate>,
    /// Last day of the event.
    pub end_date: Option<NaiveDate>,
    /// The organisation that issues the book (publisher).
    pub organisation: Option<String>,
    /// The classification marking printed on every page.
    pub classification: String,
    /// The book's language (BCP 47, e.g. `en-GB`).
    pub language: String,
    /// Edition statement ("First edition").
    pub edition: Option<String>,
    /// The date the book is issued.
    pub issue_date: NaiveDate,
    /// The moment written into file metadata (issue date, or `SOURCE_DATE_EPOCH`).
    pub timestamp: DateTime<Utc>,
    /// Authors, in order.
    pub authors: Vec<String>,
    /// A one-paragraph description.
    pub description: Option<String>,
    /// Subject keywords.
    pub subjects: Vec<String>,
    /// A stable identifier: a UUID (v5 from the manifest unless one is given).
    pub identifier: uuid::Uuid,
    /// Who evaluated the book's accessibility (named in the EPUB's conformance claim).
    pub accessibility_certifier: Option<String>,
    /// The words, dates and numbers the program writes, in the book's language.
    pub locale: std::sync::Arc<crate::locale::Locale>,
    /// The PDF standards the PDF declares (`[output] pdf-standard`, `--pdf-standard`).
    pub pdf_standards: Vec<PdfStandard>,
    /// The numbered copy this book is (`None`: not a numbered copy): its cover, running
    /// heads and watermark name the copy and its recipient.
    pub copy: Option<CopyMark>,
}

/// What marks one numbered copy of an edition (a row of the edition's `recipients`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct CopyMark {
    /// The copy number (1-based).
    pub number: usize,
    /// How many copies the edition has.
    pub copies: usize,
    /// Who the copy is issued to (a role or office).
    pub recipient: String,
    /// The recipient's position (empty if the data set has no `position` column).
    pub position: String,
    /// The watermark's text, rendered for this copy (`None`: no watermark).
    pub watermark: Option<String>,
}

/// A PDF standard the PDF declares conformance to (and is checked against first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PdfStandard {
    /// PDF/UA-1 (ISO 14289-1): accessible, tagged PDF.
    Ua1,
    /// PDF/A-2b (ISO 19005-2, basic): archival, reproducible appearance.
    A2b,
    /// PDF/A-2u: A-2b with every character mapped to Unicode.
    A2u,
    /// PDF/A-2a: A-2u, tagged (accessible).
    A2a,
}

impl PdfStandard {
    /// Every standard, by the name it is requested by.
    pub const ALL: [(&'static str, PdfStandard); 4] = [
        ("ua-1", PdfStandard::Ua1),
        ("a-2b", PdfStandard::A2b),
        ("a-2u", PdfStandard::A2u),
        ("a-2a", PdfStandard::A2a),
    ];

    /// The standard named `name` (`ua-1`, `a-2b`, `a-2u`, `a-2a`).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(_, s)| *s)
    }

    /// The PDF/A conformance level letter, for PDF/A standards.
    pub fn pdfa_level(self) -> Option<char> {
        match self {
            PdfStandard::Ua1 => None,
            PdfStandard::A2b => Some('B'),
            PdfStandard::A2u => Some('U'),
            PdfStandard::A2a => Some('A'),
        }
    }
}

impl Meta {
    /// The event's dates as printed everywhere ("16–18 June 2025" in British English),
    /// if the manifest gives any.
    pub fn event_dates(&self) -> Option<String> {
        match (self.start_date, self.end_date) {
            (Some(s), Some(e)) => Some(self.locale.date_range(s, e)),
            (Some(d), None) | (None, Some(d)) => Some(self.locale.date(d)),
            (None, None) => None,
        }
    }
}
