//! A whole briefing folder — manifest, sections, data sets, cover, images — generated
//! from the fuzzer's bytes through `arbitrary` (see `briefbook_fuzz::briefing`), built
//! to both books.
#![no_main]

use briefbook_fuzz::briefing::Briefing;
use briefbook_fuzz::build;
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: briefbook_fuzz::init(), |briefing: Briefing| build(briefing.files()));
