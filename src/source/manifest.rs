//! `briefing.toml`: the typed manifest. Unknown keys are errors (typo protection).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::config::DEFAULT_FALLBACK_FONTS;

/// The whole manifest, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Manifest {
    /// `[book]`: title, dates, marking and other book facts.
    pub book: BookSection,
    /// `[layout]`: page size, margins, type size.
    #[serde(default)]
    pub layout: LayoutSection,
    /// `[fonts]`: families and the fallback chain.
    #[serde(default)]
    pub fonts: FontsSection,
    /// `[contents]`: the ordered list of section files.
    pub contents: ContentsSection,
    /// `[data.NAME]`: named data sets.
    #[serde(default)]
    pub data: BTreeMap<String, Spanned<DataSection>>,
    /// `[output]`: where the books are written.
    #[serde(default)]
    pub output: OutputSection,
    /// `[furniture]`: running heads and feet of printed pages (handlebars templates).
    #[serde(default)]
    pub furniture: FurnitureSection,
    /// `[locale]`: replacements for strings of the language's catalogue (labels, date
    /// patterns, separators), laid out like `templates/locales/en.toml`.
    pub locale: Option<Spanned<toml::Table>>,
    /// `[[editions]]`: the books made from this source (one plain book when absent).
    #[serde(default)]
    pub editions: Vec<Spanned<EditionSection>>,
    /// `[classification]`: the ordered levels content and editions are marked with.
    pub classification: Option<Spanned<ClassificationSection>>,
}

/// `[classification]`: ordered classification levels. With it, content carries a level
/// (front matter `level`, a wrapper's `level=`), an edition holds content up to its
/// `level`, and the book's marking is computed: the highest level it holds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ClassificationSection {
    /// The levels, lowest first (`["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL"]`).
    pub levels: Spanned<Vec<Spanned<String>>>,
    /// The level of content that names none (default: the lowest).
    pub default: Option<Spanned<String>>,
    /// The marking printed for a level, when it is more than the level's name
    /// (`RESTRICTED = "RESTRICTED — FOR DELEGATION USE ONLY"`).
    #[serde(default)]
    pub markings: std::collections::BTreeMap<String, Spanned<String>>,
    /// `"book"` (default): every page carries the book's marking; `"per-page"`: each page
    /// the highest level on it, and each chapter heading its own level.
    pub page_marking: Option<Spanned<String>>,
}

/// `[[editions]]`: one book made from the source: which sections, in which language,
/// under which file name, with which book facts changed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EditionSection {
    /// The edition's name (`build --edition NAME`).
    pub name: Spanned<String>,
    /// The output file stem (default: the name).
    pub stem: Option<Spanned<String>>,
    /// The edition's language (default: `[book] language`). Without `sections`, the
    /// edition holds the `[contents]` sections written in this language.
    pub language: Option<Spanned<String>>,
    /// The sections, a subset of `[contents] sections` in any order.
    pub sections: Option<Vec<Spanned<String>>>,
    /// Book facts that differ in this edition (title, marking, …).
    pub book: Option<BookOverrides>,
    /// `[locale]` replacements for this edition, over the manifest's.
    pub locale: Option<Spanned<toml::Table>>,
    /// The highest classification level the edition may hold (default: the level of
    /// unmarked content, `[classification] default`).
    pub level: Option<Spanned<String>>,
    /// The audiences the edition is for; content marked for other audiences only is
    /// left out (default: none, so the edition holds only content for everyone).
    pub audiences: Option<Vec<Spanned<String>>>,
    /// The marking printed for a level in this edition, over `[classification.markings]`
    /// (e.g. in the edition's language).
    #[serde(default)]
    pub markings: std::collections::BTreeMap<String, Spanned<String>>,
    /// A CSV data set (`[data.NAME]`) listing the edition's numbered copies: one PDF
    /// per row, its cover and furniture naming the copy and its recipient.
    pub recipients: Option<Spanned<String>>,
    /// A handlebars template for the text set diagonally behind every page of a
    /// numbered copy ("Copy {{copy}} of {{copies}} — {{recipient}}").
    pub watermark: Option<Spanned<String>>,
    /// One EPUB per numbered copy, rather than one for the edition.
    #[serde(default)]
    pub copy_epubs: bool,
}

/// `[editions.book]`: the `[book]` fields an edition may change.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookOverrides {
    /// The title.
    pub title: Option<String>,
    /// A subtitle.
    pub subtitle: Option<String>,
    /// The event.
    pub event: Option<String>,
    /// Where the event is held.
    pub venue: Option<String>,
    /// Issuing organisation.
    pub organisation: Option<String>,
    /// Classification marking.
    pub classification: Option<String>,
    /// Edition statement.
    pub edition: Option<String>,
    /// Authors.
    pub authors: Option<Vec<String>>,
    /// Description.
    pub description: Option<String>,
    /// Subject keywords.
    pub subjects: Option<Vec<String>>,
    /// Who evaluated the book's accessibility.
    pub accessibility_certifier: Option<String>,
}

/// `[furniture]`: what the top and bottom margins of every page but the cover show, and
/// the cover. Each margin value is a handlebars template with `page`, `pages`, `chapter`,
/// `classification`, `title`, `subtitle`, `event`, `edition` and `organisation` in scope.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct FurnitureSection {
    /// Top margin, left.
    pub header_left: Spanned<String>,
    /// Top margin, centre (set like the classification marking).
    pub header_center: Spanned<String>,
    /// Top margin, right.
    pub header_right: Spanned<String>,
    /// Bottom margin, left.
    pub footer_left: Spanned<String>,
    /// Bottom margin, centre (set like the classification marking).
    pub footer_center: Spanned<String>,
    /// Bottom margin, right.
    pub footer_right: Spanned<String>,
    /// A handlebars template for the PDF cover, relative to the briefing folder (the
    /// shipped `templates/pdf/cover.hbs` if absent).
    pub cover: Option<Spanned<String>>,
}

impl Default for FurnitureSection {
    fn default() -> Self {
        let s = |t: &str| Spanned::new(0..0, t.to_string());
        Self {
            header_left: s(""),
            header_center: s("{{classification}}"),
            header_right: s(""),
            footer_left: s("{{chapter}}"),
            footer_center: s("{{classification}}"),
            footer_right: s("Page {{page}} of {{pages}}"),
            cover: None,
        }
    }
}

/// `[book]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookSection {
    /// The title.
    pub title: String,
    /// A subtitle.
    pub subtitle: Option<String>,
    /// The event the book prepares for.
    pub event: Option<String>,
    /// Where the event is held.
    pub venue: Option<String>,
    /// First day of the event (`2025-06-16`).
    pub start_date: Option<Spanned<toml::value::Datetime>>,
    /// Last day of the event.
    pub end_date: Option<Spanned<toml::value::Datetime>>,
    /// Issuing organisation.
    pub organisation: Option<String>,
    /// Classification marking, printed on every page (computed from the levels instead
    /// when `[classification]` is declared).
    pub classification: Option<Spanned<String>>,
    /// BCP 47 language tag.
    #[serde(default = "default_language")]
    pub language: Spanned<String>,
    /// Edition statement.
    pub edition: Option<String>,
    /// Issue date; falls back to `SOURCE_DATE_EPOCH`.
    pub issue_date: Option<Spanned<toml::value::Datetime>>,
    /// Authors.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Description (EPUB metadata, PDF subject).
    pub description: Option<String>,
    /// Subject keywords.
    #[serde(default)]
    pub subjects: Vec<String>,
    /// A fixed identifier (a UUID); derived from the title and edition if absent.
    pub identifier: Option<Spanned<String>>,
    /// Who evaluated the book's accessibility; naming one lets the EPUB claim
    /// conformance to EPUB Accessibility 1.1 (WCAG 2.2 AA).
    pub accessibility_certifier: Option<String>,
}

fn default_language() -> Spanned<String> {
    Spanned::new(0..0, "en".to_string())
}

/// `[layout]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct LayoutSection {
    /// A named size (`"A4"`, `"Letter"`: see `PAGE_SIZES`), or `{ width = 170, height = 240 }`
    /// in millimetres.
    pub page_size: Spanned<PageSizeSpec>,
    /// Margins in millimetres (spanned, for the error when they leave no room).
    pub margins: Spanned<Margins>,
    /// Body type size in points.
    pub font_size: Spanned<f64>,
    /// Justify body text (`false`: ragged right).
    pub justify: bool,
    /// Number headings (1, 1.1, 1.1.1)?
    pub numbering: bool,
    /// Deepest heading level that gets a number.
    pub numbering_depth: u8,
}

impl Default for LayoutSection {
    fn default() -> Self {
        Self {
            page_size: Spanned::new(0..0, PageSizeSpec::Named("A4".into())),
            margins: Spanned::new(0..0, Margins::default()),
            font_size: Spanned::new(0..0, 10.5),
            justify: true,
            numbering: true,
            numbering_depth: 3,
        }
    }
}

/// A page size as written in the manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum PageSizeSpec {
    /// `"A4"`, `"Letter"`, … (any case).
    Named(String),
    /// Width and height in millimetres.
    Custom {
        /// Width in mm.
        width: f64,
        /// Height in mm.
        height: f64,
    },
}

/// Page margins in millimetres.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Margins {
    /// Top margin (the running head sits in it).
    pub top: f64,
    /// Bottom margin (the folio sits in it).
    pub bottom: f64,
    /// Left margin.
    pub left: f64,
    /// Right margin.
    pub right: f64,
}

impl Default for Margins {
    fn default() -> Self {
        Self { top: 25.0, bottom: 25.0, left: 25.0, right: 25.0 }
    }
}

/// `[fonts]`: family names, looked up in the briefing's `fonts/` folder, then the bundled fonts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct FontsSection {
    /// Body text family (serif by default).
    pub body: String,
    /// Headings, tables and page furniture.
    pub heading: String,
    /// Code.
    pub mono: String,
    /// Families tried in order for characters the first choice lacks.
    pub fallback: Vec<String>,
}

impl Default for FontsSection {
    fn default() -> Self {
        Self {
            body: "Noto Serif".into(),
            heading: "Noto Sans".into(),
            mono: "Noto Sans Mono".into(),
            fallback: DEFAULT_FALLBACK_FONTS.map(String::from).to_vec(),
        }
    }
}

/// `[contents]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ContentsSection {
    /// Section files in reading order, relative to the briefing folder.
    pub sections: Vec<Spanned<String>>,
}

/// `[data.NAME]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DataSection {
    /// The CSV or TOML file, relative to the briefing folder.
    pub path: Spanned<String>,
    /// Default source line for tables and charts made from this data set.
    pub source: Option<String>,
    /// Per-column settings; columns not named here get an inferred type.
    #[serde(default)]
    pub columns: BTreeMap<String, Spanned<ColumnSection>>,
}

/// `[data.NAME.columns.COL]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ColumnSection {
    /// `number`, `integer`, `date` or `text`.
    #[serde(rename = "type")]
    pub ty: Option<Spanned<String>>,
    /// The unit of the values ("billion US dollars").
    pub unit: Option<String>,
    /// A column heading for tables (defaults to the column name).
    pub label: Option<String>,
    /// Decimal places shown in tables.
    pub decimals: Option<u8>,
    /// The language of the column's text (BCP 47), when it is not the book's.
    pub lang: Option<Spanned<String>>,
    /// A column holding each row's language for this one (when rows differ).
    pub lang_column: Option<Spanned<String>>,
}

/// `[output]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OutputSection {
    /// Output folder, relative to the briefing folder (and inside it).
    #[serde(default = "default_output_dir")]
    pub dir: Spanned<String>,
    /// File name without extension (no folder separators).
    #[serde(default = "default_output_stem")]
    pub stem: Spanned<String>,
    /// The PDF standards the PDF declares (`ua-1`, `a-2b`, `a-2u`, `a-2a`); PDF/UA-1
    /// when not given.
    #[serde(default)]
    pub pdf_standard: Vec<Spanned<String>>,
}

fn default_output_dir() -> Spanned<String> {
    Spanned::new(0..0, "build".into())
}

fn default_output_stem() -> Spanned<String> {
    Spanned::new(0..0, "briefing".into())
}

impl Default for OutputSection {
    fn default() -> Self {
        Self {
            dir: default_output_dir(),
            stem: default_output_stem(),
            pdf_standard: Vec::new(),
        }
    }
}
