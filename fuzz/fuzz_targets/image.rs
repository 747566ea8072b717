//! Image bytes from the fuzzer (PNG or JPEG, or anything), shown twice in a section:
//! once with a caption at full width, once inside a list item's aside-free flow.
#![no_main]

use briefbook_fuzz::{build, file, fixtures};
use libfuzzer_sys::fuzz_target;

const SECTION: &str = r#"# Images

Text before the image.

![A picture from the fuzzer](images/fuzz.img "The caption")

More text, then the same file again.

![The same picture](images/fuzz.img)

```aside
title = "In an aside"
text = """
![Inside](images/fuzz.img)
"""
```
"#;

fuzz_target!(init: briefbook_fuzz::init(), |data: &[u8]| {
    let mut files = fixtures::small_data();
    files.push(file("briefing.toml", &fixtures::small_manifest()));
    files.push(file("sections/fuzz.md", SECTION));
    files.push(("images/fuzz.img".into(), data.to_vec()));
    build(files);
});
