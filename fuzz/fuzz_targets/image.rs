//! Image bytes from the fuzzer (PNG or JPEG, or anything), shown three times in a
//! section: as `images/fuzz.png` with a caption, as `images/fuzz.jpg` (the EPUB takes
//! the media type from the extension; layout and the PDF look at the bytes), and in an
//! aside.
#![no_main]

use briefbook_fuzz::{build, file, fixtures};
use libfuzzer_sys::fuzz_target;

const SECTION: &str = r#"# Images

Text before the image.

![A picture from the fuzzer](images/fuzz.png "The caption")

More text, then the same file again.

![The same bytes](images/fuzz.jpg)

```aside
title = "In an aside"
text = """
![Inside](images/fuzz.png)
"""
```
"#;

fuzz_target!(init: briefbook_fuzz::init(), |data: &[u8]| {
    let mut files = fixtures::small_data();
    files.push(file("briefing.toml", &fixtures::small_manifest()));
    files.push(file("sections/fuzz.md", SECTION));
    files.push(fixtures::anchors_for(b""));
    files.push(("images/fuzz.png".into(), data.to_vec()));
    files.push(("images/fuzz.jpg".into(), data.to_vec()));
    build(files);
});
