//! One section template from the fuzzer, expanded with the sample book's manifest and
//! every data set of the sample and the chart fixtures in scope (`trade`, `tourism`,
//! `milestones`, `states`, `exports`, `many`, `facts`).
#![no_main]

use briefbook_fuzz::{build, fixtures};
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: briefbook_fuzz::init(), |data: &[u8]| {
    let mut files = fixtures::sample_data();
    files.push(fixtures::anchors_for(data));
    files.push(("sections/fuzz.md".into(), data.to_vec()));
    build(files);
});
