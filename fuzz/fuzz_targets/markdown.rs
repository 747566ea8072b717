//! One section's Markdown (briefing blocks included) from the fuzzer, with a full
//! `[book]`, a small data set (`trade`, `milestones`, `facts`) and two images.
#![no_main]

use briefbook_fuzz::{build, fixtures};
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: briefbook_fuzz::init(), |data: &[u8]| {
    let mut files = fixtures::small_data();
    files.push(briefbook_fuzz::file("briefing.toml", &fixtures::small_manifest()));
    files.push(fixtures::anchors_for(data));
    files.push(("sections/fuzz.md".into(), data.to_vec()));
    build(files);
});
