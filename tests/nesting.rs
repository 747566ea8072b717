//! Nesting limits: input nested deeper than the limit (`briefbook::nesting::LIMIT`) is
//! an error at the place where the limit is crossed, never a stack overflow; input
//! nested exactly to the limit builds.
//!
//! Each build runs the whole pipeline (load, expand, model, layout, PDF, EPUB) on a
//! thread with a small stack (see `STACK`), so a recursive path that merely fits in the
//! 8 MB main-thread stack still fails here. A stack overflow aborts the test process.

mod harness;

use std::path::Path;

use briefbook::diag::{Diagnostic, SourceMap};
use briefbook::nesting::LIMIT;
use harness::*;

/// Far deeper than any stack could follow, one level per few bytes of input.
const DEEP: usize = 100_000;
/// As deep as fits in a manifest or cover template (1 MiB each, `briefbook::limits`): at
/// 19 bytes a level, 100,000 levels of `{{#if}}` would be refused for their size first.
const DEEP_IN_1_MIB: usize = 50_000;

/// The stack the pipeline runs on. Measured on these cases, input at the limits needs
/// at most 640 KiB in an unoptimised (test) build and 160 KiB in an optimised one (64
/// nested `{{#if}}` blocks in the cover template: handlebars renders each level in
/// several frames; 64 nested lists need 512 and 128 KiB). This leaves some margin and is
/// an eighth (optimised: a thirty-second) of the 8 MB main thread, while a path that
/// recursed once per level of a 100,000-level input would need megabytes even at 50
/// bytes a level.
const STACK: usize = if cfg!(debug_assertions) { 1024 * 1024 } else { 256 * 1024 };

/// A copy of the base fixture.
fn briefing() -> tempfile::TempDir {
    let dir = temp_dir();
    copy_tree(&root().join("tests/suite/base"), dir.path());
    dir
}

/// The base fixture with `sections/one.md` = `# A`, a blank line, then `body` (so
/// `body` starts on line 3).
fn section(body: &str) -> tempfile::TempDir {
    let dir = briefing();
    write(dir.path(), "sections/one.md", &format!("# A\n\n{body}\n"));
    dir
}

fn write(dir: &Path, rel: &str, text: &str) {
    std::fs::write(dir.join(rel), text).unwrap();
}

fn append(dir: &Path, rel: &str, text: &str) {
    let old = std::fs::read_to_string(dir.join(rel)).unwrap();
    write(dir, rel, &format!("{old}{text}"));
}

/// Builds the briefing in `dir` in memory, on a thread with a `STACK`-byte stack.
/// Returns the errors as `file:line:col: message`.
fn build(dir: &Path) -> Result<(), Vec<String>> {
    let dir = dir.to_path_buf();
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || pipeline(&dir))
        .unwrap()
        .join()
        .expect("the build panicked")
}

/// What `briefbook build` does, without writing: load, expand, model, layout, export.
fn pipeline(dir: &Path) -> Result<(), Vec<String>> {
    let mut sources = SourceMap::default();
    let mut warnings = Vec::new();
    let options = briefbook::source::LoadOptions {
        source_date_epoch: Some(0),
        ..Default::default()
    };
    let shown = |sources: &SourceMap, errors: Vec<Diagnostic>| -> Vec<String> {
        let at = |d: &Diagnostic| d.span.as_ref().map(|s| sources.locate(s));
        errors
            .iter()
            .map(|d| format!("{}: {}", at(d).unwrap_or_default(), d.message))
            .collect()
    };
    let world = briefbook::world::World::new(dir).expect("the fixture folder opens");
    let compiled =
        briefbook::compile::compile(&world, &mut sources, &options, &mut warnings)
            .map_err(|e| shown(&sources, e))?;
    let (document, layout) = (&compiled.document, &compiled.project.layout);
    let (paged, _) = briefbook::layout::layout_document(document, layout)
        .map_err(|e| shown(&sources, e))?;
    briefbook::export::pdf::export_pdf(&paged, &document.meta)
        .map_err(|e| shown(&sources, e))?;
    briefbook::export::epub::export_epub(document).map_err(|e| shown(&sources, e))?;
    Ok(())
}

/// What nests, as the messages name it.
const BLOCKS: &str = "block quotes, lists and asides";
const INLINES: &str = "emphasis, links and strikethrough";
const TEMPLATE: &str = "handlebars blocks and subexpressions";
const TOML: &str = "TOML tables and arrays";

/// The build fails with exactly one error: `what` nested too deeply, at `at`.
fn assert_too_deep(dir: &Path, at: &str, what: &str) {
    assert_error(dir, &format!("{at}: {what} are nested more than {LIMIT} levels deep"));
}

/// The build fails with exactly one error, `expected` (`file:line:col: message`).
fn assert_error(dir: &Path, expected: &str) {
    let errors = build(dir).expect_err("the build should fail");
    assert_eq!(errors, [expected]);
}

fn assert_builds(dir: &Path) {
    if let Err(errors) = build(dir) {
        panic!("the build failed:\n{}", errors.join("\n"));
    }
}

/// The build fails, but not for nesting (the input is at the limit, and wrong in
/// another way: TOML whose schema has no deep values).
fn assert_fails_for_another_reason(dir: &Path, expected: &str) {
    let errors = build(dir).expect_err("the build should fail");
    assert!(errors.iter().all(|e| !e.contains("nested more than")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains(expected)), "{errors:?}");
}

/// `n` copies of `open`, then `middle`, then `n` copies of `close`.
fn nest(open: &str, middle: &str, close: &str, n: usize) -> String {
    format!("{}{middle}{}", open.repeat(n), close.repeat(n))
}

/// 1-based line and column of byte `at` of `text` (ASCII).
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let line = text[..at].matches('\n').count() + 1;
    (line, at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1)
}

// ---- Markdown blocks ----

#[test]
fn block_quotes() {
    // The 65th `>` is in column 65.
    let dir = section(&format!("{} x", ">".repeat(DEEP)));
    assert_too_deep(dir.path(), &format!("sections/one.md:3:{}", LIMIT + 1), BLOCKS);
    assert_builds(section(&format!("{} x", ">".repeat(LIMIT))).path());
}

#[test]
fn bullet_lists() {
    let dir = section(&format!("{}x", "- ".repeat(DEEP)));
    assert_too_deep(dir.path(), &format!("sections/one.md:3:{}", 2 * LIMIT + 1), BLOCKS);
    assert_builds(section(&format!("{}x", "- ".repeat(LIMIT))).path());
}

#[test]
fn ordered_lists() {
    let dir = section(&format!("{}x", "1. ".repeat(DEEP)));
    assert_too_deep(dir.path(), &format!("sections/one.md:3:{}", 3 * LIMIT + 1), BLOCKS);
    assert_builds(section(&format!("{}x", "1. ".repeat(LIMIT))).path());
}

#[test]
fn quotes_and_lists_mixed() {
    // Three levels per `> - 1. `: the 64th level is the 22nd `>`, the 65th its `-`.
    let dir = section(&format!("{}x", "> - 1. ".repeat(DEEP / 3)));
    let col = 7 * (LIMIT / 3) + 2 + 1;
    assert_too_deep(dir.path(), &format!("sections/one.md:3:{col}"), BLOCKS);
    let at_limit = format!("{}{}x", "> - 1. ".repeat(LIMIT / 3), "> ".repeat(LIMIT % 3));
    assert_builds(section(&at_limit).path());
    // A paragraph and a second item at every level, so the layout has more to do.
    let loose: String = (0..LIMIT)
        .map(|i| {
            format!("{}- item {i}\n\n{}  more {i}\n", "  ".repeat(i), "  ".repeat(i))
        })
        .collect();
    assert_builds(section(&loose).path());
}

#[test]
fn an_asides_text_counts_inside_the_aside() {
    // The aside is a level of its own; an error in its text points into the text (line
    // 5: the heading, a blank line, the fence and `text = """` come first), at the quote
    // that opens the level past the limit, and names the key.
    let aside =
        |n: usize| format!("```aside\ntext = \"\"\"\n{} x\n\"\"\"\n```", ">".repeat(n));
    let expected = format!(
        "sections/one.md:5:{LIMIT}: {BLOCKS} are nested more than {LIMIT} levels deep (in `text`)"
    );
    assert_builds(section(&aside(LIMIT - 1)).path());
    assert_error(section(&aside(LIMIT)).path(), &expected);
    assert_error(section(&aside(DEEP)).path(), &expected);
}

#[test]
fn each_element_that_nests_too_deeply_is_reported() {
    // A footnote (one level itself) and a heading: each gets one error, and nothing is
    // reported for their content having been left out.
    let text = format!(
        "Text[^n].\n\n[^n]: {}x\n\n## {}\n",
        "> ".repeat(DEEP),
        nest("*a ", "x", " b*", DEEP)
    );
    let errors = build(section(&text).path()).unwrap_err();
    let message = |what| format!("{what} are nested more than {LIMIT} levels deep");
    let note = format!("sections/one.md:5:{}: {}", 7 + 2 * (LIMIT - 1), message(BLOCKS));
    let heading = format!("sections/one.md:7:{}: {}", 4 + 3 * LIMIT, message(INLINES));
    assert_eq!(errors, [note, heading]);
}

// ---- Markdown inlines ----

#[test]
fn emphasis() {
    let dir = section(&nest("*a ", "x", " b*", DEEP));
    assert_too_deep(dir.path(), &format!("sections/one.md:3:{}", 3 * LIMIT + 1), INLINES);
    assert_builds(section(&nest("*a ", "x", " b*", LIMIT)).path());
}

#[test]
fn strong_emphasis() {
    let dir = section(&nest("**a ", "x", " b**", DEEP));
    assert_too_deep(dir.path(), &format!("sections/one.md:3:{}", 4 * LIMIT + 1), INLINES);
    assert_builds(section(&nest("**a ", "x", " b**", LIMIT)).path());
}

#[test]
fn strikethrough() {
    let dir = section(&nest("~~a ", "x", " b~~", DEEP));
    assert_too_deep(dir.path(), &format!("sections/one.md:3:{}", 4 * LIMIT + 1), INLINES);
    assert_builds(section(&nest("~~a ", "x", " b~~", LIMIT)).path());
}

#[test]
fn images_and_links() {
    // Links cannot hold links, but an image's description can hold images.
    let dir = section(&nest("![a ", "x", "](i.png)", DEEP));
    assert_too_deep(dir.path(), &format!("sections/one.md:3:{}", 4 * LIMIT + 1), INLINES);
    // A link around every kind of emphasis, 64 levels in all.
    let kinds = [("*a ", " b*"), ("**a ", " b**"), ("~~a ", " b~~")];
    let inner = (0..LIMIT - 1).rev().fold("x".to_string(), |inner, i| {
        let (open, close) = kinds[i % 3];
        format!("{open}{inner}{close}")
    });
    assert_builds(section(&format!("[{inner}](https://example.org)")).path());
}

// ---- Handlebars ----

#[test]
fn template_blocks() {
    let dir = section(&nest("{{#if true}}", "x", "{{/if}}", DEEP));
    let col = 12 * LIMIT + 1;
    assert_too_deep(dir.path(), &format!("sections/one.md:3:{col}"), TEMPLATE);
    assert_builds(section(&nest("{{#if true}}", "x", "{{/if}}", LIMIT)).path());
    let each = nest("{{#each @root.data.trade}}", "{{@index}}", "{{/each}}", 3);
    let mixed = nest("{{#if true}}", &each, "{{/if}}", LIMIT - 3);
    assert_builds(section(&mixed).path());
}

#[test]
fn template_subexpressions() {
    let deep = |n: usize| format!("{{{{num {}}}}}", nest("(add 1 ", "1", ")", n));
    let dir = section(&deep(DEEP));
    let col = 6 + 7 * LIMIT + 1;
    assert_too_deep(dir.path(), &format!("sections/one.md:3:{col}"), TEMPLATE);
    assert_builds(section(&deep(LIMIT)).path());
}

#[test]
fn template_else_if_chains() {
    // Each `{{else if}}` nests inside the one before it; with the `{{#if}}` that opens
    // the chain, 63 links make 64 levels.
    let chain = |n: usize| {
        format!(
            "{{{{#if false}}}}a{}{{{{else}}}}c{{{{/if}}}}",
            "{{else if false}}b".repeat(n)
        )
    };
    let dir = section(&chain(DEEP));
    let col = 14 + 18 * (LIMIT - 1) + 1;
    assert_too_deep(dir.path(), &format!("sections/one.md:3:{col}"), TEMPLATE);
    assert_builds(section(&chain(LIMIT - 1)).path());
}

#[test]
fn cover_template() {
    let cover = |n: usize| {
        format!("[middle]\ntitle: {}\n", nest("{{#if true}}", "{{title}}", "{{/if}}", n))
    };
    let dir = briefing();
    append(dir.path(), "briefing.toml", "\n[furniture]\ncover = \"cover.hbs\"\n");
    write(dir.path(), "cover.hbs", &cover(DEEP));
    let too_big = build(dir.path()).expect_err("a 1.9 MB cover template is refused");
    assert!(too_big[0].contains("larger than 1 MiB"), "{too_big:?}");
    write(dir.path(), "cover.hbs", &cover(DEEP_IN_1_MIB));
    assert_too_deep(dir.path(), &format!("cover.hbs:2:{}", 8 + 12 * LIMIT), TEMPLATE);
    write(dir.path(), "cover.hbs", &cover(LIMIT));
    assert_builds(dir.path());
}

#[test]
fn furniture_templates() {
    let slot = |n: usize| nest("{{#if true}}", "{{title}}", "{{/if}}", n);
    let dir = briefing();
    let manifest = std::fs::read_to_string(dir.path().join("briefing.toml")).unwrap();
    let text =
        format!("{manifest}\n[furniture]\nheader-left = \"{}\"\n", slot(DEEP_IN_1_MIB));
    write(dir.path(), "briefing.toml", &text);
    let start = text.find("header-left = \"").unwrap() + 15;
    let (line, col) = line_col(&text, start + 12 * LIMIT);
    assert_too_deep(dir.path(), &format!("briefing.toml:{line}:{col}"), TEMPLATE);
    let text = format!("{manifest}\n[furniture]\nheader-left = '{}'\n", slot(LIMIT));
    write(dir.path(), "briefing.toml", &text);
    assert_builds(dir.path());
}

#[test]
fn template_partials() {
    // An inline partial that includes itself would be rendered until the stack ran out.
    let dir = section("{{#*inline \"p\"}}x{{> p}}{{/inline}}{{> p}}");
    let message = "handlebars partials (`{{> name}}`) are not supported";
    assert_error(dir.path(), &format!("sections/one.md:3:18: {message}"));
}

// ---- TOML ----

/// `deep = [[[…1…]]]` with `n` arrays: the outermost at level 1, so the 65th `[` is
/// in column 8 + 64.
fn deep_array(n: usize) -> String {
    format!("deep = {}\n", nest("[", "1", "]", n))
}

#[test]
fn manifest() {
    let dir = briefing();
    let manifest = std::fs::read_to_string(dir.path().join("briefing.toml")).unwrap();
    write(dir.path(), "briefing.toml", &format!("{}{manifest}", deep_array(DEEP)));
    assert_too_deep(dir.path(), &format!("briefing.toml:1:{}", 8 + LIMIT), TOML);
    // Nothing in the manifest nests deeply, so a deep value is an unknown key.
    write(dir.path(), "briefing.toml", &format!("{}{manifest}", deep_array(LIMIT)));
    assert_fails_for_another_reason(dir.path(), "unknown field `deep`");
}

#[test]
fn front_matter() {
    let front = |n: usize| format!("+++\n{}+++\n# A\n", deep_array(n));
    let dir = briefing();
    write(dir.path(), "sections/one.md", &front(DEEP));
    assert_too_deep(dir.path(), &format!("sections/one.md:2:{}", 8 + LIMIT), TOML);
    write(dir.path(), "sections/one.md", &front(LIMIT));
    assert_fails_for_another_reason(dir.path(), "unknown field `deep`");
}

#[test]
fn briefing_blocks() {
    let block = |n: usize| format!("```keyfigures\n{}```", deep_array(n));
    let dir = section(&block(DEEP));
    assert_too_deep(dir.path(), &format!("sections/one.md:4:{}", 8 + LIMIT), TOML);
    let dir = section(&block(LIMIT));
    assert_fails_for_another_reason(dir.path(), "unknown field `deep`");
}

/// The base fixture with a TOML data set `deep` (the file's text given), which the
/// section reads.
fn with_data(text: &str) -> tempfile::TempDir {
    let dir = section("Deep: {{#if data.deep}}yes{{/if}}.");
    append(dir.path(), "briefing.toml", "\n[data.deep]\npath = \"data/deep.toml\"\n");
    write(dir.path(), "data/deep.toml", text);
    dir
}

#[test]
fn data_files() {
    let dir = with_data(&deep_array(DEEP));
    assert_too_deep(dir.path(), &format!("data/deep.toml:1:{}", 8 + LIMIT), TOML);
    assert_builds(with_data(&deep_array(LIMIT)).path());

    let tables = |n: usize| format!("deep = {}\n", nest("{a = ", "1", "}", n));
    let dir = with_data(&tables(DEEP));
    assert_too_deep(dir.path(), &format!("data/deep.toml:1:{}", 8 + 5 * LIMIT), TOML);
    assert_builds(with_data(&tables(LIMIT)).path());

    let header = |n: usize| format!("[{}]\nx = 1\n", vec!["a"; n].join("."));
    let dir = with_data(&header(DEEP));
    assert_too_deep(dir.path(), &format!("data/deep.toml:1:{}", 2 + 2 * LIMIT), TOML);
    assert_builds(with_data(&header(LIMIT)).path());

    // Arrays of tables take two levels each (the array and its entry).
    let arrays: String = (1..=LIMIT / 2)
        .map(|n| format!("[[{}]]\nx = {n}\n", vec!["a"; n].join(".")))
        .collect();
    assert_builds(with_data(&arrays).path());
    let over = format!("{arrays}[[{}]]\n", vec!["a"; LIMIT / 2 + 1].join("."));
    let line = LIMIT / 2 * 2 + 1;
    let at = format!("data/deep.toml:{line}:{}", 2 + 2 * (LIMIT / 2) + 1);
    assert_too_deep(with_data(&over).path(), &at, TOML);
}

// ---- Through the binary ----

#[test]
fn the_binary_reports_the_error_and_writes_nothing() {
    let dir = section(&format!("{} x", ">".repeat(DEEP)));
    let out = build_short(dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let expected = format!(
        "sections/one.md:3:65: error: {BLOCKS} are nested more than {LIMIT} levels deep"
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(!dir.path().join("build").exists(), "a failed build wrote output");
}
