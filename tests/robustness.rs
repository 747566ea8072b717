//! Hostile section files and data: every build ends with exit status 0 or 1 and a message,
//! never a panic, and a failed build writes nothing.

mod harness;

use harness::*;

fn build_section(section: &[u8], csv: Option<&str>) -> (Option<i32>, String) {
    let dir = temp_dir();
    copy_tree(&root().join("tests/suite/base"), dir.path());
    std::fs::write(dir.path().join("sections/one.md"), section).unwrap();
    if let Some(csv) = csv {
        std::fs::write(dir.path().join("data/trade.csv"), csv).unwrap();
    }
    let out = build_short(dir.path());
    let stderr = text(&out.stderr);
    if out.status.code() != Some(0) {
        assert!(
            !dir.path().join("build").exists(),
            "a failed build wrote output:\n{stderr}"
        );
    }
    (out.status.code(), stderr)
}

fn assert_handled(name: &str, section: &[u8], csv: Option<&str>) {
    let (code, stderr) = build_section(section, csv);
    assert!(!stderr.contains("panicked"), "{name}: panic\n{stderr}");
    assert!(matches!(code, Some(0) | Some(1)), "{name}: exit {code:?}\n{stderr}");
    if code == Some(1) {
        assert!(
            stderr.contains("error"),
            "{name}: exit 1 without an error message\n{stderr}"
        );
    }
}

#[test]
fn hostile_sections_are_handled() {
    let deep_list: String =
        (0..60).map(|i| format!("{}- level {i}\n", "  ".repeat(i))).collect();
    let deep_quote = format!("# A\n\n{} deep\n", ">".repeat(200));
    let long_word = format!("# A\n\n{}\n", "x".repeat(20_000));
    let wide_table = format!(
        "# A\n\n|{}|\n|{}|\n|{}|\n",
        (0..40).map(|i| format!(" c{i} ")).collect::<Vec<_>>().join("|"),
        (0..40).map(|_| "---").collect::<Vec<_>>().join("|"),
        (0..40).map(|_| "1234567890123").collect::<Vec<_>>().join("|"),
    );
    let many_notes: String =
        (0..300).map(|i| format!("Text[^n{i}].\n\n[^n{i}]: Note {i}.\n\n")).collect();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty file", b"".to_vec()),
        ("only front matter", b"+++\nnumbered = false\n+++\n".to_vec()),
        ("unclosed front matter", b"+++\nnumbered = false\n# A\n".to_vec()),
        ("unclosed fence", b"# A\n\n```chart\ntype = \"bar\"\n".to_vec()),
        ("unclosed handlebars", b"# A\n\n{{#each data.trade}}\n".to_vec()),
        ("not UTF-8", b"# A\n\n\xff\xfe\xfd\n".to_vec()),
        (
            "byte order mark and CRLF",
            "\u{feff}# A\r\n\r\nText *here*.\r\n".as_bytes().to_vec(),
        ),
        ("NUL and control characters", b"# A\n\nbad \x00 \x07 \x1b[31m text\n".to_vec()),
        ("deep list", format!("# A\n\n{deep_list}").into_bytes()),
        ("deep quote", deep_quote.into_bytes()),
        ("20,000-letter word", long_word.into_bytes()),
        ("40-column table", wide_table.into_bytes()),
        ("300 footnotes", format!("# A\n\n{many_notes}").into_bytes()),
        ("heading only", b"######\n".to_vec()),
        ("emoji and RTL", "# A 🚀\n\nمرحبا بالعالم שלום 👍🏽 text.\n".as_bytes().to_vec()),
        ("page breaks only", b"# A\n\n```pagebreak\n```\n\n```pagebreak\n```\n".to_vec()),
        (
            "empty briefing blocks",
            b"# A\n\n```keyfigures\n```\n\n```timeline\n```\n\n```aside\n```\n".to_vec(),
        ),
        ("image that is not an image", b"# A\n\n![alt](briefing.toml)\n".to_vec()),
        ("link to nowhere", b"# A\n\n[x](#) [y](ftp://x) [z](other.md)\n".to_vec()),
    ];
    for (name, section) in &cases {
        assert_handled(name, section, None);
    }
}

#[test]
fn hostile_data_is_handled() {
    let section = b"# A\n\n{{{table \"trade\"}}}\n\n```chart\ntype = \"line\"\ndata = \"trade\"\nx = \"year\"\ny = [\"value\"]\n```\n";
    let huge: String = std::iter::once("year,value\n".to_string())
        .chain((0..3000).map(|i| format!("{i},{}\n", i as f64 * 1.5)))
        .collect();
    let cases = [
        ("header only", "year,value\n".to_string()),
        ("empty file", String::new()),
        ("quoted newline", "year,value\n2024,\"94.8\n5\"\n".to_string()),
        ("huge numbers", "year,value\n2023,1e300\n2024,-1e300\n".to_string()),
        ("3,000 rows", huge),
        ("duplicate header", "year,year\n1,2\n".to_string()),
    ];
    for (name, csv) in &cases {
        assert_handled(name, section, Some(csv));
    }
}
