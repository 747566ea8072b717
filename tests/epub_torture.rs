//! A hand-made torture [`Document`] for the EPUB writer's tests: hostile characters in
//! every kind of text, odd structure, every block kind, notes in awkward places.
//!
//! Included by the other `tests/epub_*.rs` files with `#[path]`; on its own it only
//! checks that the document is built.
#![allow(dead_code)]

use std::path::Path;

use briefbook::diag::{FileId, Span};
use briefbook::model::{
    Align, Aside, AsideKind, Block, BlockKind, Cell, Chart, ChartKind, Column, Document,
    Footnote, FootnoteId, Heading, Image, Inline, InlineKind, KeyFigure, KeyFigures,
    LinkTarget, List, ListItem, Meta, Row, Section, Series, Table, Timeline,
    TimelineEvent,
};
use chrono::{NaiveDate, TimeZone, Utc};

/// Text that breaks naive XML writers.
pub const NASTY: &str =
    "a < b && c > d \"quoted\" 'single' ]]> <![CDATA[x]]> &amp; &nbsp;";
/// A word far wider than any screen.
pub const LONG_WORD: &str =
    "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft\
    Rechtsschutzversicherungsgesellschaftenunterabteilungsleiterstellvertretervorzimmer";

/// The span used for every node: the tests point diagnostics at byte 10.
pub fn span() -> Span {
    Span::new(FileId(0), 10..20)
}

/// A text inline.
pub fn t(s: &str) -> Inline {
    Inline::text(s, span())
}

fn inl(kind: InlineKind) -> Inline {
    Inline { kind, span: span() }
}

fn fref(n: usize) -> Inline {
    inl(InlineKind::FootnoteRef(FootnoteId(n - 1)))
}

fn b(kind: BlockKind) -> Block {
    Block { kind, span: span() }
}

/// A paragraph block.
pub fn p(inlines: Vec<Inline>) -> Block {
    b(BlockKind::Paragraph(inlines))
}

fn heading(level: u8, number: &[u32], title: &str, anchor: &str) -> Heading {
    Heading {
        level,
        number: number.to_vec(),
        content: vec![t(title)],
        anchor: anchor.to_string(),
        in_toc: true,
        span: span(),
    }
}

fn sec(h: Heading, blocks: Vec<Block>, children: Vec<Section>) -> Section {
    Section { heading: h, blocks, children }
}

fn cell(inlines: Vec<Inline>) -> Cell {
    Cell { content: inlines, span: span() }
}

fn row(cells: Vec<Vec<Inline>>) -> Row {
    Row { cells: cells.into_iter().map(cell).collect() }
}

fn list(start: Option<u64>, tight: bool, items: Vec<Vec<Block>>) -> Block {
    let items =
        items.into_iter().map(|blocks| ListItem { blocks, span: span() }).collect();
    b(BlockKind::List(List { start, tight, items }))
}

/// Metadata full of characters that need escaping.
pub fn meta() -> Meta {
    Meta {
        title: "Briefing & <Torture> \"Book\"".into(),
        subtitle: Some("Escapes, scripts & 'quotes'".into()),
        event: Some("Visit to Астана (Қазақстан) & 北京".into()),
        venue: Some("Palace <of> Independence".into()),
        start_date: NaiveDate::from_ymd_opt(2026, 6, 16),
        end_date: NaiveDate::from_ymd_opt(2026, 6, 18),
        organisation: Some("Ministry of Tea & Biscuits".into()),
        classification: "OFFICIAL-SENSITIVE <test>".into(),
        language: "en-GB".into(),
        edition: Some("First edition".into()),
        issue_date: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        timestamp: Utc.with_ymd_and_hms(2026, 6, 1, 9, 30, 15).unwrap(),
        authors: vec!["Jane O'Analyst".into(), "Li Wei <desk>".into()],
        description: Some("A test book with <markup> & \"quotes\" ]]>".into()),
        subjects: vec!["Economics & trade".into(), "Central Asia".into()],
        identifier: uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, b"briefbook:torture"),
        accessibility_certifier: None,
        locale: Default::default(),
        pdf_standards: Vec::new(),
        copy: None,
    }
}

fn tiny_png() -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, 4, 3);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().unwrap();
    w.write_image_data(&[200u8; 36]).unwrap();
    w.finish().unwrap();
    out
}

#[path = "harness/jpeg.rs"]
mod tiny_jpeg;

/// The torture document; its two images (a PNG and a JPEG) are written into `dir`.
pub fn torture_document(dir: &Path) -> Document {
    // A document built by hand gets the model's language fallback, as a built one does.
    let mut doc = torture_parts(dir);
    briefbook::model::lang::tag_scripts(&mut doc);
    doc
}

fn torture_parts(dir: &Path) -> Document {
    std::fs::write(dir.join("map.png"), tiny_png()).unwrap();
    let logo =
        tiny_jpeg::jpeg(40, 20, 3, |x, y, c| (x * 60 + y * 90 + u16::from(c) * 40) as u8);
    std::fs::write(dir.join("logo.jpg"), logo).unwrap();
    let image = |file: &str, alt: &str, caption: Option<&str>| {
        b(BlockKind::Image(Image {
            path: dir.join(file),
            src: format!("img/{file}"),
            alt: alt.into(),
            caption: caption.map(Into::into),
            data: std::fs::read(dir.join(file))
                .ok()
                .map(|bytes| briefbook::model::ImageData::decode(bytes).unwrap()),
        }))
    };
    let link = |target: LinkTarget, text: &str| {
        inl(InlineKind::Link { target, content: vec![t(text)] })
    };

    let intro = sec(
        heading(1, &[1], "Introduction & <scope>", "introduction"),
        vec![
            p(vec![
                t(NASTY),
                t(" Emoji: 🇰🇿 👩🏽‍💻 🍵. Arabic: مرحبا بالعالم. Hebrew: שלום עולם. "),
                t("Russian: Астана и Алматы. Kazakh: Қазақстан Республикасы. Chinese: 阿斯塔纳是首都。"),
                fref(1),
            ]),
            p(vec![t(LONG_WORD)]),
            p(vec![
                inl(InlineKind::Emphasis(vec![t("emph "), inl(InlineKind::Strong(vec![t("strong")]))])),
                t(" "),
                inl(InlineKind::Strikethrough(vec![t("gone")])),
                t(" "),
                inl(InlineKind::Code("<code> & \"x\"".into())),
                inl(InlineKind::LineBreak),
                link(LinkTarget::Anchor("tables".into()), "see the tables"),
                t(", "),
                link(LinkTarget::Anchor("deep-dive".into()), "the deep dive"),
                t(", "),
                link(LinkTarget::Url("https://example.org/?a=1&b=<2>".into()), "a web page"),
                t(", "),
                link(LinkTarget::Anchor("no-such-anchor".into()), "a dead link"),
                t(", "),
                inl(InlineKind::Link {
                    target: LinkTarget::Anchor("charts".into()),
                    content: vec![t("a link holding a note"), fref(1)],
                }),
                t("."),
            ]),
        ],
        vec![
            sec(
                heading(2, &[1, 1], "Background <&> \"history\"", "background"),
                vec![p(vec![t("Some history.")])],
                // Skips level 3.
                vec![sec(
                    heading(4, &[1, 1, 1], "Deep dive (level skipped)", "deep-dive"),
                    vec![p(vec![t("Deep.")])],
                    vec![],
                )],
            ),
            // A non-ASCII anchor (percent-encoded in links).
            sec(heading(2, &[1, 2], "Обзор", "обзор-1"), vec![p(vec![link(LinkTarget::Anchor("обзор-1".into()), "self link")])], vec![]),
            // An empty section.
            sec(heading(2, &[1, 3], "Empty section", "empty-section"), vec![], vec![]),
            sec(
                Heading { in_toc: false, ..heading(2, &[], "Not in contents", "hidden") },
                vec![p(vec![t("Hidden from the contents.")])],
                vec![sec(heading(3, &[], "Listed child of a hidden heading", "listed-child"), vec![], vec![])],
            ),
        ],
    );

    let mut wide_header = vec![vec![t("Region")]];
    wide_header.extend((2..=12).map(|i| vec![t(&format!("Q{i} <&>"))]));
    let wide_rows: Vec<Row> = (0..3)
        .map(|r| {
            let mut cells = vec![vec![t(["Астана", "北京", "London & <Co>"][r])]];
            cells.extend((2..=12).map(|c| vec![t(&format!("{}", r * 1000 + c))]));
            row(cells)
        })
        .collect();
    let mut columns = vec![Column::default()];
    columns.extend(vec![Column { align: Align::Right, numeric: true }; 11]);
    let tables = sec(
        heading(1, &[2], "Tables and lists", "tables"),
        vec![
            b(BlockKind::Table(Table {
                number: Some(1),
                caption: Some(vec![t("One column & <one> row"), fref(2)]),
                source: Some(vec![t("Office for \"Numbers\"")]),
                columns: vec![Column { align: Align::Center, numeric: false }],
                header: vec![row(vec![vec![t("Only")]])],
                rows: vec![
                    row(vec![vec![t(NASTY)]]),
                    row(vec![vec![t("مرحبا 🇰🇿 "), t(LONG_WORD)]]),
                    row(vec![vec![t("with a note"), fref(2)]]),
                ],
            })),
            b(BlockKind::Table(Table {
                number: Some(2),
                caption: Some(vec![t("Twelve columns")]),
                source: None,
                columns,
                header: vec![row(wide_header)],
                rows: wide_rows,
            })),
            b(BlockKind::Table(Table {
                number: None,
                caption: None,
                source: None,
                columns: vec![],
                header: vec![],
                rows: vec![row(vec![vec![t("no caption, no header, no columns")]])],
            })),
            list(
                None,
                true,
                vec![
                    vec![
                        p(vec![t("Level 1 <a>"), fref(3)]),
                        list(
                            Some(3),
                            true,
                            vec![vec![
                                p(vec![t("Level 2 & b")]),
                                list(
                                    None,
                                    false,
                                    vec![vec![
                                        p(vec![t("Level 3 \"c\"")]),
                                        list(
                                            Some(1),
                                            true,
                                            vec![vec![p(vec![
                                                t("Level 4 ]]>"),
                                                fref(1),
                                            ])]],
                                        ),
                                    ]],
                                ),
                            ]],
                        ),
                    ],
                    vec![p(vec![t("Second item")]), p(vec![t("second paragraph")])],
                ],
            ),
            b(BlockKind::Quote(vec![p(vec![t("A quotation with ‘curly’ quotes.")])])),
            b(BlockKind::Code {
                lang: Some("rust<>".into()),
                text: "fn main() { if a < b && c > d {} }\n]]>".into(),
            }),
            b(BlockKind::Rule),
            b(BlockKind::PageBreak),
        ],
        vec![],
    );

    let chart = |number, kind, horizontal, stacked| Chart {
        kind,
        horizontal,
        stacked,
        number: Some(number),
        caption: Some(vec![t("Trade & <growth>")]),
        source: Some(vec![t("Statistics Agency")]),
        data: "trade".into(),
        x_label: "Year".into(),
        y_label: "Exports, USD bn".into(),
        unit: Some("bn".into()),
        categories: vec!["2022".into(), "2023".into(), "2024 <est>".into()],
        series: vec![
            Series {
                name: "Oil & gas".into(),
                values: vec![Some(40.5), Some(42.0), None],
                decimals: None,
            },
            Series {
                name: "Metals".into(),
                values: vec![Some(10.0), Some(-1.25), Some(12.0)],
                decimals: None,
            },
        ],
    };
    let blocks = sec(
        heading(1, &[3], "Briefing blocks", "charts"),
        vec![
            b(BlockKind::KeyFigures(KeyFigures {
                title: Some(vec![t("Key figures & <facts>")]),
                figures: vec![
                    KeyFigure {
                        value: vec![t("$94.8 bn")],
                        label: vec![t("GDP")],
                        note: Some(vec![t("2024")]),
                        unit: None,
                        change: None,
                    },
                    KeyFigure {
                        value: vec![t("20 m")],
                        label: vec![t("Population")],
                        note: None,
                        unit: None,
                        change: None,
                    },
                ],
                source: Some(vec![t("IMF")]),
            })),
            b(BlockKind::Aside(Aside {
                kind: AsideKind::Note,
                title: Some(vec![t("Note")]),
                blocks: vec![p(vec![t("A note.")])],
            })),
            b(BlockKind::Aside(Aside {
                kind: AsideKind::Important,
                title: None,
                blocks: vec![p(vec![t("Important"), fref(1)])],
            })),
            b(BlockKind::Aside(Aside {
                kind: AsideKind::Warning,
                title: Some(vec![t("Warning <!>")]),
                blocks: vec![],
            })),
            b(BlockKind::Chart(chart(1, ChartKind::Bar, false, false))),
            b(BlockKind::Chart(chart(2, ChartKind::Line, false, false))),
            b(BlockKind::Chart(Chart {
                categories: vec![],
                series: vec![],
                number: None,
                caption: None,
                ..chart(3, ChartKind::Bar, true, true)
            })),
            b(BlockKind::Timeline(Timeline {
                number: Some(4),
                caption: Some(vec![t("Milestones")]),
                source: None,
                events: vec![
                    TimelineEvent {
                        when: "c. 138 BC".into(),
                        at: briefbook::chart::parse_when("c. 138 BC").unwrap(),
                        title: vec![t("Silk Road & <trade>")],
                        detail: None,
                    },
                    TimelineEvent {
                        when: "16–18 June 2026".into(),
                        at: briefbook::chart::parse_when("16–18 June 2026").unwrap(),
                        title: vec![t("Visit")],
                        detail: Some(vec![t("Астана")]),
                    },
                ],
            })),
            image("map.png", "A map of the region", Some("Map & <legend>")),
            image("logo.jpg", "", None),
            image("map.png", "The same map again", None),
        ],
        vec![],
    );

    // An empty chapter with no heading text and no number.
    let empty = sec(heading(1, &[], "", "empty-chapter"), vec![], vec![]);
    let hidden = sec(
        Heading { in_toc: false, ..heading(1, &[5], "Annex (not in contents)", "annex") },
        vec![p(vec![t("Annex text"), fref(5)])],
        vec![],
    );

    let note = |n: u32, blocks: Vec<Block>| Footnote {
        number: n,
        anchor: format!("fn-{n}"),
        ref_anchor: format!("fnref-{n}"),
        blocks,
        span: span(),
    };
    Document {
        meta: meta(),
        page_marking: None,
        sections: vec![intro, tables, blocks, empty, hidden],
        footnotes: vec![
            note(
                1,
                vec![p(vec![
                    t("First note with <markup> & a link to "),
                    link(LinkTarget::Anchor("background".into()), "background"),
                ])],
            ),
            note(
                2,
                vec![
                    p(vec![t("A note from a table cell.")]),
                    p(vec![t("Second paragraph.")]),
                ],
            ),
            note(3, vec![p(vec![t("A note from a list, citing another"), fref(4)])]),
            note(
                4,
                vec![list(
                    None,
                    true,
                    vec![vec![p(vec![t("A note only cited from a note")])]],
                )],
            ),
            note(5, vec![p(vec![t("Cited from a chapter outside the contents.")])]),
            note(6, vec![p(vec![t("Never cited.")])]),
        ],
    }
}

/// A document with nothing in it.
pub fn empty_document() -> Document {
    Document { meta: meta(), sections: vec![], footnotes: vec![], page_marking: None }
}

#[test]
fn torture_document_builds() {
    let dir = tempfile::tempdir().unwrap();
    let doc = torture_document(dir.path());
    assert_eq!(doc.sections.len(), 5);
}
