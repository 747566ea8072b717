//! `briefing.toml` from the fuzzer; every section, data set or cover it names exists
//! (a small valid file chosen by its extension), so a manifest that parses builds.
#![no_main]

use briefbook_fuzz::{build, fixtures};
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: briefbook_fuzz::init(), |data: &[u8]| {
    let mut files = fixtures::files_named_in(data);
    files.push(("briefing.toml".into(), data.to_vec()));
    build(files);
});
