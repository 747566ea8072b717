//! Books in the book's language: no English word written by the program is left in a
//! Russian, Chinese or Kazakh book (PDF text and every EPUB document), and dates and
//! numbers follow the language. Also: the fallback warning, manifest overrides, and the
//! sample's Russian press pack.

mod harness;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use harness::*;

/// The words of the base catalogue's labels and date names: what the program writes
/// in English.
fn english_words() -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join("templates/locales/en.toml")).unwrap();
    let table: toml::Table = text.parse().unwrap();
    let mut out = BTreeSet::new();
    let mut add = |s: &str| {
        // Placeholders are not words.
        let mut clean = String::new();
        let mut depth = 0;
        for c in s.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                c if depth == 0 => clean.push(c),
                _ => {}
            }
        }
        for w in clean.split(|c: char| !c.is_ascii_alphabetic()) {
            if w.len() >= 3 {
                out.insert(w.to_ascii_lowercase());
            }
        }
    };
    fn strings(v: &toml::Value, add: &mut dyn FnMut(&str)) {
        match v {
            toml::Value::String(s) => add(s),
            toml::Value::Array(a) => a.iter().for_each(|v| strings(v, add)),
            toml::Value::Table(t) => t.values().for_each(|v| strings(v, add)),
            _ => {}
        }
    }
    strings(&table["labels"], &mut add);
    strings(&table["dates"], &mut add);
    assert!(
        out.contains("contents") && out.contains("continued") && out.contains("june")
    );
    out
}

/// The English words of `english` found in `text`.
fn english_in(text: &str, english: &BTreeSet<String>) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| english.contains(&w.to_ascii_lowercase()))
        .map(str::to_string)
        .collect()
}

/// Everything a reader or a screen reader gets from an EPUB: the text and the `alt`,
/// `aria-label` and `title` attributes of every XHTML and SVG document, and the
/// accessibility summary of the package document; each with its entry name.
fn epub_texts(epub: &Path) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().to_string();
        let mut text = String::new();
        if !(name.ends_with(".xhtml") || name.ends_with(".svg") || name.ends_with(".opf"))
        {
            continue;
        }
        entry.read_to_string(&mut text).unwrap();
        let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
        let doc = roxmltree::Document::parse_with_options(&text, options).unwrap();
        let mut found = String::new();
        for n in doc.descendants() {
            if name.ends_with(".opf") {
                if n.attribute("property") == Some("schema:accessibilitySummary") {
                    found.push_str(n.text().unwrap_or(""));
                }
                continue;
            }
            // A stylesheet is not text anyone reads.
            let in_style = n.parent().is_some_and(|p| p.tag_name().name() == "style");
            if n.is_text() && !in_style {
                found.push_str(n.text().unwrap_or(""));
                found.push(' ');
            }
            for a in ["alt", "aria-label", "title"] {
                if let Some(v) = n.attribute(a) {
                    found.push_str(v);
                    found.push(' ');
                }
            }
        }
        out.push((name, found));
    }
    out
}

fn pdf_text(pdf: &Path) -> String {
    let out = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(out.status.success());
    text(&out.stdout).replace('\u{a0}', " ")
}

/// A book's own words in one language: what the author writes.
struct Words {
    tag: &'static str,
    title: &'static str,
    chapter: &'static str,
    sentence: &'static str,
    caption: &'static str,
    source: &'static str,
    year: &'static str,
    value: &'static str,
    event: &'static str,
}

const RU: Words = Words {
    tag: "ru",
    title: "Справка",
    chapter: "Торговля",
    sentence: "Товарооборот вырос, и это важно для всех участников встречи.",
    caption: "Товарооборот по годам",
    source: "Статистика",
    year: "Год",
    value: "Объём",
    event: "Событие",
};

const ZH: Words = Words {
    tag: "zh-Hans",
    title: "简报",
    chapter: "贸易",
    sentence: "贸易额持续增长，这对所有与会方都很重要。",
    caption: "历年贸易额",
    source: "统计数据",
    year: "年份",
    value: "金额",
    event: "事件",
};

const KK: Words = Words {
    tag: "kk-Cyrl-KZ",
    title: "Анықтама",
    chapter: "Сауда",
    sentence: "Тауар айналымы өсті, бұл кездесудің барлық қатысушылары үшін маңызды.",
    caption: "Жылдар бойынша тауар айналымы",
    source: "Статистика",
    year: "Жыл",
    value: "Көлемі",
    event: "Оқиға",
};

/// A briefing that makes the program write every label it has: contents, a long
/// table (continued on the next page), a chart (alt text, data table), a timeline with
/// an approximate BCE year and a span of days, key figures with changes, a footnote,
/// the cover and the page furniture.
fn fixture(dir: &Path, w: &Words, extra_manifest: &str) {
    let manifest = format!(
        r#"
[book]
title = "{title}"
classification = "{title}"
language = "{tag}"
issue-date = 2025-06-12
start-date = 2025-06-16
end-date = 2025-06-18
authors = ["{source}"]

[contents]
sections = ["one.md"]

[data.trade]
path = "trade.csv"
source = "{source}"
columns.year = {{ type = "integer", label = "{year}" }}
columns.value = {{ type = "number", label = "{value}", decimals = 1 }}
columns.a = {{ type = "number", label = "{value} 2" }}
columns.b = {{ type = "number", label = "{value} 3" }}
{extra_manifest}
"#,
        title = w.title,
        tag = w.tag,
        source = w.source,
        year = w.year,
        value = w.value,
    );
    std::fs::write(dir.join("briefing.toml"), manifest).unwrap();
    let mut csv = String::from("year,value,a,b\n");
    for y in 1950..2025 {
        csv.push_str(&format!("{y},{}.5,{},{}\n", 1000 + y, y * 3, y * 1000));
    }
    std::fs::write(dir.join("trade.csv"), csv).unwrap();
    let section = format!(
        r#"# {chapter}

{sentence} {{{{daterange book.start-date book.end-date}}}} {{{{num 650000}}}} {{{{num 94.8}}}} {{{{percent 78}}}} {{{{money 94.8 currency="USD" scale="x"}}}}[^1]

```keyfigures
[[figure]]
value = "{{{{num 94.8}}}}"
label = "{value}"
change = "+{{{{percent 6}}}}"

[[figure]]
value = "{{{{num 5.4}}}}"
label = "{value}"
change = "−{{{{percent 2}}}}"
```

```chart
type = "bar"
data = "trade"
x = "year"
y = ["value"]
y-label = "{value}"
caption = "{caption}"
```

```chart
type = "line"
categories = ["2023", "2024", "2025"]
caption = "{caption}"
[[series]]
name = "{value}"
values = [1.5, 2.5, 2.0]
```

```timeline
caption = "{caption}"
[[event]]
year = -138
approximate = true
title = "{event}"
[[event]]
year = 2013
title = "{event}"
[[event]]
date = 2025-06-16
until = 2025-06-18
title = "{event}"
```

{{{{table "trade" caption="{caption}"}}}}

[^1]: {sentence}
"#,
        chapter = w.chapter,
        sentence = w.sentence,
        caption = w.caption,
        value = w.value,
        event = w.event,
    );
    std::fs::write(dir.join("one.md"), section).unwrap();
}

fn build_ok(dir: &Path) -> String {
    let o = briefbook(&["build", dir.to_str().unwrap()]);
    assert!(o.status.success(), "build failed:\n{}", text(&o.stderr));
    text(&o.stderr)
}

#[test]
fn no_english_word_written_by_the_program_remains() {
    let english = english_words();
    for w in [RU, ZH, KK] {
        let dir = temp_dir();
        fixture(dir.path(), &w, "");
        let stderr = build_ok(dir.path());
        assert!(!stderr.contains("no catalogue"), "{}: {stderr}", w.tag);
        let build = dir.path().join("build");
        let pdf = pdf_text(&build.join("briefing.pdf"));
        // The long table did run on: the continuation label was written.
        let continued = match w.tag {
            "ru" => "(продолжение)",
            "zh-Hans" => "（续）",
            _ => "(жалғасы)",
        };
        assert!(pdf.contains(continued), "{}: no continuation label", w.tag);
        let found = english_in(&pdf, &english);
        assert!(found.is_empty(), "{}: English in the PDF: {found:?}", w.tag);
        let texts = epub_texts(&build.join("briefing.epub"));
        assert!(texts.iter().any(|(n, _)| n.ends_with("nav.xhtml")));
        assert!(texts.iter().any(|(n, _)| n.ends_with(".svg")));
        for (name, t) in texts {
            let found = english_in(&t, &english);
            assert!(found.is_empty(), "{}: English in {name}: {found:?}", w.tag);
        }
        epubcheck(&build.join("briefing.epub"));
    }
}

#[test]
fn dates_and_numbers_follow_the_language() {
    let cases: [(Words, &[&str]); 3] = [
        (
            RU,
            &[
                "16–18 июня 2025 г.",
                "650 000",
                "94,8",
                "78 %",
                "94,8 x долл. США",
                "ок. 138 г. до н. э.",
                "2013 г.",
                "Страница 2 из",
                "Дата выпуска: 12 июня 2025 г.",
                "Таблица 1.",
                "Рисунок 1.",
            ],
        ),
        (
            ZH,
            &[
                "2025年6月16日至18日",
                "650,000",
                "94.8",
                "约公元前138年",
                "第2页，共",
                "表1",
            ],
        ),
        (
            KK,
            &[
                "2025 ж. 16–18 маусым",
                "650 000",
                "94,8",
                "шамамен б. з. д. 138 ж.",
                "1-кесте.",
            ],
        ),
    ];
    for (w, wanted) in cases {
        let dir = temp_dir();
        fixture(dir.path(), &w, "");
        build_ok(dir.path());
        let pdf = pdf_text(&dir.path().join("build/briefing.pdf"));
        let flat = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
        for s in wanted {
            assert!(flat.contains(s), "{}: `{s}` not in the PDF text", w.tag);
        }
    }
}

#[test]
fn an_unknown_language_falls_back_to_english_with_one_warning() {
    let dir = temp_dir();
    fixture(dir.path(), &Words { tag: "xx-Latn", ..RU }, "");
    let stderr = build_ok(dir.path());
    assert_eq!(stderr.matches("no catalogue for `xx-Latn`").count(), 1, "{stderr}");
    let pdf = pdf_text(&dir.path().join("build/briefing.pdf"));
    assert!(pdf.contains("Contents") && pdf.contains("Table 1."));
}

#[test]
fn the_manifest_overrides_any_string_and_checks_its_keys() {
    let dir = temp_dir();
    let over = "[locale.labels]\ncontents = \"Оглавление\"\n\
                page-of = { one = \"стр. {page}/{pages}\", few = \"стр. {page}/{pages}\", many = \"стр. {page}/{pages}\", other = \"стр. {page}/{pages}\" }\n\
                [locale.numbers]\ngroup = \"'\"\n";
    fixture(dir.path(), &RU, over);
    build_ok(dir.path());
    let pdf = pdf_text(&dir.path().join("build/briefing.pdf"));
    assert!(pdf.contains("Оглавление") && !pdf.contains("Содержание"));
    assert!(pdf.contains("650'000"), "group separator");
    assert!(pdf.contains("стр. 2/"), "page foot");

    let bad = temp_dir();
    fixture(bad.path(), &RU, "[locale.labels]\ncontnets = \"x\"\n");
    let o = build_short(bad.path());
    assert!(!o.status.success());
    let err = text(&o.stderr);
    assert!(
        err.contains("briefing.toml:") && err.contains("unknown key `labels.contnets`"),
        "{err}"
    );
}

#[test]
fn the_sample_builds_its_russian_press_pack_beside_the_english_book() {
    let dir = temp_dir();
    build_sample(dir.path());
    let english = english_words();
    let pdf = pdf_text(&dir.path().join("press-pack-ru.pdf"));
    let found = english_in(&pdf, &english);
    assert!(found.is_empty(), "English in the press pack: {found:?}");
    let flat = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
    for s in [
        "Содержание",
        "16–18 июня 2025 г.",
        "94,8 млрд долл. США",
        "650 000",
        "ок. 138 г. до н. э.",
    ] {
        assert!(flat.contains(s), "`{s}` not in the press pack");
    }
    // The English book holds no Russian section, the press pack no English one.
    let en = pdf_text(&dir.path().join("briefing.pdf"));
    assert!(
        !en.contains("Гуманитарные связи") && en.contains("People-to-people exchange")
    );
    assert!(!flat.contains("People-to-people"));
    epubcheck(&dir.path().join("press-pack-ru.epub"));
}
