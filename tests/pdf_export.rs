//! PDF export of a hand-built document: determinism, structure, text extraction.
//!
//! Set `BRIEFBOOK_PDF_OUT=/tmp/demo.pdf` to keep the generated file for inspection.

use std::process::Command;

use briefbook::diag::{FileId, Span};
use briefbook::export::pdf::export_pdf;
use briefbook::layout::{layout_document, FrameItem, LayoutOptions};
use briefbook::model::*;

fn sp() -> Span {
    Span::new(FileId(0), 0..1)
}

fn t(s: &str) -> Inline {
    Inline::text(s, sp())
}

fn k(kind: InlineKind) -> Inline {
    Inline { kind, span: sp() }
}

fn para(inlines: Vec<Inline>) -> Block {
    Block { kind: BlockKind::Paragraph(inlines), span: sp() }
}

fn block(kind: BlockKind) -> Block {
    Block { kind, span: sp() }
}

fn heading(level: u8, number: Vec<u32>, title: &str, anchor: &str) -> Heading {
    Heading {
        level,
        number,
        content: vec![t(title)],
        anchor: anchor.into(),
        in_toc: true,
        span: sp(),
    }
}

fn section(h: Heading, blocks: Vec<Block>, children: Vec<Section>) -> Section {
    Section { heading: h, blocks, children }
}

fn meta() -> Meta {
    use chrono::{NaiveDate, TimeZone, Utc};
    Meta {
        title: "State Visit to Kazakhstan".into(),
        subtitle: Some("Briefing book for the delegation".into()),
        event: Some("Astana International Forum".into()),
        venue: Some("Palace of Independence, Astana".into()),
        start_date: NaiveDate::from_ymd_opt(2025, 6, 16),
        end_date: NaiveDate::from_ymd_opt(2025, 6, 18),
        organisation: Some("Ministry of Foreign Affairs".into()),
        classification: "Official".into(),
        language: "en-GB".into(),
        edition: Some("First edition".into()),
        issue_date: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
        timestamp: Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 0).unwrap(),
        authors: vec!["A. Author".into(), "B. Writer".into()],
        description: Some("Background and programme for the visit".into()),
        subjects: vec!["Kazakhstan".into(), "Central Asia".into()],
        identifier: uuid::Uuid::nil(),
        accessibility_certifier: None,
        locale: Default::default(),
        pdf_standards: Vec::new(),
        copy: None,
    }
}

fn cell(s: &str) -> Cell {
    Cell { content: vec![t(s)], span: sp() }
}

/// A PNG of `w` × `h` RGB pixels (a gradient), with stored (uncompressed) deflate blocks.
fn png(w: u32, h: u32) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    }
    let mut raw = Vec::new();
    for y in 0..h {
        raw.push(0);
        for x in 0..w {
            raw.extend([(x * 255 / w) as u8, (y * 255 / h) as u8, 160]);
        }
    }
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65535).collect();
    for (i, b) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        z.extend((b.len() as u16).to_le_bytes());
        z.extend((!(b.len() as u16)).to_le_bytes());
        z.extend(*b);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    z.extend(((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn image_block() -> Block {
    static PATH: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let path = PATH
        .get_or_init(|| {
            // Another image (a JPEG, say) can be tried by hand.
            if let Ok(path) = std::env::var("BRIEFBOOK_TEST_IMAGE") {
                return path.into();
            }
            let name = format!("briefbook-pdf-test-{}.png", std::process::id());
            let path = std::env::temp_dir().join(name);
            std::fs::write(&path, png(300, 120)).unwrap();
            path
        })
        .clone();
    block(BlockKind::Image(Image {
        src: "gradient.png".into(),
        alt: "A gradient".into(),
        caption: Some("A generated gradient".into()),
        data: Some(
            briefbook::model::ImageData::decode(std::fs::read(&path).unwrap()).unwrap(),
        ),
        path,
    }))
}

fn sample() -> Document {
    let long = "The official first floor affords fine office flow. ".repeat(12);
    let intro = vec![
        para(vec![
            t("This briefing covers the "),
            k(InlineKind::Emphasis(vec![t("programme")])),
            t(", the "),
            k(InlineKind::Strong(vec![t("key people")])),
            t(" and the "),
            k(InlineKind::Code("data.csv".into())),
            t(" figures. See "),
            k(InlineKind::Link {
                target: LinkTarget::Anchor("economy".into()),
                content: vec![t("the economy section")],
            }),
            t(" and "),
            k(InlineKind::Strikethrough(vec![t("old")])),
            t(" "),
            k(InlineKind::Link {
                target: LinkTarget::Url("https://example.org/briefing".into()),
                content: vec![t("the website")],
            }),
            t(".",),
            k(InlineKind::FootnoteRef(FootnoteId(0))),
            t(" "),
            t(&long),
        ]),
        para(vec![t(
            "Астана — столица Республики Казахстан. Қазақ тілі: әліпби, ғылым, қала, аң, өнер, ұлт, үй, һ, іс. O‘zbekiston: Oʻzbek tili, gʻalaba. 阿斯塔纳是哈萨克斯坦的首都，位于伊希姆河畔，人口超过一百万。这是一个很长的中文句子，用来测试中文的换行是否正确地在汉字之间进行。",
        )]),
        para(vec![t("A long address: https://example.org/a/very/long/path/that/does/not/fit/on/one/line/at/all/because/it/is/much/too/long/for/the/text/area/index.html and a missing glyph 𓀀 here.")]),
        block(BlockKind::List(List {
            start: None,
            tight: true,
            items: vec![
                ListItem { blocks: vec![para(vec![t("First point about trade and energy.")])], span: sp() },
                ListItem {
                    blocks: vec![
                        para(vec![t("Second point, with a nested list below that wraps onto a second line to check the hanging indent.")]),
                        block(BlockKind::List(List {
                            start: Some(1),
                            tight: true,
                            items: vec![
                                ListItem { blocks: vec![para(vec![t("Nested one")])], span: sp() },
                                ListItem { blocks: vec![para(vec![t("Nested two")])], span: sp() },
                            ],
                        })),
                    ],
                    span: sp(),
                },
            ],
        })),
        block(BlockKind::Quote(vec![para(vec![t("We value the partnership. — A minister, in a quotation that is long enough to wrap onto a second line.")])])),
        block(BlockKind::Code { lang: None, text: "fn main() {\n\tprintln!(\"a very long line of code that certainly does not fit into the text area of an A4 page\");\n}\n".into() }),
        block(BlockKind::Rule),
        block(BlockKind::Aside(Aside {
            kind: AsideKind::Important,
            title: Some(vec![t("Protocol")]),
            blocks: vec![para(vec![t("Shoes off at the yurt. Gifts are exchanged on the second day.")])],
        })),
    ];
    let mut rows = Vec::new();
    for i in 0..45 {
        rows.push(Row {
            cells: vec![
                cell(&format!("Partner country number {i}")),
                cell(&format!("{}", 1000 + i * 37)),
                cell(&format!("{}.{}", i, i % 10)),
                cell("Oil, gas and metals with a longer description"),
            ],
        });
    }
    let table = Table {
        number: Some(1),
        caption: Some(vec![t("Trade with main partners")]),
        source: Some(vec![t("National statistics office, 2024")]),
        columns: vec![
            Column::default(),
            Column { align: Align::Right, numeric: true },
            Column { align: Align::Right, numeric: true },
            Column::default(),
        ],
        header: vec![Row {
            cells: vec![cell("Country"), cell("Exports"), cell("Share %"), cell("Goods")],
        }],
        rows,
    };
    let economy = vec![
        block(BlockKind::KeyFigures(KeyFigures {
            title: Some(vec![t("Key figures")]),
            figures: vec![
                KeyFigure {
                    value: vec![t("$262 bn")],
                    label: vec![t("GDP (2023)")],
                    note: Some(vec![t("+5.1% on 2022")]),
                    unit: None,
                    change: None,
                },
                KeyFigure {
                    value: vec![t("20.0 m")],
                    label: vec![t("Population")],
                    note: None,
                    unit: None,
                    change: None,
                },
                KeyFigure {
                    value: vec![t("2.7 m km²")],
                    label: vec![t("Area")],
                    note: None,
                    unit: None,
                    change: None,
                },
                KeyFigure {
                    value: vec![t("1991")],
                    label: vec![t("Independence")],
                    note: None,
                    unit: None,
                    change: None,
                },
                KeyFigure {
                    value: vec![t("9th")],
                    label: vec![t("Largest country")],
                    note: None,
                    unit: None,
                    change: None,
                },
            ],
            source: Some(vec![t("World Bank")]),
        })),
        block(BlockKind::Table(table)),
        block(BlockKind::Chart(Chart {
            kind: ChartKind::Bar,
            horizontal: false,
            stacked: false,
            number: Some(1),
            caption: Some(vec![t("Exports by year")]),
            source: Some(vec![t("Customs")]),
            data: "exports".into(),
            x_label: "Year".into(),
            y_label: "USD bn".into(),
            unit: Some("USD bn".into()),
            categories: vec!["2021".into(), "2022".into(), "2023".into()],
            series: vec![
                Series {
                    name: "Oil".into(),
                    values: vec![Some(30.5), Some(45.0), None],
                    decimals: None,
                },
                Series {
                    name: "Metals".into(),
                    values: vec![Some(10.0), Some(12.25), Some(13.0)],
                    decimals: None,
                },
            ],
        })),
        block(BlockKind::Timeline(Timeline {
            number: Some(2),
            caption: Some(vec![t("Milestones")]),
            source: None,
            events: vec![
                TimelineEvent {
                    when: "1991".into(),
                    at: briefbook::chart::parse_when("1991").unwrap(),
                    title: vec![t("Independence")],
                    detail: Some(vec![t("16 December")]),
                },
                TimelineEvent {
                    when: "1997".into(),
                    at: briefbook::chart::parse_when("1997").unwrap(),
                    title: vec![t("Capital moves to Astana")],
                    detail: None,
                },
                TimelineEvent {
                    when: "16–18 June 2025".into(),
                    at: briefbook::chart::parse_when("16–18 June 2025").unwrap(),
                    title: vec![t("State visit")],
                    detail: None,
                },
            ],
        })),
        block(BlockKind::PageBreak),
        para(vec![t("After the page break.")]),
        image_block(),
    ];
    Document {
        meta: meta(),
        page_marking: None,
        sections: vec![
            section(
                heading(1, vec![1], "Introduction", "introduction"),
                intro,
                vec![section(
                    heading(2, vec![1, 1], "Purpose", "purpose"),
                    vec![para(vec![t("Short.")])],
                    vec![],
                )],
            ),
            section(
                heading(1, vec![2], "Economy", "economy"),
                vec![],
                vec![section(
                    heading(2, vec![2, 1], "Trade and figures", "trade"),
                    economy,
                    vec![],
                )],
            ),
        ],
        footnotes: vec![Footnote {
            number: 1,
            anchor: "fn-1".into(),
            ref_anchor: "fnref-1".into(),
            blocks: vec![para(vec![t("A footnote with a source.")])],
            span: sp(),
        }],
    }
}

fn build() -> (Vec<u8>, usize, Vec<briefbook::diag::Diagnostic>) {
    let doc = sample();
    let (paged, warnings) =
        layout_document(&doc, &LayoutOptions::default()).expect("layout");
    let pdf = export_pdf(&paged, &doc.meta).expect("export");
    (pdf, paged.pages.len(), warnings)
}

#[test]
fn same_input_gives_same_bytes_in_one_process() {
    let (a, _, _) = build();
    let (b, _, _) = build();
    assert!(a == b, "two builds in one process differ");
    if let Ok(path) = std::env::var("BRIEFBOOK_PDF_OUT") {
        std::fs::write(path, &a).unwrap();
    }
}

#[test]
fn same_input_gives_same_bytes_across_processes() {
    if std::env::var_os("BRIEFBOOK_PDF_OUT").is_some() {
        return; // we are the child (or the user is collecting output)
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("child.pdf");
    let status = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "same_input_gives_same_bytes_in_one_process", "--quiet"])
        .env("BRIEFBOOK_PDF_OUT", &out)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let (pdf, _, _) = build();
    assert!(
        std::fs::read(&out).unwrap() == pdf,
        "a second process wrote different bytes"
    );
}

#[test]
fn missing_glyph_is_reported_with_code_point() {
    let (_, _, warnings) = build();
    assert!(warnings.iter().any(|w| w.message.contains("U+13000")), "{warnings:?}");
    assert_eq!(warnings.iter().filter(|w| w.message.contains("U+13000")).count(), 1);
}

#[test]
fn nothing_leaves_the_text_area_horizontally() {
    let doc = sample();
    let options = LayoutOptions::default();
    let (paged, _) = layout_document(&doc, &options).unwrap();
    let right = paged.pages[0].size.width.0 - options.margins.right.to_pt().0;
    for page in &paged.pages {
        for (pos, item) in page.items() {
            if let FrameItem::Text(run) = item {
                let end = pos.x.0 + run.width().0;
                assert!(
                    end <= right + 0.5,
                    "page {} run ends at {end} > {right}",
                    page.number
                );
                assert!(pos.y.0 <= page.size.height.0 && pos.y.0 >= 0.0);
            }
        }
    }
}

fn tool(name: &str, args: &[&str], pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, pdf).ok()?;
    let mut cmd = Command::new(name);
    cmd.args(args).arg(&path);
    if name == "pdftotext" {
        cmd.arg("-");
    }
    match cmd.output() {
        Ok(out) => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Err(_) => {
            eprintln!("skipping: {name} not installed");
            None
        }
    }
}

#[test]
fn external_tools_accept_the_file() {
    let (pdf, pages, _) = build();
    if let Some(out) = tool("qpdf", &["--check"], &pdf) {
        assert!(out.contains("No syntax or stream encoding errors"), "{out}");
    }
    if let Some(out) = tool("pdffonts", &[], &pdf) {
        for line in out.lines().skip(2) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let n = cols.len();
            assert!(n >= 7 && cols[n - 5..n - 2] == ["yes", "yes", "yes"], "{line}");
        }
    }
    if let Some(out) = tool("pdfinfo", &[], &pdf) {
        assert!(out.contains(&format!("Pages:           {pages}")), "{out}");
        assert!(out.contains("PDF version:     1.7"), "{out}");
        assert!(!out.contains("PDF subtype"), "{out}");
    }
    if let Some(text) = tool("pdftotext", &[], &pdf) {
        for word in [
            "office",
            "Астана",
            "әліпби",
            "Oʻzbek",
            "哈萨克斯坦",
            "Trade with main partners",
        ] {
            assert!(text.contains(word), "missing {word}");
        }
        let a = text.find("This briefing covers").unwrap();
        let b = text.find("Астана — столица").unwrap();
        assert!(a < b);
    }
}

#[test]
fn outline_links_and_page_sizes_reach_the_file() {
    let doc = sample();
    let (mut paged, _) =
        layout_document(&doc, &LayoutOptions::default()).expect("layout");
    // A landscape page among portrait ones keeps its own MediaBox.
    let size = &mut paged.pages[1].size;
    std::mem::swap(&mut size.width, &mut size.height);
    let pdf = export_pdf(&paged, &doc.meta).expect("export");
    let pages = paged.pages.len().to_string();
    if let Some(info) = tool("pdfinfo", &["-f", "1", "-l", &pages], &pdf) {
        assert!(info.contains("Page    1 size:  595.276 x 841.89"), "{info}");
        assert!(info.contains("Page    2 size:  841.89 x 595.276"), "{info}");
        assert!(info.contains("Page    3 size:  595.276 x 841.89"), "{info}");
    }
    let Some(json) = tool("qpdf", &["--json"], &pdf) else { return };
    let json: serde_json::Value = serde_json::from_str(&json).expect("qpdf --json");

    // Outline: the chapters at the top, their sections nested, each pointing at a page.
    let titles = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|o| o["title"].as_str().unwrap().to_string())
            .collect()
    };
    let outlines = &json["outlines"];
    assert_eq!(titles(outlines), ["1 Introduction", "2 Economy"]);
    assert_eq!(titles(&outlines[0]["kids"]), ["1.1 Purpose"]);
    assert_eq!(titles(&outlines[1]["kids"]), ["2.1 Trade and figures"]);
    assert!(outlines[1]["destpageposfrom1"].as_u64().unwrap() >= 1);

    // Links: an internal one to an existing page and the external one.
    let objects = json["qpdf"][1].as_object().expect("objects");
    let page_objects: Vec<&str> = json["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["object"].as_str().unwrap())
        .collect();
    let actions: Vec<&serde_json::Value> = objects
        .values()
        .filter_map(|o| o.get("value"))
        .filter(|v| v["/Subtype"] == "/Link")
        .map(|v| &v["/A"])
        .collect();
    assert!(actions.iter().any(|a| a["/S"] == "/URI"
        && a["/URI"]
            .as_str()
            .is_some_and(|u| u.contains("https://example.org/briefing"))));
    let internal: Vec<_> = actions.iter().filter(|a| a["/S"] == "/GoTo").collect();
    assert!(!internal.is_empty());
    for a in internal {
        let target = a["/D"][0].as_str().unwrap();
        assert!(page_objects.contains(&target), "{target} is not a page");
        assert_eq!(a["/D"][1], "/XYZ");
    }
}
