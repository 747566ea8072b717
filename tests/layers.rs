//! The modules form layers that point one way: a module may name `crate::X` only for X
//! in its own layer or one below it. The order is the pipeline's (see "Layers" in
//! docs/architecture.md); this test reads every file under `src/` and lists each place
//! that names a module above its own.

use std::path::{Path, PathBuf};

/// The layers, lowest first. Modules in one layer may name each other.
const LAYERS: &[&[&str]] = &[
    // Ground floor: diagnostics, limits, the file layer, the memo, nesting checks.
    &["diag", "limits", "guard", "memo", "world", "nesting"],
    // Words, numbers and dates of the book's language; lengths, points and colours.
    &["numbers", "locale", "geom"],
    // The book's settings: facts, page geometry, fonts, furniture and cover templates.
    &["config"],
    // The stages, in pipeline order.
    &["source"],
    &["template"],
    &["model"],
    &["chart"],
    &["layout"],
    &["export"],
    // Running the stages: one compile, the whole build, the command line.
    &["compile"],
    // Numbered copies: an edition's layout with each copy's cover, furniture and
    // watermark, written as the build asks.
    &["copies", "build"],
    &["cli"],
];

/// Files above every layer: the crate root and the binary.
const ROOTS: &[&str] = &["lib.rs", "main.rs"];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module names a file's text refers to through `crate::`, with their line numbers:
/// `crate::x::…` and each item of `crate::{x, y::…}`.
fn crate_names(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let line_of = |at: usize| text[..at].matches('\n').count() + 1;
    let ident = |s: &str| -> String {
        s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
    };
    let mut from = 0;
    while let Some(i) = text[from..].find("crate::") {
        let at = from + i;
        from = at + "crate::".len();
        // `briefbook_crate::` or `foocrate::` are not the crate root.
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &text[from..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level items of the group, up to its closing brace.
            let (mut depth, mut start) = (0usize, 0usize);
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        push_item(
                            &group[start..j],
                            from + 1 + start,
                            &ident,
                            &line_of,
                            &mut out,
                        );
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        push_item(
                            &group[start..j],
                            from + 1 + start,
                            &ident,
                            &line_of,
                            &mut out,
                        );
                        start = j + 1;
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.push((line_of(at), name));
            }
        }
    }
    out
}

fn push_item(
    item: &str,
    at: usize,
    ident: &dyn Fn(&str) -> String,
    line_of: &dyn Fn(usize) -> usize,
    out: &mut Vec<(usize, String)>,
) {
    let lead = item.len() - item.trim_start().len();
    let name = ident(item.trim_start());
    if !name.is_empty() && name != "self" {
        out.push((line_of(at + lead), name));
    }
}

#[test]
fn every_module_names_only_its_layer_or_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut unplaced = Vec::new();
    let mut upward = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_str().unwrap();
        if ROOTS.contains(&first) {
            continue;
        }
        let module = first.strip_suffix(".rs").unwrap_or(first);
        let Some(own) = layer_of(module) else {
            unplaced.push(module.to_string());
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (line, name) in crate_names(&text) {
            match layer_of(&name) {
                Some(theirs) if theirs > own => upward.push(format!(
                    "src/{}:{line}: `{module}` (layer {own}) names `crate::{name}` (layer {theirs})",
                    rel.display()
                )),
                Some(_) => {}
                // Items of lib.rs itself (`crate::build()`, re-exports) are the top.
                None if module_exists(&src, &name) => unplaced.push(name),
                None => {}
            }
        }
    }
    unplaced.sort();
    unplaced.dedup();
    assert!(
        unplaced.is_empty(),
        "modules missing from LAYERS in tests/layers.rs (give each a layer): {unplaced:?}"
    );
    assert!(
        upward.is_empty(),
        "a module names one above its layer (move the item down, or pass it in):\n{}",
        upward.join("\n")
    );
}

fn module_exists(src: &Path, name: &str) -> bool {
    src.join(format!("{name}.rs")).is_file() || src.join(name).join("mod.rs").is_file()
}

#[test]
fn the_scanner_sees_paths_and_groups() {
    let text = "use crate::geom::Pt;\nuse crate::{\n    diag::Span,\n    layout::{A, B},\n};\nlet x = crate::model::plain_text(y);\nnotcrate::chart::x;\n";
    let names: Vec<(usize, String)> = crate_names(text);
    let want = [(1, "geom"), (3, "diag"), (4, "layout"), (6, "model")];
    assert_eq!(names, want.map(|(l, n)| (l, n.to_string())));
}
