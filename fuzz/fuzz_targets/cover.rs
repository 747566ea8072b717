//! The PDF cover template (`[furniture] cover = "cover.txt"`) from the fuzzer, with
//! every book fact set and one plain section.
#![no_main]

use briefbook_fuzz::fixtures::{BOOK, PLAIN_SECTION};
use briefbook_fuzz::{build, file};
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: briefbook_fuzz::init(), |data: &[u8]| {
    let manifest = format!(
        "{BOOK}\n[contents]\nsections = [\"sections/one.md\"]\n\n\
         [furniture]\ncover = \"cover.txt\"\nheader-left = \"{{{{event}}}}\"\n"
    );
    build(vec![
        file("briefing.toml", &manifest),
        file("sections/one.md", PLAIN_SECTION),
        ("cover.txt".into(), data.to_vec()),
    ]);
});
