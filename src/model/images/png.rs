//! PNG: the size is read from the IHDR chunk and limited before the decoder starts;
//! checking decodes every row (one row in memory at a time) and reads on to IEND, so a
//! damaged or cut-short file is an error. The PDF writer decodes the file again, with
//! the same settings, for its pixels.

use std::io::Cursor;

use super::data::{check_size, Header, ImageError, ImageFormat};

/// What the decoder may allocate besides the caller's buffer: its row buffers (a row
/// is at most 20,000 pixels × 8 bytes) and the compressed metadata it reads.
const DECODER_BYTES: usize = 16 << 20;

/// A PNG's decoded pixels, as the PDF stores them.
pub struct Pixels {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Colour samples per pixel: 1 (grey) or 3 (RGB).
    pub colour: u8,
    /// Whether an alpha sample follows the colour samples.
    pub alpha: bool,
    /// Bits per sample: 8 or 16 (smaller depths and palettes are expanded to 8).
    pub bits: u8,
    /// The samples, row by row, pixel by pixel; 16-bit samples are big-endian.
    pub samples: Vec<u8>,
}

/// Checks the header and decodes every row.
pub(super) fn check(bytes: &[u8]) -> Result<Header, ImageError> {
    guarded(|| check_unguarded(bytes))
}

/// Runs a decoding step; a panic in the decoder on malformed data is an error for the
/// file (`tests/suite/fuzz/image-bad-palette`).
fn guarded<T>(f: impl FnOnce() -> Result<T, ImageError>) -> Result<T, ImageError> {
    crate::guard::catch(f).unwrap_or_else(|| {
        Err(corrupt_str("its data is malformed (the decoder gave up)"))
    })
}

fn check_unguarded(bytes: &[u8]) -> Result<Header, ImageError> {
    let mut reader = open(bytes)?;
    while reader.next_row().map_err(corrupt)?.is_some() {}
    // Read on to IEND: an image cut short after its last pixel is still cut short,
    // and the EPUB carries the file as it is.
    reader.finish().map_err(corrupt)?;
    let (colour, _) = channels(&reader);
    let info = reader.info();
    Ok(Header { width: info.width, height: info.height, components: colour })
}

/// Decodes the whole image.
pub(super) fn pixels(bytes: &[u8]) -> Result<Pixels, ImageError> {
    guarded(|| pixels_unguarded(bytes))
}

fn pixels_unguarded(bytes: &[u8]) -> Result<Pixels, ImageError> {
    let mut reader = open(bytes)?;
    let size = reader.output_buffer_size().ok_or_else(|| corrupt_str("too large"))?;
    let mut samples = vec![0; size];
    let frame = reader.next_frame(&mut samples).map_err(corrupt)?;
    samples.truncate(frame.buffer_size());
    let (colour, alpha) = channels(&reader);
    let bits = match frame.bit_depth {
        png::BitDepth::Sixteen => 16,
        _ => 8,
    };
    Ok(Pixels { width: frame.width, height: frame.height, colour, alpha, bits, samples })
}

/// A reader for `bytes`, once the size in its header has passed the limits. Palettes,
/// transparency chunks and depths under 8 bits are expanded; 16 bits stay 16.
fn open(bytes: &[u8]) -> Result<png::Reader<Cursor<&[u8]>>, ImageError> {
    let (width, height) = header_size(bytes)?;
    check_size(width, height)?;
    let limits = png::Limits { bytes: DECODER_BYTES };
    let mut decoder = png::Decoder::new_with_limits(Cursor::new(bytes), limits);
    decoder.set_ignore_text_chunk(true);
    decoder.set_transformations(png::Transformations::EXPAND);
    decoder.read_info().map_err(corrupt)
}

/// Width and height from the IHDR chunk, which must come first.
fn header_size(bytes: &[u8]) -> Result<(u32, u32), ImageError> {
    let Some(ihdr) = bytes.get(8..33) else {
        return Err(corrupt_str("the file ends inside its header"));
    };
    if &ihdr[4..8] != b"IHDR" {
        return Err(corrupt_str("it does not start with an IHDR chunk"));
    }
    let word = |at: usize| {
        u32::from_be_bytes([ihdr[at], ihdr[at + 1], ihdr[at + 2], ihdr[at + 3]])
    };
    Ok((word(8), word(12)))
}

/// Colour samples (1 or 3) and whether there is alpha, after expansion.
fn channels(reader: &png::Reader<Cursor<&[u8]>>) -> (u8, bool) {
    match reader.output_color_type().0 {
        png::ColorType::Grayscale => (1, false),
        png::ColorType::GrayscaleAlpha => (1, true),
        png::ColorType::Rgba => (3, true),
        // Indexed images are expanded to RGB (or RGBA, above) and never come out.
        png::ColorType::Rgb | png::ColorType::Indexed => (3, false),
    }
}

/// A decoder error in words.
fn corrupt(e: png::DecodingError) -> ImageError {
    let why = match e {
        png::DecodingError::IoError(e)
            if e.kind() == std::io::ErrorKind::UnexpectedEof =>
        {
            "the file ends before the image does (it is cut short)".into()
        }
        png::DecodingError::LimitsExceeded => {
            "decoding it would need more memory than allowed".into()
        }
        e => e.to_string(),
    };
    ImageError::Corrupt(ImageFormat::Png, why)
}

fn corrupt_str(why: &str) -> ImageError {
    ImageError::Corrupt(ImageFormat::Png, why.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(width: u32, height: u32, colour: png::ColorType, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(colour);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.write_header().unwrap().write_image_data(data).unwrap();
        out
    }

    /// Replaces the IHDR's width and height, with a correct CRC.
    fn with_size(mut file: Vec<u8>, width: u32, height: u32) -> Vec<u8> {
        file[16..20].copy_from_slice(&width.to_be_bytes());
        file[20..24].copy_from_slice(&height.to_be_bytes());
        let crc = crc32(&file[12..29]);
        file[29..33].copy_from_slice(&crc.to_be_bytes());
        file
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    #[test]
    fn a_good_png_checks_and_gives_its_pixels() {
        let file = encode(3, 2, png::ColorType::Rgb, &[7; 18]);
        let header = check(&file).unwrap();
        assert_eq!((header.width, header.height, header.components), (3, 2, 3));
        let p = pixels(&file).unwrap();
        assert_eq!((p.colour, p.alpha, p.bits, p.samples.len()), (3, false, 8, 18));
    }

    #[test]
    fn damaged_files_are_errors() {
        let file = encode(40, 30, png::ColorType::Rgba, &[9; 4800]);
        let cut = &file[..file.len() - 30];
        assert!(
            matches!(check(cut), Err(ImageError::Corrupt(..))),
            "{:?}",
            check(cut).err()
        );
        // Only IEND missing: the pixels decode, but the file is still incomplete.
        let no_end = &file[..file.len() - 12];
        assert!(check(no_end).is_err());
        let mut flipped = file.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x55;
        assert!(check(&flipped).is_err(), "a flipped byte breaks the IDAT CRC");
        assert!(check(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").is_err());
    }

    #[test]
    fn the_size_is_limited_before_decoding() {
        let file = encode(2, 2, png::ColorType::Rgb, &[1; 12]);
        let bomb = with_size(file.clone(), 30_000, 30_000);
        assert_eq!(
            check(&bomb).err(),
            Some(ImageError::TooLarge { width: 30_000, height: 30_000 })
        );
        let empty = with_size(file.clone(), 0, 2);
        assert_eq!(
            check(&empty).err(),
            Some(ImageError::ZeroSize { width: 0, height: 2 })
        );
        // A header that claims more rows than the data holds.
        let liar = with_size(file, 2, 200);
        assert!(matches!(check(&liar), Err(ImageError::Corrupt(..))));
    }
}
