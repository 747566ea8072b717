//! A CSV data set from the fuzzer (after one selector byte), read by a fixed section
//! through the helpers, the `table` helper, a chart or a timeline.
//!
//! Selector byte `s`: `s % 3` picks the section (0: any columns — `count`, `table`,
//! `#each`; 1: numeric `year`/`value` columns — aggregates, `row`, charts; 2: `when`/
//! `event`/`detail` — a timeline), and `s / 3 % 2` whether the manifest declares the
//! column types or leaves them to inference.
#![no_main]

use briefbook_fuzz::data_target::{build_data, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: briefbook_fuzz::init(), |data: &[u8]| build_data(data, Format::Csv));
