//! Size limits on the files a briefing hands the build, in one place.
//!
//! A file over its limit is an error that names the file and the limit, before any of
//! it is parsed. The limits are far above what a briefing needs and low enough that
//! memory and time stay bounded (figures from `scripts/bench` and
//! `scripts/bench-hostile`, see docs/performance.md):
//!
//! | file | limit | a real one | why this limit |
//! |---|---|---|---|
//! | `briefing.toml` | 1 MiB | 3 KB (the sample), 8 KB for 200 sections | a bigger file is not a manifest, and it is parsed before anything else is checked |
//! | a section file | 16 MiB | 10 KB a chapter | about 2.5 million words, 8,000 pages; a megabyte of text, hostile or not, takes 0.2–1.6 s and 50–350 MB to build, so a file at the limit stays within about half a minute and a few GB |
//! | a data file | 256 MiB | a few KB | a 50 MB CSV that templates only summarise peaks at 180 MB, so one at the limit at about 1 GB; row offsets are stored in 32 bits |
//! | a template file (the cover) | 1 MiB | 1 KB | a page of text |
//! | an image | 64 MiB | 50–500 KB | a 50-megapixel photograph (the pixel limit, see `model::images`) is well under it as a JPEG or PNG |
//! | a font file in `fonts/` | 64 MiB | 0.5–16 MB (a full CJK face) | the largest real fonts are about 20 MB |

/// The largest `briefing.toml`, in bytes.
pub const MANIFEST_BYTES: u64 = 1 << 20;

/// The largest section file, in bytes.
pub const SECTION_BYTES: u64 = 16 << 20;

/// The largest data file (CSV or TOML), in bytes.
pub const DATA_BYTES: u64 = 256 << 20;

/// The largest template file (the cover template), in bytes.
pub const TEMPLATE_BYTES: u64 = 1 << 20;

/// The largest image file, in bytes.
pub const IMAGE_BYTES: u64 = 64 << 20;

/// The largest font file in the briefing's `fonts/` folder, in bytes.
pub const FONT_BYTES: u64 = 64 << 20;

/// A size in bytes for messages: `16 MiB`, `1 MiB`, `512 KiB`.
pub fn show(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_shown_in_binary_units() {
        assert_eq!(show(SECTION_BYTES), "16 MiB");
        assert_eq!(show(DATA_BYTES), "256 MiB");
        assert_eq!(show(512 << 10), "512 KiB");
        assert_eq!(show(1000), "1000 bytes");
    }
}
