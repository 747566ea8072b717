//! A checked image: what a file is (decided by its first bytes, never by its name), its
//! size, and the proof that it decodes, held next to the bytes both books embed.

use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::{jpeg, png};

/// The most pixels an image may have (width × height), checked on the header before
/// anything is decoded: 50 million, a 8,660 × 5,773 photograph. Print needs about
/// 3,000 pixels across for a full-width figure, e-readers far fewer.
pub const MAX_PIXELS: u64 = 50_000_000;

/// The longest side an image may have, in pixels (a decoder holds rows this long).
pub const MAX_SIDE: u32 = 20_000;

/// The two formats both books can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// PNG: decoded and stored losslessly in the PDF; copied as is into the EPUB.
    Png,
    /// JPEG (baseline or progressive, 8 bits): copied as is into both books.
    Jpeg,
}

impl ImageFormat {
    /// The format's usual name ("PNG").
    pub fn name(self) -> &'static str {
        match self {
            Self::Png => "PNG",
            Self::Jpeg => "JPEG",
        }
    }

    /// The media type, for the EPUB manifest.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
        }
    }

    /// The file extension used when the source's own does not fit (`png`, `jpg`).
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
        }
    }

    /// Whether `ext` (without the dot, any case) names this format.
    pub fn has_extension(self, ext: &str) -> bool {
        let ext = ext.to_ascii_lowercase();
        match self {
            Self::Png => ext == "png",
            Self::Jpeg => matches!(ext.as_str(), "jpg" | "jpeg" | "jpe" | "jfif"),
        }
    }
}

/// An image file that has been read and decoded: its bytes, format and size. The only
/// way to make one is [`ImageData::decode`], so a value of this type is one that both
/// writers can embed. Cloning shares the bytes.
#[derive(Clone)]
pub struct ImageData(Arc<Checked>);

struct Checked {
    bytes: Vec<u8>,
    hash: [u8; 32],
    format: ImageFormat,
    width: u32,
    height: u32,
    components: u8,
}

/// The size and colour components found by a format's checks.
#[derive(Debug)]
pub(super) struct Header {
    pub width: u32,
    pub height: u32,
    pub components: u8,
}

impl ImageData {
    /// Decides the format from the first bytes, checks the header's size against
    /// [`MAX_PIXELS`] and [`MAX_SIDE`] and decodes every pixel (PNG and JPEG).
    pub fn decode(bytes: Vec<u8>) -> Result<Self, ImageError> {
        let hash = Sha256::digest(&bytes).into();
        Self::decode_hashed(bytes, hash)
    }

    /// [`Self::decode`] for bytes whose SHA-256 is already known.
    pub(super) fn decode_hashed(
        bytes: Vec<u8>,
        hash: [u8; 32],
    ) -> Result<Self, ImageError> {
        let format = sniff(&bytes)?;
        let header = match format {
            ImageFormat::Png => png::check(&bytes)?,
            ImageFormat::Jpeg => jpeg::check(&bytes)?,
        };
        let Header { width, height, components } = header;
        Ok(Self(Arc::new(Checked { bytes, hash, format, width, height, components })))
    }

    /// The file's bytes, as read.
    pub fn bytes(&self) -> &[u8] {
        &self.0.bytes
    }

    /// The SHA-256 of the bytes (names the image in the PDF, keys the caches).
    pub fn hash(&self) -> &[u8; 32] {
        &self.0.hash
    }

    /// The format the content is in.
    pub fn format(&self) -> ImageFormat {
        self.0.format
    }

    /// Width in pixels (at least 1).
    pub fn width(&self) -> u32 {
        self.0.width
    }

    /// Height in pixels (at least 1).
    pub fn height(&self) -> u32 {
        self.0.height
    }

    /// Colour components: for a JPEG those of its frame (1 grey, 3 YCbCr/RGB, 4 CMYK);
    /// for a PNG those of its decoded pixels without alpha (1 grey, 3 RGB).
    pub fn components(&self) -> u8 {
        self.0.components
    }

    /// A PNG's pixels, decoded again (for the PDF, which stores them losslessly).
    /// They decoded when the image was checked, so an error here is a bug.
    pub fn png_pixels(&self) -> Result<png::Pixels, ImageError> {
        png::pixels(&self.0.bytes)
    }
}

impl PartialEq for ImageData {
    fn eq(&self, other: &Self) -> bool {
        self.0.hash == other.0.hash
    }
}

impl std::hash::Hash for ImageData {
    // The SHA-256 of the bytes stands for the image (equal bytes decode alike).
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash.hash(state);
    }
}

impl std::fmt::Debug for ImageData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = &self.0;
        write!(
            f,
            "ImageData({} {}x{}, {} bytes)",
            c.format.name(),
            c.width,
            c.height,
            c.bytes.len()
        )
    }
}

/// Why an image cannot go into the books.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ImageError {
    /// The file has no bytes.
    Empty,
    /// A known format the books cannot show ("a GIF image").
    Unsupported(&'static str),
    /// Text, not an image.
    Text,
    /// Not a format we recognise.
    Unknown,
    /// The header gives no pixels.
    ZeroSize {
        /// Width from the header.
        width: u32,
        /// Height from the header.
        height: u32,
    },
    /// The header gives more pixels than the limits allow.
    TooLarge {
        /// Width from the header.
        width: u32,
        /// Height from the header.
        height: u32,
    },
    /// A kind of PNG or JPEG the books cannot use (12-bit or lossless JPEG, say).
    Variant(ImageFormat, String),
    /// The file does not decode: damaged, cut short, or its header does not match
    /// its data.
    Corrupt(ImageFormat, String),
}

impl ImageError {
    /// The message, for the image written as `src`.
    pub fn message(&self, src: &str) -> String {
        match self {
            Self::Empty => format!("image `{src}` is an empty file"),
            Self::Unsupported(kind) => {
                format!("image `{src}` is {kind}, which the books cannot show")
            }
            Self::Text => format!("`{src}` is a text file, not an image"),
            Self::Unknown => format!("`{src}` is not a PNG or JPEG image"),
            Self::ZeroSize { width, height } => {
                format!("image `{src}` has no pixels ({width} × {height})")
            }
            Self::TooLarge { width, height } => format!(
                "image `{src}` is {width} × {height} pixels, more than the books accept"
            ),
            Self::Variant(format, what) => {
                format!(
                    "image `{src}` is {what}, a kind of {} the books cannot use",
                    format.name()
                )
            }
            Self::Corrupt(format, why) => {
                format!("image `{src}` is not a valid {} file: {why}", format.name())
            }
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        const CONVERT: &str = "save it as a PNG (drawings, maps, screenshots) or a JPEG \
                               (photographs): the only formats both books can show";
        match self {
            Self::Unsupported("an SVG drawing") => {
                "export the drawing as a PNG, about 2,000 pixels wide for a full-width \
                 figure"
                    .into()
            }
            Self::Empty | Self::Unsupported(_) => CONVERT.into(),
            Self::Text | Self::Unknown => {
                format!("the format is decided by the content, not the name; {CONVERT}")
            }
            Self::ZeroSize { .. } | Self::Corrupt(..) => {
                "the file is damaged or incomplete: export or download it again".into()
            }
            Self::TooLarge { .. } => format!(
                "the limits are {} megapixels and {MAX_SIDE} pixels a side; scale it \
                 down (3,000 pixels across is plenty for a full-width figure in print)",
                MAX_PIXELS / 1_000_000
            ),
            Self::Variant(..) => {
                "save it again as an ordinary 8-bit JPEG (baseline or progressive)".into()
            }
        }
    }
}

/// The size checks every format's header goes through before anything is decoded.
pub(super) fn check_size(width: u32, height: u32) -> Result<(), ImageError> {
    if width == 0 || height == 0 {
        return Err(ImageError::ZeroSize { width, height });
    }
    if width > MAX_SIDE
        || height > MAX_SIDE
        || u64::from(width) * u64::from(height) > MAX_PIXELS
    {
        return Err(ImageError::TooLarge { width, height });
    }
    Ok(())
}

/// The format of a file, from its first bytes.
fn sniff(bytes: &[u8]) -> Result<ImageFormat, ImageError> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    let at = |offset: usize, magic: &[u8]| {
        bytes.get(offset..offset + magic.len()).is_some_and(|b| b == magic)
    };
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Ok(ImageFormat::Png);
    }
    if starts(&[0xFF, 0xD8, 0xFF]) {
        return Ok(ImageFormat::Jpeg);
    }
    if bytes.is_empty() {
        return Err(ImageError::Empty);
    }
    let kind = if starts(b"GIF87a") || starts(b"GIF89a") {
        "a GIF image"
    } else if starts(b"RIFF") && at(8, b"WEBP") {
        "a WebP image"
    } else if at(4, b"ftypavif") || at(4, b"ftypavis") {
        "an AVIF image"
    } else if at(4, b"ftyphei") || at(4, b"ftypmif1") || at(4, b"ftypheix") {
        "a HEIC image"
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        "a TIFF image"
    } else if starts(b"BM") {
        "a BMP image"
    } else if starts(&[0, 0, 1, 0]) {
        "an icon file"
    } else if starts(b"\0\0\0\x0cjP  ") || starts(&[0xFF, 0x4F, 0xFF, 0x51]) {
        "a JPEG 2000 image"
    } else if starts(&[0xFF, 0x0A]) || starts(b"\0\0\0\x0cJXL ") {
        "a JPEG XL image"
    } else if starts(b"%PDF") {
        "a PDF file"
    } else if starts(b"8BPS") {
        "a Photoshop file"
    } else if is_svg(bytes) {
        "an SVG drawing"
    } else if is_text(bytes) {
        return Err(ImageError::Text);
    } else {
        return Err(ImageError::Unknown);
    };
    Err(ImageError::Unsupported(kind))
}

/// Text whose first kilobyte has an `<svg` element.
fn is_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    is_text(head) && head.windows(4).any(|w| w.eq_ignore_ascii_case(b"<svg"))
}

/// No NUL or other control bytes (but tabs and line ends) in the first kilobyte, and
/// UTF-8 there (a character cut at the kilobyte's end is allowed).
fn is_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let utf8 = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    utf8 && head.iter().all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_content() {
        assert_eq!(sniff(b""), Err(ImageError::Empty));
        assert_eq!(sniff(b"GIF89a\x01\x00"), Err(ImageError::Unsupported("a GIF image")));
        assert_eq!(
            sniff(b"RIFF\x10\0\0\0WEBPVP8 "),
            Err(ImageError::Unsupported("a WebP image"))
        );
        assert_eq!(
            sniff(b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<svg xmlns=\"x\"/>"),
            Err(ImageError::Unsupported("an SVG drawing"))
        );
        assert_eq!(sniff(b"[book]\ntitle = \"x\"\n"), Err(ImageError::Text));
        assert_eq!(sniff(&[0x00, 0x9F, 0x42, 0x07]), Err(ImageError::Unknown));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Ok(ImageFormat::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Ok(ImageFormat::Jpeg));
    }

    #[test]
    fn sizes_are_limited_before_decoding() {
        assert_eq!(check_size(0, 5), Err(ImageError::ZeroSize { width: 0, height: 5 }));
        assert!(check_size(MAX_SIDE, 2_500).is_ok());
        assert!(check_size(MAX_SIDE + 1, 1).is_err());
        assert!(check_size(8_000, 7_000).is_err(), "56 megapixels");
        assert!(check_size(30_000, 30_000).is_err());
    }

    #[test]
    fn extensions_are_matched_without_case() {
        assert!(ImageFormat::Jpeg.has_extension("JPEG"));
        assert!(ImageFormat::Png.has_extension("Png"));
        assert!(!ImageFormat::Png.has_extension("jpg"));
    }
}
