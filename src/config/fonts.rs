//! The fonts compiled into the binary, and the default fallback order.

/// (family, bold, italic, file bytes) of the fonts compiled into the binary.
pub const BUNDLED_FONTS: &[(&str, bool, bool, &[u8])] = &[
    ("Noto Serif", false, false, include_bytes!("../../fonts/NotoSerif-Regular.ttf")),
    ("Noto Serif", true, false, include_bytes!("../../fonts/NotoSerif-Bold.ttf")),
    ("Noto Serif", false, true, include_bytes!("../../fonts/NotoSerif-Italic.ttf")),
    ("Noto Serif", true, true, include_bytes!("../../fonts/NotoSerif-BoldItalic.ttf")),
    ("Noto Sans", false, false, include_bytes!("../../fonts/NotoSans-Regular.ttf")),
    ("Noto Sans", true, false, include_bytes!("../../fonts/NotoSans-Bold.ttf")),
    ("Noto Sans", false, true, include_bytes!("../../fonts/NotoSans-Italic.ttf")),
    (
        "Noto Sans Mono",
        false,
        false,
        include_bytes!("../../fonts/NotoSansMono-Regular.ttf"),
    ),
    (
        "Droid Sans Fallback",
        false,
        false,
        include_bytes!("../../fonts/DroidSansFallbackFull.ttf"),
    ),
    // Minus sign, arrows and other symbols the Debian Noto text fonts lack.
    (
        "Noto Sans Math",
        false,
        false,
        include_bytes!("../../fonts/NotoSansMath-Regular.ttf"),
    ),
];

/// Families tried in order for characters the chosen family lacks, unless `[fonts]
/// fallback` says otherwise.
pub const DEFAULT_FALLBACK_FONTS: [&str; 4] =
    ["Noto Serif", "Noto Sans", "Noto Sans Math", "Droid Sans Fallback"];

/// The file of a bundled face, for writers that draw text themselves (the EPUB cover).
pub fn bundled_face(family: &str, bold: bool, italic: bool) -> Option<&'static [u8]> {
    BUNDLED_FONTS
        .iter()
        .find(|(f, b, i, _)| f.eq_ignore_ascii_case(family) && *b == bold && *i == italic)
        .map(|(.., bytes)| *bytes)
}
