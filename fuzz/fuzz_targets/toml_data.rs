//! A TOML data set from the fuzzer (after one selector byte), read by a fixed section:
//! as free-form data (`#each` over its keys) or as `[[rows]]` through the helpers, the
//! `table` helper, a chart or a timeline. The selector byte works as in the `csv` target.
#![no_main]

use briefbook_fuzz::data_target::{build_data, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: briefbook_fuzz::init(), |data: &[u8]| build_data(data, Format::Toml));
