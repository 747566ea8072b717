//! Odd inputs must lay out and export without panicking, and nothing may leave the page.

use briefbook::diag::{FileId, Span};
use briefbook::export::pdf::export_pdf;
use briefbook::layout::{
    layout_document, FrameItem, LayoutOptions, Mm, PagedDocument, Pt,
};
use briefbook::model::*;

fn sp() -> Span {
    Span::new(FileId(0), 0..0)
}

fn t(s: &str) -> Inline {
    Inline::text(s, sp())
}

fn block(kind: BlockKind) -> Block {
    Block { kind, span: sp() }
}

fn meta() -> Meta {
    use chrono::{NaiveDate, TimeZone, Utc};
    Meta {
        title: String::new(),
        subtitle: None,
        event: None,
        venue: None,
        start_date: None,
        end_date: None,
        organisation: None,
        classification: String::new(),
        language: "kk".into(),
        edition: None,
        issue_date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        timestamp: Utc.timestamp_opt(0, 0).unwrap(),
        authors: vec![],
        description: None,
        subjects: vec![],
        identifier: uuid::Uuid::nil(),
        accessibility_certifier: None,
        locale: Default::default(),
        pdf_standards: Vec::new(),
        copy: None,
    }
}

fn doc(blocks: Vec<Block>) -> Document {
    let heading = Heading {
        level: 1,
        number: vec![],
        content: vec![],
        anchor: "x".into(),
        in_toc: false,
        span: sp(),
    };
    Document {
        meta: meta(),
        page_marking: None,
        sections: vec![Section { heading, blocks, children: vec![] }],
        footnotes: vec![],
    }
}

fn check(paged: &PagedDocument) {
    for page in &paged.pages {
        for (pos, item) in page.items() {
            if let FrameItem::Text(run) = item {
                assert!(
                    pos.x.0 >= 0.0 && pos.x.0 + run.width().0 <= page.size.width.0,
                    "text at x = {} of width {} on a page {} wide",
                    pos.x.0,
                    run.width().0,
                    page.size.width.0
                );
                assert!(pos.y.0 >= 0.0 && pos.y.0 <= page.size.height.0);
            }
            if let FrameItem::Image { size, .. } = item {
                let (w, h) = (size.width.0, size.height.0);
                assert!(w > 0.0 && h > 0.0, "an image drawn {w} × {h}");
                assert!(pos.x.0 >= 0.0 && pos.x.0 + w <= page.size.width.0 + 1e-6);
                assert!(pos.y.0 >= 0.0 && pos.y.0 + h <= page.size.height.0 + 1e-6);
            }
        }
    }
}

fn run(d: &Document, options: &LayoutOptions) {
    let (paged, _) = layout_document(d, options).expect("layout");
    check(&paged);
    let pdf = export_pdf(&paged, &d.meta).expect("export");
    assert!(pdf.starts_with(b"%PDF-1.7"));
}

#[test]
fn empty_document() {
    let d = Document {
        meta: meta(),
        sections: vec![],
        footnotes: vec![],
        page_marking: None,
    };
    run(&d, &LayoutOptions::default());
}

#[test]
fn degenerate_blocks() {
    let cell = |s: &str| Cell { content: vec![t(s)], span: sp() };
    let long = "x".repeat(3000);
    let blocks = vec![
        block(BlockKind::Paragraph(vec![])),
        block(BlockKind::Paragraph(vec![t(&long)])),
        block(BlockKind::Paragraph(vec![t("\u{0}\t\r\n\u{85}\u{200b}\u{feff}\u{0301}")])),
        block(BlockKind::Code { lang: None, text: String::new() }),
        block(BlockKind::Code { lang: None, text: "\n\n\t\t".into() }),
        block(BlockKind::List(List {
            start: Some(u64::MAX - 1),
            tight: false,
            items: vec![],
        })),
        block(BlockKind::Quote(vec![])),
        block(BlockKind::Table(Table {
            number: None,
            caption: None,
            source: None,
            columns: vec![],
            header: vec![],
            rows: vec![],
        })),
        block(BlockKind::Table(Table {
            number: Some(1),
            caption: None,
            source: None,
            columns: vec![Column::default()],
            header: vec![],
            rows: vec![Row {
                cells: (0..30).map(|i| cell(&format!("cell{i}-{long}"))).collect(),
            }],
        })),
        block(BlockKind::KeyFigures(KeyFigures {
            title: None,
            figures: vec![],
            source: None,
        })),
        block(BlockKind::Aside(Aside {
            kind: AsideKind::Warning,
            title: None,
            blocks: vec![],
        })),
        block(BlockKind::Chart(Chart {
            kind: ChartKind::Line,
            horizontal: true,
            stacked: true,
            number: None,
            caption: None,
            source: None,
            data: String::new(),
            x_label: String::new(),
            y_label: String::new(),
            unit: None,
            categories: vec![],
            series: vec![],
        })),
        block(BlockKind::Timeline(Timeline {
            number: None,
            caption: None,
            source: None,
            events: vec![],
        })),
        block(BlockKind::Image(Image {
            path: "/nonexistent/image.png".into(),
            src: "image.png".into(),
            alt: String::new(),
            caption: None,
            data: Default::default(),
        })),
        block(BlockKind::PageBreak),
        block(BlockKind::PageBreak),
        block(BlockKind::Paragraph(vec![Inline {
            kind: InlineKind::FootnoteRef(FootnoteId(99)),
            span: sp(),
        }])),
        block(BlockKind::Paragraph(vec![Inline {
            kind: InlineKind::Link {
                target: LinkTarget::Anchor("nowhere".into()),
                content: vec![t("dangling")],
            },
            span: sp(),
        }])),
    ];
    let mut nested = block(BlockKind::Paragraph(vec![t("deep")]));
    for _ in 0..60 {
        nested = block(BlockKind::List(List {
            start: None,
            tight: true,
            items: vec![ListItem { blocks: vec![nested], span: sp() }],
        }));
    }
    let mut all = blocks;
    all.push(nested);
    run(&doc(all), &LayoutOptions::default());
}

/// A checked grey PNG of `width` × `height` pixels.
fn grey_png(width: u32, height: u32) -> ImageData {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let pixels = vec![128; (width * height) as usize];
    encoder.write_header().unwrap().write_image_data(&pixels).unwrap();
    ImageData::decode(out).unwrap()
}

#[test]
fn images_of_extreme_shapes_stay_on_the_page() {
    let image = |data: Option<ImageData>| {
        block(BlockKind::Image(Image {
            path: "/nonexistent/x.png".into(),
            src: "x.png".into(),
            alt: "x".into(),
            caption: Some("A caption".into()),
            data,
        }))
    };
    let shapes = [(1, 1), (1, 5000), (5000, 1), (3000, 2000), (20_000, 3)];
    let mut blocks: Vec<Block> =
        shapes.iter().map(|&(w, h)| image(Some(grey_png(w, h)))).collect();
    // An image the model did not load (only a hand-made model has one) is left out
    // with a warning.
    blocks.push(image(None));
    let d = doc(blocks);
    let (paged, warnings) = layout_document(&d, &LayoutOptions::default()).unwrap();
    check(&paged);
    let drawn = paged
        .pages
        .iter()
        .flat_map(|p| p.items())
        .filter(|(_, item)| matches!(item, FrameItem::Image { .. }))
        .count();
    assert_eq!(drawn, shapes.len());
    assert!(
        warnings.iter().any(|w| w.message.contains("was not loaded")),
        "{warnings:?}"
    );
    let pdf = export_pdf(&paged, &d.meta).expect("export");
    assert!(pdf.starts_with(b"%PDF-1.7"));
}

#[test]
fn bad_options_are_errors_not_panics() {
    let d = doc(vec![]);
    let tiny = LayoutOptions { page_width: Mm(10.0), ..Default::default() };
    assert!(layout_document(&d, &tiny).is_err());
    let nan = LayoutOptions { font_size: Pt(f64::NAN), ..Default::default() };
    assert!(layout_document(&d, &nan).is_err());
    let fonts = LayoutOptions { body_font: "No Such Font".into(), ..Default::default() };
    let (_, warnings) = layout_document(&d, &fonts).unwrap();
    assert!(warnings.iter().any(|w| w.message.contains("No Such Font")));
}
