//! A whole briefing folder from arbitrary bytes, structure-aware: the fuzzer's bytes
//! choose a manifest, sections made of Markdown pieces and briefing blocks, data tables
//! with typed cells, a cover template and images, and [`Briefing::files`] writes them
//! out as text. References between the parts (a chart's data set and columns, a
//! link's anchor, a footnote's label, an image's path) are drawn from what exists, so
//! most inputs get past the parsers and reach layout and export; a few wrong names,
//! types and raw strings keep the error paths in play.
//!
//! The types are flat (no recursion): nesting is a depth number, so generating never
//! recurses and the sizes written out are capped.

use std::fmt::Write;

use libfuzzer_sys::arbitrary::{self, Arbitrary};

use crate::{fixtures, File};

/// Most parts of each kind written out, so one input stays well inside the time limit.
const MAX_SECTIONS: usize = 6;
const MAX_BLOCKS: usize = 24;
const MAX_ITEMS: usize = 12;
const MAX_ROWS: usize = 40;
const MAX_COLUMNS: usize = 8;
const MAX_DATA: usize = 4;

/// The whole folder.
#[derive(Debug, Arbitrary)]
pub struct Briefing {
    book: Book,
    layout: Option<Layout>,
    fonts: Option<Fonts>,
    furniture: Option<Furniture>,
    cover: Option<Vec<CoverLine>>,
    data: Vec<DataSet>,
    sections: Vec<Section>,
    /// Extra images, by index `images/N.png`; index 0 is always the fixed PNG.
    images: Vec<ImageFile>,
}

/// Text: mostly words from a list of awkward ones, sometimes anything.
#[derive(Debug, Arbitrary)]
enum Text {
    Word(Word),
    Words(Vec<Word>),
    Number(Number),
    Raw(String),
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum Word {
    Trade,
    Summit,
    Astana,
    Long,
    Url,
    Chinese,
    Cyrillic,
    Arabic,
    Hebrew,
    Greek,
    Emoji,
    Combining,
    ZeroWidth,
    NoBreak,
    Soft,
    Ampersand,
    Less,
    CdataEnd,
    Quote,
    Backslash,
    Star,
    Underscore,
    Pipe,
    Hash,
    Bracket,
    Braces,
    Minus,
    Dash,
    Tab,
    Empty,
    Control,
    Math,
    Snowman,
    Digits,
}

impl Word {
    fn text(self) -> &'static str {
        match self {
            Word::Trade => "trade",
            Word::Summit => "Summit",
            Word::Astana => "Astana, Kazakhstan",
            Word::Long => {
                "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung"
            }
            Word::Url => {
                "https://example.org/a/very/long/path/that/does/not/break/anywhere/at/all"
            }
            Word::Chinese => "中国与中亚国家的贸易",
            Word::Cyrillic => "Қазақстан Республикасы",
            Word::Arabic => "مرحبا بالعالم",
            Word::Hebrew => "שלום",
            Word::Greek => "Ελληνικά",
            Word::Emoji => "👩‍👩‍👧 🇰🇿",
            Word::Combining => "e\u{301}\u{302}\u{303}",
            Word::ZeroWidth => "a\u{200B}b\u{200D}c",
            Word::NoBreak => "10\u{a0}km",
            Word::Soft => "hy\u{ad}phen",
            Word::Ampersand => "&amp; &",
            Word::Less => "<b>",
            Word::CdataEnd => "]]>",
            Word::Quote => "\"quoted\" 'single'",
            Word::Backslash => "\\",
            Word::Star => "*",
            Word::Underscore => "_",
            Word::Pipe => "|",
            Word::Hash => "#",
            Word::Bracket => "[x]",
            Word::Braces => "\\{{x}}",
            Word::Minus => "−5",
            Word::Dash => "—",
            Word::Tab => "\t",
            Word::Empty => "",
            Word::Control => "\u{1}\u{7f}",
            Word::Math => "∑ → ≤",
            Word::Snowman => "\u{2603}",
            Word::Digits => "1234567890123456789012345678901234567890",
        }
    }
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum Number {
    Int(i16),
    Big(i64),
    Float(f32),
    Small(u8),
}

impl Number {
    /// As TOML (also a CSV cell and a handlebars literal): `nan`, `inf` for those.
    fn toml(self) -> String {
        match self {
            Number::Int(i) => i.to_string(),
            Number::Big(i) => i.to_string(),
            Number::Small(i) => format!("{}.{}", i / 10, i % 10),
            Number::Float(f) if f.is_nan() => "nan".into(),
            Number::Float(f) if f.is_infinite() => {
                if f > 0.0 { "inf" } else { "-inf" }.into()
            }
            Number::Float(f) => {
                let s = format!("{f:?}");
                if s.contains(['.', 'e', 'E']) {
                    s
                } else {
                    format!("{s}.0")
                }
            }
        }
    }
}

impl Text {
    fn render(&self) -> String {
        match self {
            Text::Word(w) => w.text().to_string(),
            Text::Words(ws) => {
                ws.iter().take(MAX_ITEMS).map(|w| w.text()).collect::<Vec<_>>().join(" ")
            }
            Text::Number(n) => n.toml(),
            Text::Raw(s) => s.chars().take(200).collect(),
        }
    }

    /// For inside a TOML basic string.
    fn toml(&self) -> String {
        toml_string(&self.render())
    }

    /// For Markdown running text on one line.
    fn line(&self) -> String {
        self.render().replace(['\n', '\r'], " ")
    }
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[derive(Debug, Clone, Copy, Arbitrary)]
struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// Usually a valid TOML date; the fuzzer can reach the edges (29 February, 9999).
    fn render(self) -> String {
        let year = 1900 + u32::from(self.year) % 8100;
        format!("{year:04}-{:02}-{:02}", self.month % 12 + 1, self.day % 31 + 1)
    }
}

// ---- the manifest ---------------------------------------------------------------

#[derive(Debug, Arbitrary)]
struct Book {
    title: Text,
    subtitle: Option<Text>,
    event: Option<Text>,
    venue: Option<Text>,
    start_date: Option<Date>,
    end_date: Option<Date>,
    organisation: Option<Text>,
    classification: Text,
    language: Language,
    edition: Option<Text>,
    issue_date: Option<Date>,
    authors: Vec<Text>,
    description: Option<Text>,
    subjects: Vec<Text>,
    identifier: Option<u128>,
}

#[derive(Debug, Arbitrary)]
enum Language {
    EnGb,
    EnUs,
    De,
    Fr,
    Es,
    Ru,
    Uk,
    Zh,
    Ar,
    Other(Text),
}

impl Language {
    fn tag(&self) -> String {
        match self {
            Language::EnGb => "en-GB".into(),
            Language::EnUs => "en-US".into(),
            Language::De => "de".into(),
            Language::Fr => "fr".into(),
            Language::Es => "es".into(),
            Language::Ru => "ru".into(),
            Language::Uk => "uk".into(),
            Language::Zh => "zh-Hans".into(),
            Language::Ar => "ar".into(),
            Language::Other(t) => t.render(),
        }
    }
}

#[derive(Debug, Arbitrary)]
struct Layout {
    page_size: Option<PageSize>,
    margins: Option<[Option<Number>; 4]>,
    font_size: Option<Number>,
    justify: Option<bool>,
    numbering: Option<bool>,
    numbering_depth: Option<i8>,
}

#[derive(Debug, Arbitrary)]
enum PageSize {
    A4,
    Letter,
    Custom { width: Number, height: Number },
    Other(Text),
}

#[derive(Debug, Arbitrary)]
struct Fonts {
    body: Option<Family>,
    heading: Option<Family>,
    mono: Option<Family>,
    fallback: Option<Vec<Family>>,
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum Family {
    Serif,
    Sans,
    Mono,
    Math,
    Droid,
    Missing,
}

impl Family {
    fn name(self) -> &'static str {
        match self {
            Family::Serif => "Noto Serif",
            Family::Sans => "Noto Sans",
            Family::Mono => "Noto Sans Mono",
            Family::Math => "Noto Sans Math",
            Family::Droid => "Droid Sans Fallback",
            Family::Missing => "Comic Sans",
        }
    }
}

#[derive(Debug, Arbitrary)]
struct Furniture {
    slots: [Option<Vec<FurniturePiece>>; 6],
}

#[derive(Debug, Arbitrary)]
enum FurniturePiece {
    Text(Text),
    Name(FurnitureName),
    Unknown,
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum FurnitureName {
    Page,
    Pages,
    Chapter,
    Classification,
    Title,
    Subtitle,
    Event,
    Edition,
    Organisation,
}

impl FurnitureName {
    fn name(self) -> &'static str {
        match self {
            FurnitureName::Page => "page",
            FurnitureName::Pages => "pages",
            FurnitureName::Chapter => "chapter",
            FurnitureName::Classification => "classification",
            FurnitureName::Title => "title",
            FurnitureName::Subtitle => "subtitle",
            FurnitureName::Event => "event",
            FurnitureName::Edition => "edition",
            FurnitureName::Organisation => "organisation",
        }
    }
}

#[derive(Debug, Arbitrary)]
enum CoverLine {
    Region(CoverRegion),
    Element(CoverStyle, Vec<CoverPiece>),
    Band(bool),
    Spacer(Option<u8>),
    Rule,
    Blank,
    Comment(Text),
    Raw(Text),
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum CoverRegion {
    Header,
    Top,
    Middle,
    Foot,
    Footer,
    Bogus,
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum CoverStyle {
    Marking,
    Organisation,
    Title,
    Subtitle,
    Event,
    Meta,
    Small,
    Bogus,
}

#[derive(Debug, Arbitrary)]
enum CoverPiece {
    Text(Text),
    Name(CoverName),
    IfAuthors(Text),
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum CoverName {
    Title,
    Subtitle,
    Event,
    Venue,
    Dates,
    Classification,
    Edition,
    IssueDate,
    Organisation,
    Authors,
    Unknown,
}

// ---- data -----------------------------------------------------------------------

#[derive(Debug, Arbitrary)]
struct DataSet {
    toml: bool,
    source: Option<Text>,
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
    /// TOML only: loose facts beside the rows.
    facts: Vec<(ColumnName, Cell)>,
}

#[derive(Debug, Arbitrary)]
struct Column {
    name: ColumnName,
    kind: Option<ColumnType>,
    unit: Option<Text>,
    label: Option<Text>,
    decimals: Option<i8>,
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum ColumnType {
    Number,
    Integer,
    Date,
    Text,
    Bogus,
}

#[derive(Debug, Clone, Arbitrary)]
enum ColumnName {
    Year,
    Value,
    Change,
    When,
    Event,
    Detail,
    Title,
    Country,
    Other(u8),
}

impl ColumnName {
    fn name(&self) -> String {
        match self {
            ColumnName::Year => "year".into(),
            ColumnName::Value => "value".into(),
            ColumnName::Change => "change".into(),
            ColumnName::When => "when".into(),
            ColumnName::Event => "event".into(),
            ColumnName::Detail => "detail".into(),
            ColumnName::Title => "title".into(),
            ColumnName::Country => "country".into(),
            ColumnName::Other(n) => format!("c{n}"),
        }
    }
}

#[derive(Debug, Arbitrary)]
enum Cell {
    Empty,
    Number(Number),
    Date(Date),
    When(WhenText),
    Text(Text),
}

impl Cell {
    fn csv(&self) -> String {
        let s = match self {
            Cell::Empty => return String::new(),
            Cell::Number(n) => n.toml(),
            Cell::Date(d) => d.render(),
            Cell::When(w) => w.render(),
            Cell::Text(t) => t.render(),
        };
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    }

    /// `None` for an empty cell (the key is left out).
    fn toml(&self) -> Option<String> {
        match self {
            Cell::Empty => None,
            Cell::Number(n) => Some(n.toml()),
            Cell::Date(d) => Some(d.render()),
            Cell::When(w) => Some(toml_string(&w.render())),
            Cell::Text(t) => Some(t.toml()),
        }
    }
}

/// Date text as timelines read it.
#[derive(Debug, Arbitrary)]
enum WhenText {
    Year(i16),
    Range(u16, u16),
    Era(u16, bool),
    Century(u8, bool),
    Day(Date),
    Month(Date),
    DayRange(u8, Date),
    Approximate(i16),
    Free(Text),
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl WhenText {
    fn render(&self) -> String {
        match self {
            WhenText::Year(y) => y.to_string(),
            WhenText::Range(a, b) => format!("{a}–{b}"),
            WhenText::Era(y, bce) => {
                if *bce {
                    format!("{y} BCE")
                } else {
                    format!("AD {y}")
                }
            }
            WhenText::Century(c, bc) => {
                format!("{c}th century{}", if *bc { " BC" } else { "" })
            }
            WhenText::Day(d) => {
                let (y, m, day) = parts(*d);
                format!("{day} {} {y}", MONTHS[m])
            }
            WhenText::Month(d) => {
                let (y, m, _) = parts(*d);
                format!("{} {y}", MONTHS[m])
            }
            WhenText::DayRange(first, d) => {
                let (y, m, day) = parts(*d);
                format!("{}–{day} {} {y}", first % 31 + 1, MONTHS[m])
            }
            WhenText::Approximate(y) => format!("c. {y}"),
            WhenText::Free(t) => t.line(),
        }
    }
}

fn parts(d: Date) -> (u32, usize, u8) {
    (1900 + u32::from(d.year) % 200, usize::from(d.month % 12), d.day % 31 + 1)
}

// ---- sections -------------------------------------------------------------------

#[derive(Debug, Arbitrary)]
struct Section {
    front_matter: Option<FrontMatter>,
    title: Vec<Span>,
    id: Option<Id>,
    blocks: Vec<Block>,
}

#[derive(Debug, Arbitrary)]
struct FrontMatter {
    numbered: Option<bool>,
    toc: Option<bool>,
    id: Option<Id>,
    unknown: bool,
}

/// An anchor: one of a few names, so links and ids meet.
#[derive(Debug, Clone, Copy, Arbitrary)]
enum Id {
    Trade,
    People,
    Summary,
    Numbered(u8),
    Bad,
}

impl Id {
    fn name(self) -> String {
        match self {
            Id::Trade => "trade".into(),
            Id::People => "people".into(),
            Id::Summary => "summary".into(),
            Id::Numbered(n) => format!("s{}", n % 8),
            Id::Bad => "9 bad id".into(),
        }
    }
}

/// A run of inline text with its styles.
#[derive(Debug, Arbitrary)]
struct Span {
    text: Text,
    style: u8,
    link: Option<Link>,
    footnote: Option<u8>,
    expr: Option<Expr>,
}

#[derive(Debug, Arbitrary)]
enum Link {
    Anchor(Id),
    Web(Text),
    Mail,
    Relative,
}

#[derive(Debug, Arbitrary)]
enum Block {
    Heading { level: u8, title: Vec<Span>, id: Option<Id> },
    Paragraph(Vec<Span>),
    List { ordered: bool, items: Vec<(u8, Vec<Span>)> },
    Quote { depth: u8, text: Vec<Span> },
    Code { info: CodeInfo, body: Text },
    Table(Table),
    KeyFigures { title: Option<Text>, source: Option<Text>, figures: Vec<Figure> },
    Aside { kind: Option<AsideKind>, title: Option<Text>, text: Vec<AsideBlock> },
    Chart(Chart),
    Timeline(Timeline),
    PageBreak,
    Image { index: u8, alt: Text, caption: Option<Text> },
    Footnote { label: u8, text: Vec<Span> },
    DataTable { set: u8, columns: Vec<u8>, caption: Option<Text> },
    Each { set: u8, columns: Vec<u8> },
    Rule,
    Comment(Text),
    Raw(String),
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum CodeInfo {
    None,
    Toml,
    Text,
    NearMiss,
    Unknown,
}

#[derive(Debug, Arbitrary)]
struct Table {
    header: Vec<Vec<Span>>,
    align: Vec<Option<bool>>,
    rows: Vec<Vec<Vec<Span>>>,
    caption: Option<Text>,
    source: Option<Text>,
}

#[derive(Debug, Arbitrary)]
struct Figure {
    value: Vec<Span>,
    label: Vec<Span>,
    note: Option<Text>,
    unit: Option<Text>,
    change: Option<Text>,
    trend: Option<Trend>,
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum Trend {
    Up,
    Down,
    Flat,
    Bogus,
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum AsideKind {
    Note,
    Important,
    Warning,
    Bogus,
}

#[derive(Debug, Arbitrary)]
enum AsideBlock {
    Paragraph(Vec<Span>),
    List(Vec<Vec<Span>>),
    Table(Table),
}

#[derive(Debug, Arbitrary)]
struct Chart {
    bar: bool,
    from: ChartFrom,
    horizontal: Option<bool>,
    stacked: Option<bool>,
    caption: Option<Text>,
    source: Option<Text>,
    x_label: Option<Text>,
    y_label: Option<Text>,
    unit: Option<Text>,
}

#[derive(Debug, Arbitrary)]
enum ChartFrom {
    Data { set: u8, x: u8, y: Vec<u8> },
    Inline { categories: Vec<Text>, series: Vec<(Text, Vec<Number>)> },
}

#[derive(Debug, Arbitrary)]
struct Timeline {
    from: TimelineFrom,
    caption: Option<Text>,
    source: Option<Text>,
}

#[derive(Debug, Arbitrary)]
enum TimelineFrom {
    Data { set: u8, when: u8, title: u8, detail: Option<u8> },
    Inline(Vec<Event>),
}

#[derive(Debug, Arbitrary)]
struct Event {
    when: Option<WhenText>,
    year: Option<i16>,
    date: Option<Date>,
    approximate: Option<bool>,
    title: Text,
    detail: Option<Text>,
}

/// A template expression, with names drawn from the data sets that exist.
#[derive(Debug, Arbitrary)]
enum Expr {
    Book(BookField),
    Count(u8),
    Aggregate { op: u8, set: u8, column: u8 },
    Num { value: Number, decimals: Option<u8> },
    Money { value: Number, currency: u8, decimals: Option<u8>, scale: bool },
    Percent(Number),
    Growth(Number, Number),
    Arith { op: u8, a: Number, b: Number },
    Date { format: Option<DateFormat> },
    DateRange,
    Cell { set: u8, row: u8, column: u8 },
    Unknown,
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum BookField {
    Title,
    Subtitle,
    Venue,
    Classification,
    IssueDate,
    Authors,
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum DateFormat {
    Iso,
    Long,
    Weekday,
    Bad,
}

#[derive(Debug, Arbitrary)]
struct ImageFile {
    kind: ImageKind,
}

#[derive(Debug, Arbitrary)]
enum ImageKind {
    Png,
    Jpeg,
    Truncated(u8),
    Bytes(Vec<u8>),
}

// ---- writing it out -------------------------------------------------------------

/// What the section writer needs to know about the data sets: names and columns.
struct Scope {
    sets: Vec<(String, Vec<String>, bool)>,
    images: usize,
}

impl Scope {
    fn set(&self, i: u8) -> Option<&(String, Vec<String>, bool)> {
        (!self.sets.is_empty()).then(|| &self.sets[usize::from(i) % self.sets.len()])
    }

    fn column(&self, set: u8, i: u8) -> String {
        match self.set(set) {
            Some((_, cols, _)) if !cols.is_empty() => {
                cols[usize::from(i) % cols.len()].clone()
            }
            _ => "value".into(),
        }
    }

    /// The path to a set's rows in templates.
    fn rows(&self, set: u8) -> String {
        match self.set(set) {
            Some((name, _, true)) => format!("data.{name}.rows"),
            Some((name, _, false)) => format!("data.{name}"),
            None => "data.none".into(),
        }
    }
}

impl Briefing {
    /// The briefing folder: `briefing.toml`, `sections/N.md`, `data/dN.csv|toml`,
    /// `cover.hbs`, `images/N.png`.
    pub fn files(&self) -> Vec<File> {
        let mut files = Vec::new();
        let mut scope = Scope { sets: Vec::new(), images: 1 + self.images.len().min(4) };
        let mut data_manifest = String::new();
        for (i, set) in self.data.iter().take(MAX_DATA).enumerate() {
            let name = format!("d{i}");
            let (path, bytes, columns) = set.write(&name);
            let _ = writeln!(data_manifest, "\n[data.{name}]\npath = \"{path}\"");
            if let Some(source) = &set.source {
                let _ = writeln!(data_manifest, "source = {}", source.toml());
            }
            for c in set.columns.iter().take(MAX_COLUMNS) {
                let mut settings = Vec::new();
                if let Some(kind) = c.kind {
                    let kind = match kind {
                        ColumnType::Number => "number",
                        ColumnType::Integer => "integer",
                        ColumnType::Date => "date",
                        ColumnType::Text => "text",
                        ColumnType::Bogus => "percent",
                    };
                    settings.push(format!("type = \"{kind}\""));
                }
                if let Some(unit) = &c.unit {
                    settings.push(format!("unit = {}", unit.toml()));
                }
                if let Some(label) = &c.label {
                    settings.push(format!("label = {}", label.toml()));
                }
                if let Some(d) = c.decimals {
                    settings.push(format!("decimals = {d}"));
                }
                if !settings.is_empty() {
                    let _ = writeln!(
                        data_manifest,
                        "columns.{} = {{ {} }}",
                        c.name.name(),
                        settings.join(", ")
                    );
                }
            }
            files.push((path, bytes));
            scope.sets.push((name, columns, set.toml));
        }

        let mut sections = Vec::new();
        for (i, section) in self.sections.iter().take(MAX_SECTIONS).enumerate() {
            let path = format!("sections/{i}.md");
            files.push((path.clone(), section.write(&scope).into_bytes()));
            sections.push(toml_string(&path));
        }
        if sections.is_empty() {
            files.push(crate::file("sections/0.md", fixtures::PLAIN_SECTION));
            sections.push("\"sections/0.md\"".into());
        }

        let mut m = String::new();
        self.book.write(&mut m);
        if let Some(layout) = &self.layout {
            layout.write(&mut m);
        }
        if let Some(fonts) = &self.fonts {
            fonts.write(&mut m);
        }
        let _ = writeln!(m, "\n[contents]\nsections = [{}]", sections.join(", "));
        m.push_str(&data_manifest);
        if self.furniture.is_some() || self.cover.is_some() {
            m.push_str("\n[furniture]\n");
        }
        if let Some(furniture) = &self.furniture {
            furniture.write(&mut m);
        }
        if let Some(cover) = &self.cover {
            m.push_str("cover = \"cover.hbs\"\n");
            let mut text = String::new();
            for line in cover.iter().take(MAX_BLOCKS) {
                line.write(&mut text);
            }
            files.push(("cover.hbs".into(), text.into_bytes()));
        }
        files.push(("briefing.toml".into(), m.into_bytes()));

        files.push(("images/0.png".into(), fixtures::PNG.to_vec()));
        for (i, image) in self.images.iter().take(4).enumerate() {
            let bytes = match &image.kind {
                ImageKind::Png => fixtures::PNG.to_vec(),
                ImageKind::Jpeg => fixtures::JPEG.to_vec(),
                ImageKind::Truncated(n) => {
                    fixtures::PNG[..usize::from(*n) % fixtures::PNG.len()].to_vec()
                }
                ImageKind::Bytes(b) => b.iter().copied().take(4096).collect(),
            };
            files.push((format!("images/{}.png", i + 1), bytes));
        }
        files
    }
}

impl Book {
    fn write(&self, m: &mut String) {
        m.push_str("[book]\n");
        let _ = writeln!(m, "title = {}", self.title.toml());
        let optional = [
            ("subtitle", &self.subtitle),
            ("event", &self.event),
            ("venue", &self.venue),
            ("organisation", &self.organisation),
            ("edition", &self.edition),
            ("description", &self.description),
        ];
        for (key, value) in optional {
            if let Some(v) = value {
                let _ = writeln!(m, "{key} = {}", v.toml());
            }
        }
        for (key, date) in [
            ("start-date", self.start_date),
            ("end-date", self.end_date),
            ("issue-date", self.issue_date),
        ] {
            if let Some(d) = date {
                let _ = writeln!(m, "{key} = {}", d.render());
            }
        }
        let _ = writeln!(m, "classification = {}", self.classification.toml());
        let _ = writeln!(m, "language = {}", toml_string(&self.language.tag()));
        for (key, list) in [("authors", &self.authors), ("subjects", &self.subjects)] {
            if !list.is_empty() {
                let items: Vec<String> =
                    list.iter().take(MAX_ITEMS).map(Text::toml).collect();
                let _ = writeln!(m, "{key} = [{}]", items.join(", "));
            }
        }
        if let Some(id) = self.identifier {
            let b = id.to_be_bytes();
            let _ = writeln!(
                m,
                "identifier = \"{:08x}-{:04x}-{:04x}-{:04x}-{:012x}\"",
                u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
                u16::from_be_bytes([b[4], b[5]]),
                u16::from_be_bytes([b[6], b[7]]),
                u16::from_be_bytes([b[8], b[9]]),
                id & 0xffff_ffff_ffff
            );
        }
    }
}

impl Layout {
    fn write(&self, m: &mut String) {
        m.push_str("\n[layout]\n");
        match &self.page_size {
            Some(PageSize::A4) => m.push_str("page-size = \"A4\"\n"),
            Some(PageSize::Letter) => m.push_str("page-size = \"Letter\"\n"),
            Some(PageSize::Custom { width, height }) => {
                let _ = writeln!(
                    m,
                    "page-size = {{ width = {}, height = {} }}",
                    width.toml(),
                    height.toml()
                );
            }
            Some(PageSize::Other(t)) => {
                let _ = writeln!(m, "page-size = {}", t.toml());
            }
            None => {}
        }
        if let Some(margins) = &self.margins {
            let sides: Vec<String> = ["top", "bottom", "left", "right"]
                .iter()
                .zip(margins)
                .filter_map(|(side, v)| v.map(|v| format!("{side} = {}", v.toml())))
                .collect();
            let _ = writeln!(m, "margins = {{ {} }}", sides.join(", "));
        }
        if let Some(size) = self.font_size {
            let _ = writeln!(m, "font-size = {}", size.toml());
        }
        if let Some(j) = self.justify {
            let _ = writeln!(m, "justify = {j}");
        }
        if let Some(n) = self.numbering {
            let _ = writeln!(m, "numbering = {n}");
        }
        if let Some(d) = self.numbering_depth {
            let _ = writeln!(m, "numbering-depth = {d}");
        }
    }
}

impl Fonts {
    fn write(&self, m: &mut String) {
        m.push_str("\n[fonts]\n");
        for (key, family) in
            [("body", self.body), ("heading", self.heading), ("mono", self.mono)]
        {
            if let Some(f) = family {
                let _ = writeln!(m, "{key} = \"{}\"", f.name());
            }
        }
        if let Some(list) = &self.fallback {
            let names: Vec<String> =
                list.iter().take(6).map(|f| format!("\"{}\"", f.name())).collect();
            let _ = writeln!(m, "fallback = [{}]", names.join(", "));
        }
    }
}

impl Furniture {
    fn write(&self, m: &mut String) {
        let keys = [
            "header-left",
            "header-center",
            "header-right",
            "footer-left",
            "footer-center",
            "footer-right",
        ];
        for (key, slot) in keys.iter().zip(&self.slots) {
            let Some(pieces) = slot else { continue };
            let mut t = String::new();
            for p in pieces.iter().take(MAX_ITEMS) {
                match p {
                    FurniturePiece::Text(x) => t.push_str(&x.line()),
                    FurniturePiece::Name(n) => {
                        let _ = write!(t, "{{{{{}}}}}", n.name());
                    }
                    FurniturePiece::Unknown => t.push_str("{{nope}}"),
                }
            }
            let _ = writeln!(m, "{key} = {}", toml_string(&t));
        }
    }
}

impl CoverLine {
    fn write(&self, out: &mut String) {
        match self {
            CoverLine::Region(r) => {
                let name = match r {
                    CoverRegion::Header => "header",
                    CoverRegion::Top => "top",
                    CoverRegion::Middle => "middle",
                    CoverRegion::Foot => "foot",
                    CoverRegion::Footer => "footer",
                    CoverRegion::Bogus => "side",
                };
                let _ = writeln!(out, "[{name}]");
            }
            CoverLine::Element(style, pieces) => {
                let style = match style {
                    CoverStyle::Marking => "marking",
                    CoverStyle::Organisation => "organisation",
                    CoverStyle::Title => "title",
                    CoverStyle::Subtitle => "subtitle",
                    CoverStyle::Event => "event",
                    CoverStyle::Meta => "meta",
                    CoverStyle::Small => "small",
                    CoverStyle::Bogus => "huge",
                };
                let _ = write!(out, "{style}: ");
                for p in pieces.iter().take(MAX_ITEMS) {
                    match p {
                        CoverPiece::Text(t) => out.push_str(&t.line()),
                        CoverPiece::Name(n) => {
                            let name = match n {
                                CoverName::Title => "title",
                                CoverName::Subtitle => "subtitle",
                                CoverName::Event => "event",
                                CoverName::Venue => "venue",
                                CoverName::Dates => "dates",
                                CoverName::Classification => "classification",
                                CoverName::Edition => "edition",
                                CoverName::IssueDate => "issue-date",
                                CoverName::Organisation => "organisation",
                                CoverName::Authors => "authors",
                                CoverName::Unknown => "colour",
                            };
                            let _ = write!(out, "{{{{{name}}}}}");
                        }
                        CoverPiece::IfAuthors(t) => {
                            let _ =
                                write!(out, "{{{{#if authors}}}}{}{{{{/if}}}}", t.line());
                        }
                    }
                }
                out.push('\n');
            }
            CoverLine::Band(top) => {
                let _ = writeln!(out, "band: {}", if *top { "top" } else { "bottom" });
            }
            CoverLine::Spacer(n) => match n {
                Some(n) => {
                    let _ = writeln!(out, "spacer: {}", n % 12);
                }
                None => out.push_str("spacer:\n"),
            },
            CoverLine::Rule => out.push_str("rule:\n"),
            CoverLine::Blank => out.push('\n'),
            CoverLine::Comment(t) => {
                let _ = writeln!(out, "{{{{!-- {} --}}}}", t.line().replace("--", "-"));
            }
            CoverLine::Raw(t) => {
                let _ = writeln!(out, "{}", t.line());
            }
        }
    }
}

impl DataSet {
    /// Path, bytes and the column names as written.
    fn write(&self, name: &str) -> (String, Vec<u8>, Vec<String>) {
        let mut columns: Vec<String> = Vec::new();
        for c in self.columns.iter().take(MAX_COLUMNS) {
            let n = c.name.name();
            if !columns.contains(&n) {
                columns.push(n);
            }
        }
        if columns.is_empty() {
            columns.push("value".into());
        }
        let rows = self.rows.iter().take(MAX_ROWS);
        if self.toml {
            let mut t = String::new();
            for (key, cell) in self.facts.iter().take(MAX_ITEMS) {
                if let Some(v) = cell.toml() {
                    let _ = writeln!(t, "{} = {v}", key.name());
                }
            }
            for row in rows {
                t.push_str("\n[[rows]]\n");
                for (col, cell) in columns.iter().zip(row) {
                    if let Some(v) = cell.toml() {
                        let _ = writeln!(t, "{col} = {v}");
                    }
                }
            }
            (format!("data/{name}.toml"), t.into_bytes(), columns)
        } else {
            let mut t = columns.join(",");
            t.push('\n');
            for row in rows {
                // Rows keep their own length: a short or long row is an error to report.
                let cells: Vec<String> =
                    row.iter().take(MAX_COLUMNS + 1).map(Cell::csv).collect();
                t.push_str(&cells.join(","));
                t.push('\n');
            }
            (format!("data/{name}.csv"), t.into_bytes(), columns)
        }
    }
}

impl Section {
    fn write(&self, scope: &Scope) -> String {
        let mut s = String::new();
        if let Some(fm) = &self.front_matter {
            s.push_str("+++\n");
            if let Some(n) = fm.numbered {
                let _ = writeln!(s, "numbered = {n}");
            }
            if let Some(t) = fm.toc {
                let _ = writeln!(s, "toc = {t}");
            }
            if let Some(id) = fm.id {
                let _ = writeln!(s, "id = {}", toml_string(&id.name()));
            }
            if fm.unknown {
                s.push_str("colour = \"red\"\n");
            }
            s.push_str("+++\n\n");
        }
        s.push_str("# ");
        spans(&mut s, &self.title, scope);
        if let Some(id) = self.id {
            let _ = write!(s, " {{#{}}}", id.name());
        }
        s.push_str("\n\n");
        for block in self.blocks.iter().take(MAX_BLOCKS) {
            block.write(&mut s, scope);
            s.push('\n');
        }
        s
    }
}

/// Inline spans on one line.
fn spans(out: &mut String, spans: &[Span], scope: &Scope) {
    for (i, span) in spans.iter().take(MAX_ITEMS).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        span.write(out, scope);
    }
}

impl Span {
    fn write(&self, out: &mut String, scope: &Scope) {
        let mut text = match &self.expr {
            Some(e) => e.render(scope),
            None => self.text.line(),
        };
        if self.style & 8 != 0 {
            text = format!("`{text}`");
        }
        for (bit, mark) in [(1, "*"), (2, "**"), (4, "~~")] {
            if self.style & bit != 0 {
                text = format!("{mark}{text}{mark}");
            }
        }
        if let Some(link) = &self.link {
            let target = match link {
                Link::Anchor(id) => format!("#{}", id.name()),
                Link::Web(t) => {
                    format!("https://example.org/{}", t.line().replace([' ', ')'], ""))
                }
                Link::Mail => "mailto:office@example.org".into(),
                Link::Relative => "other.md".into(),
            };
            text = format!("[{text}]({target})");
        }
        out.push_str(&text);
        if let Some(label) = self.footnote {
            let _ = write!(out, "[^n{}]", label % 4);
        }
        if self.style & 16 != 0 {
            out.push_str("  \n");
        }
    }
}

impl Expr {
    fn render(&self, scope: &Scope) -> String {
        let num = |n: &Number| n.toml().replace("nan", "0").replace("inf", "1");
        match self {
            Expr::Book(f) => {
                let name = match f {
                    BookField::Title => "title",
                    BookField::Subtitle => "subtitle",
                    BookField::Venue => "venue",
                    BookField::Classification => "classification",
                    BookField::IssueDate => "issue-date",
                    BookField::Authors => "authors.0",
                };
                format!("{{{{book.{name}}}}}")
            }
            Expr::Count(set) => format!("{{{{count {}}}}}", scope.rows(*set)),
            Expr::Aggregate { op, set, column } => {
                let op = ["sum", "min", "max", "avg"][usize::from(*op) % 4];
                format!(
                    "{{{{num ({op} {} \"{}\") decimals=1}}}}",
                    scope.rows(*set),
                    scope.column(*set, *column)
                )
            }
            Expr::Num { value, decimals } => match decimals {
                Some(d) => format!("{{{{num {} decimals={}}}}}", num(value), d % 14),
                None => format!("{{{{num {}}}}}", num(value)),
            },
            Expr::Money { value, currency, decimals, scale } => {
                let c = ["USD", "EUR", "GBP", "CNY", "JPY", "KZT", "RUB", "CHF"]
                    [usize::from(*currency) % 8];
                let mut e = format!("{{{{money {} currency=\"{c}\"", num(value));
                if let Some(d) = decimals {
                    let _ = write!(e, " decimals={}", d % 14);
                }
                if *scale {
                    e.push_str(" scale=\"billion\"");
                }
                e + "}}"
            }
            Expr::Percent(n) => format!("{{{{percent {}}}}}", num(n)),
            Expr::Growth(a, b) => format!("{{{{growth {} {}}}}}", num(a), num(b)),
            Expr::Arith { op, a, b } => {
                let op = ["add", "sub", "mul", "div"][usize::from(*op) % 4];
                format!("{{{{num ({op} {} {}) decimals=2}}}}", num(a), num(b))
            }
            Expr::Date { format } => match format {
                None => "{{date book.issue-date}}".into(),
                Some(f) => {
                    let f = match f {
                        DateFormat::Iso => "%Y-%m-%d",
                        DateFormat::Long => "%A %-d %B %Y",
                        DateFormat::Weekday => "%a %e %b",
                        DateFormat::Bad => "%Q %",
                    };
                    format!("{{{{date book.issue-date \"{f}\"}}}}")
                }
            },
            Expr::DateRange => "{{daterange book.start-date book.end-date}}".into(),
            Expr::Cell { set, row, column } => {
                format!(
                    "{{{{{}.{}.{}}}}}",
                    scope.rows(*set),
                    row % 4,
                    scope.column(*set, *column)
                )
            }
            Expr::Unknown => "{{book.titel}}".into(),
        }
    }
}

impl Block {
    fn write(&self, out: &mut String, scope: &Scope) {
        match self {
            Block::Heading { level, title, id } => {
                out.push_str(&"#".repeat(usize::from(level % 7) + 1));
                out.push(' ');
                spans(out, title, scope);
                if let Some(id) = id {
                    let _ = write!(out, " {{#{}}}", id.name());
                }
                out.push('\n');
            }
            Block::Paragraph(p) => {
                spans(out, p, scope);
                out.push('\n');
            }
            Block::List { ordered, items } => {
                for (depth, item) in items.iter().take(MAX_ITEMS) {
                    out.push_str(&"   ".repeat(usize::from(depth % 5)));
                    out.push_str(if *ordered { "1. " } else { "- " });
                    spans(out, item, scope);
                    out.push('\n');
                }
            }
            Block::Quote { depth, text } => {
                out.push_str(&"> ".repeat(usize::from(depth % 4) + 1));
                spans(out, text, scope);
                out.push('\n');
            }
            Block::Code { info, body } => {
                let info = match info {
                    CodeInfo::None => "",
                    CodeInfo::Toml => "toml",
                    CodeInfo::Text => "text",
                    CodeInfo::NearMiss => "keyfigure",
                    CodeInfo::Unknown => "mermaid",
                };
                let _ = writeln!(
                    out,
                    "```{info}\n{}\n```",
                    body.render().replace("```", "``")
                );
            }
            Block::Table(t) => t.write(out, scope),
            Block::KeyFigures { title, source, figures } => {
                out.push_str("```keyfigures\n");
                if let Some(t) = title {
                    let _ = writeln!(out, "title = {}", t.toml());
                }
                if let Some(s) = source {
                    let _ = writeln!(out, "source = {}", s.toml());
                }
                for f in figures.iter().take(MAX_ITEMS) {
                    out.push_str("\n[[figure]]\n");
                    let _ = writeln!(
                        out,
                        "value = {}",
                        toml_string(&inline(&f.value, scope))
                    );
                    let _ = writeln!(
                        out,
                        "label = {}",
                        toml_string(&inline(&f.label, scope))
                    );
                    for (key, v) in
                        [("note", &f.note), ("unit", &f.unit), ("change", &f.change)]
                    {
                        if let Some(v) = v {
                            let _ = writeln!(out, "{key} = {}", v.toml());
                        }
                    }
                    if let Some(trend) = f.trend {
                        let t = match trend {
                            Trend::Up => "up",
                            Trend::Down => "down",
                            Trend::Flat => "flat",
                            Trend::Bogus => "sideways",
                        };
                        let _ = writeln!(out, "trend = \"{t}\"");
                    }
                }
                out.push_str("```\n");
            }
            Block::Aside { kind, title, text } => {
                out.push_str("```aside\n");
                if let Some(k) = kind {
                    let k = match k {
                        AsideKind::Note => "note",
                        AsideKind::Important => "important",
                        AsideKind::Warning => "warning",
                        AsideKind::Bogus => "tip",
                    };
                    let _ = writeln!(out, "kind = \"{k}\"");
                }
                if let Some(t) = title {
                    let _ = writeln!(out, "title = {}", t.toml());
                }
                let mut md = String::new();
                for b in text.iter().take(MAX_ITEMS) {
                    match b {
                        AsideBlock::Paragraph(p) => spans(&mut md, p, scope),
                        AsideBlock::List(items) => {
                            for item in items.iter().take(MAX_ITEMS) {
                                md.push_str("- ");
                                spans(&mut md, item, scope);
                                md.push('\n');
                            }
                        }
                        AsideBlock::Table(t) => t.write(&mut md, scope),
                    }
                    md.push_str("\n\n");
                }
                let _ = writeln!(out, "text = {}", toml_string(&md));
                out.push_str("```\n");
            }
            Block::Chart(c) => c.write(out, scope),
            Block::Timeline(t) => t.write(out, scope),
            Block::PageBreak => out.push_str("```pagebreak\n```\n"),
            Block::Image { index, alt, caption } => {
                let i = usize::from(*index) % (scope.images + 1);
                let _ = write!(
                    out,
                    "![{}](images/{i}.png",
                    alt.line().replace(['[', ']'], "")
                );
                if let Some(c) = caption {
                    let _ = write!(out, " {}", toml_string(&c.line()));
                }
                out.push_str(")\n");
            }
            Block::Footnote { label, text } => {
                let _ = write!(out, "[^n{}]: ", label % 4);
                spans(out, text, scope);
                out.push('\n');
            }
            Block::DataTable { set, columns, caption } => {
                let Some((name, _, _)) = scope.set(*set) else {
                    out.push_str("{{{table \"none\"}}}\n");
                    return;
                };
                let _ = write!(out, "{{{{{{table \"{name}\"");
                if !columns.is_empty() {
                    let cols: Vec<String> = columns
                        .iter()
                        .take(MAX_COLUMNS)
                        .map(|c| scope.column(*set, *c))
                        .collect();
                    let _ = write!(out, " columns=\"{}\"", cols.join(","));
                }
                if let Some(c) = caption {
                    let _ = write!(out, " caption={}", toml_string(&c.line()));
                }
                out.push_str("}}}\n");
            }
            Block::Each { set, columns } => {
                let _ = writeln!(out, "{{{{#each {}}}}}", scope.rows(*set));
                out.push_str("- {{@index}}:");
                for c in columns.iter().take(MAX_COLUMNS) {
                    let _ = write!(out, " {{{{{}}}}}", scope.column(*set, *c));
                }
                out.push_str("\n{{/each}}\n");
            }
            Block::Rule => out.push_str("---\n"),
            Block::Comment(t) => {
                let _ = writeln!(out, "<!-- {} -->", t.line().replace("--", "-"));
            }
            Block::Raw(s) => {
                out.push_str(&s.chars().take(400).collect::<String>());
                out.push('\n');
            }
        }
    }
}

fn inline(s: &[Span], scope: &Scope) -> String {
    let mut out = String::new();
    spans(&mut out, s, scope);
    out.replace('\n', " ")
}

impl Table {
    fn write(&self, out: &mut String, scope: &Scope) {
        if let Some(c) = &self.caption {
            let _ = writeln!(out, "Table: {}\n", c.line());
        }
        let width = self.header.len().clamp(1, MAX_COLUMNS);
        let cell = |out: &mut String, c: Option<&Vec<Span>>| {
            let text = c.map(|c| inline(c, scope)).unwrap_or_default();
            let _ = write!(out, " {} |", text.replace('|', "\\|"));
        };
        out.push('|');
        for i in 0..width {
            cell(out, self.header.get(i));
        }
        out.push_str("\n|");
        for i in 0..width {
            out.push_str(match self.align.get(i) {
                Some(Some(true)) => ":--|",
                Some(Some(false)) => "--:|",
                Some(None) => ":-:|",
                None => "---|",
            });
        }
        out.push('\n');
        for row in self.rows.iter().take(MAX_ROWS) {
            out.push('|');
            // Rows may be short or long: GFM pads and trims them.
            for c in row.iter().take(MAX_COLUMNS + 1) {
                cell(out, Some(c));
            }
            out.push('\n');
        }
        if let Some(s) = &self.source {
            let _ = writeln!(out, "\nSource: {}", s.line());
        }
    }
}

impl Chart {
    fn write(&self, out: &mut String, scope: &Scope) {
        out.push_str("```chart\n");
        let _ = writeln!(out, "type = \"{}\"", if self.bar { "bar" } else { "line" });
        for (key, flag) in [("horizontal", self.horizontal), ("stacked", self.stacked)] {
            if let Some(f) = flag {
                let _ = writeln!(out, "{key} = {f}");
            }
        }
        for (key, t) in [
            ("caption", &self.caption),
            ("source", &self.source),
            ("x-label", &self.x_label),
            ("y-label", &self.y_label),
            ("unit", &self.unit),
        ] {
            if let Some(t) = t {
                let _ = writeln!(out, "{key} = {}", t.toml());
            }
        }
        match &self.from {
            ChartFrom::Data { set, x, y } => {
                let name = scope.set(*set).map_or("none".into(), |s| s.0.clone());
                let _ = writeln!(out, "data = \"{name}\"");
                let _ = writeln!(out, "x = \"{}\"", scope.column(*set, *x));
                let ys: Vec<String> = y
                    .iter()
                    .take(4)
                    .map(|c| format!("\"{}\"", scope.column(*set, *c)))
                    .collect();
                let _ = writeln!(out, "y = [{}]", ys.join(", "));
            }
            ChartFrom::Inline { categories, series } => {
                let cats: Vec<String> =
                    categories.iter().take(MAX_ROWS).map(Text::toml).collect();
                let _ = writeln!(out, "categories = [{}]", cats.join(", "));
                for (name, values) in series.iter().take(4) {
                    let vals: Vec<String> =
                        values.iter().take(MAX_ROWS).map(|v| v.toml()).collect();
                    let _ = writeln!(
                        out,
                        "\n[[series]]\nname = {}\nvalues = [{}]",
                        name.toml(),
                        vals.join(", ")
                    );
                }
            }
        }
        out.push_str("```\n");
    }
}

impl Timeline {
    fn write(&self, out: &mut String, scope: &Scope) {
        out.push_str("```timeline\n");
        for (key, t) in [("caption", &self.caption), ("source", &self.source)] {
            if let Some(t) = t {
                let _ = writeln!(out, "{key} = {}", t.toml());
            }
        }
        match &self.from {
            TimelineFrom::Data { set, when, title, detail } => {
                let name = scope.set(*set).map_or("none".into(), |s| s.0.clone());
                let _ = writeln!(out, "data = \"{name}\"");
                let _ = writeln!(out, "when = \"{}\"", scope.column(*set, *when));
                let _ = writeln!(out, "title = \"{}\"", scope.column(*set, *title));
                if let Some(d) = detail {
                    let _ = writeln!(out, "detail = \"{}\"", scope.column(*set, *d));
                }
            }
            TimelineFrom::Inline(events) => {
                for e in events.iter().take(MAX_ITEMS) {
                    out.push_str("\n[[event]]\n");
                    if let Some(w) = &e.when {
                        let _ = writeln!(out, "when = {}", toml_string(&w.render()));
                    }
                    if let Some(y) = e.year {
                        let _ = writeln!(out, "year = {y}");
                    }
                    if let Some(d) = e.date {
                        let _ = writeln!(out, "date = {}", d.render());
                    }
                    if let Some(a) = e.approximate {
                        let _ = writeln!(out, "approximate = {a}");
                    }
                    let _ = writeln!(out, "title = {}", e.title.toml());
                    if let Some(d) = &e.detail {
                        let _ = writeln!(out, "detail = {}", d.toml());
                    }
                }
            }
        }
        out.push_str("```\n");
    }
}
