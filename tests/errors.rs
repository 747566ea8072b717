//! One fixture per kind of error: each must be reported with its file:line:col and message,
//! exit with status 1, and leave no output behind. Lines of `expected.txt` starting with
//! `hint: ` are hints the human format must show, whole.

mod harness;

use harness::*;

fn check_case(name: &str) {
    let suite = root().join("tests/suite");
    let dir = temp_dir();
    copy_tree(&suite.join("base"), dir.path());
    copy_tree(&suite.join("errors").join(name), dir.path());
    let expected = std::fs::read_to_string(dir.path().join("expected.txt")).unwrap();

    let out = build_short(dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{name}: wrong exit status; stderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{name}: panic:\n{stderr}");
    let (hints, lines): (Vec<&str>, Vec<&str>) = expected
        .lines()
        .filter(|l| !l.trim().is_empty())
        .partition(|l| l.starts_with("hint: "));
    for line in lines {
        assert!(
            stderr.lines().any(|l| l.starts_with(line)),
            "{name}: expected a line starting with\n  {line}\nin stderr:\n{stderr}"
        );
    }
    // Hints are shown in the human format only: `= hint: …` under the source line.
    if !hints.is_empty() {
        let human = text(&briefbook(&["build", dir.path().to_str().unwrap()]).stderr);
        for hint in hints {
            assert!(
                human.lines().any(|l| l.trim_start().trim_start_matches("= ") == hint),
                "{name}: expected the line\n  {hint}\nin stderr:\n{human}"
            );
        }
    }
    assert!(!dir.path().join("build").exists(), "{name}: a failed build wrote output");
}

macro_rules! cases {
    ($($test:ident => $dir:literal,)*) => {
        $(#[test] fn $test() { check_case($dir); })*
    };
}

cases! {
    malformed_toml => "malformed-toml",
    unknown_manifest_key => "unknown-manifest-key",
    unknown_template_variable => "unknown-template-variable",
    csv_row_with_wrong_field_count => "csv-wrong-field-count",
    csv_text_in_number_column => "csv-text-in-number-column",
    missing_section_file => "missing-section-file",
    unknown_block_type => "unknown-block-type",
    misspelt_block_type => "misspelt-block-type",
    bad_block_settings_report_both_blocks => "bad-block-settings",
    several_errors_are_all_reported => "several-errors",
    undefined_footnote_and_unknown_anchor => "undefined-footnote",
    raw_html_is_rejected => "raw-html",
    raw_html_in_a_block_is_reported_at_its_key => "raw-html-in-block",
    margins_that_leave_no_room_are_reported_at_margins => "margins-no-room",
    page_size_out_of_range_is_reported_at_page_size => "page-size-out-of-range",
    font_size_that_is_not_a_number_is_reported_at_font_size => "font-size-out-of-range",
    date_as_string_is_rejected => "bad-date",
    furniture_template_with_unknown_name => "bad-furniture",
    cover_template_with_unknown_name => "bad-cover",
    cover_template_with_unknown_style => "bad-cover-style",
    cover_template_that_is_missing => "missing-cover",
    chart_naming_a_missing_column => "chart-missing-column",
    chart_with_a_text_value => "chart-text-value",
    chart_with_no_data => "chart-no-data",
    chart_with_a_value_that_is_not_finite => "chart-not-finite",
    timeline_with_an_unreadable_date => "timeline-unreadable-date",
    missing_image => "missing-image",
    warning_after_a_with_block_is_at_its_line => "warning-after-with-block",
    links_beside_a_template_expression_are_at_their_column => "link-beside-template",
    unknown_page_size_lists_the_named_sizes => "unknown-page-size",
    heading_with_the_anchor_of_a_footnote => "heading-anchor-of-a-footnote",
    misspelt_locale_key_gets_the_near_one => "locale-misspelt-key",
}

#[test]
fn human_format_shows_the_line_and_a_hint() {
    let suite = root().join("tests/suite");
    let dir = temp_dir();
    copy_tree(&suite.join("base"), dir.path());
    copy_tree(&suite.join("errors/unknown-manifest-key"), dir.path());
    let out = briefbook(&["check", dir.path().to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("briefing.toml:5:1"), "{stderr}");
    assert!(stderr.contains("editon = \"First\""), "source line missing:\n{stderr}");
    assert!(stderr.contains("^^^^^^"), "marker missing:\n{stderr}");
    assert!(stderr.contains("hint:"), "hint missing:\n{stderr}");
}

#[test]
fn missing_manifest_is_an_io_error() {
    let dir = temp_dir();
    let out = briefbook(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("briefing.toml"));
}

#[test]
fn usage_error_exits_2() {
    let out = briefbook(&["build", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn failed_build_keeps_the_previous_good_output() {
    let suite = root().join("tests/suite");
    let dir = temp_dir();
    copy_tree(&suite.join("base"), dir.path());
    let build = dir.path().join("build");
    std::fs::create_dir_all(&build).unwrap();
    std::fs::write(build.join("briefing.pdf"), b"previous good pdf").unwrap();
    std::fs::write(build.join("briefing.epub"), b"previous good epub").unwrap();
    std::fs::write(dir.path().join("sections/one.md"), "# One\n\n{{nope}}\n").unwrap();
    let out = briefbook(&["build", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(build.join("briefing.pdf")).unwrap(), b"previous good pdf");
    assert_eq!(
        std::fs::read(build.join("briefing.epub")).unwrap(),
        b"previous good epub"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&build)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

/// Files over their size limit (`briefbook::limits`) are errors at their name in the
/// manifest. The files are sparse: nothing of them is written to disk.
#[test]
fn files_over_their_size_limit_are_errors() {
    let dir = temp_dir();
    copy_tree(&root().join("tests/suite/base"), dir.path());
    let big = |rel: &str, limit: u64| {
        let f = std::fs::File::create(dir.path().join(rel)).unwrap();
        f.set_len(limit + 1).unwrap();
    };
    big("sections/one.md", briefbook::limits::SECTION_BYTES);
    let out = build_short(dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(
            "briefing.toml:8:13: error: failed to read section file `sections/one.md` \
             (larger than 16 MiB, the limit for this kind of file)"
        ),
        "{stderr}"
    );
    assert!(!dir.path().join("build").exists());
}
