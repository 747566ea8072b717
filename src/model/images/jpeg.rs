//! JPEG: the frame header (SOF) is found by walking the marker segments and judged
//! first (kind, bit depth, size, components); then zune-jpeg decodes every pixel in
//! strict mode, so data that ends before the size the header promises, or markers out
//! of place, are errors rather than grey filler. The file goes into both books as it
//! is (the PDF's DCTDecode reads the same frame header), so the header's size and
//! components must be those the decoder found.

use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

use super::data::{check_size, Header, ImageError, ImageFormat, MAX_SIDE};

/// The frame header: the first SOFn segment.
#[derive(Debug, PartialEq, Eq)]
struct Frame {
    /// The SOF marker's second byte (0xC0 baseline, 0xC2 progressive, …).
    marker: u8,
    /// Bits per sample.
    precision: u8,
    width: u32,
    height: u32,
    components: u8,
}

/// Checks the frame header and decodes every pixel.
pub(super) fn check(bytes: &[u8]) -> Result<Header, ImageError> {
    let frame = frame(bytes)?;
    let variant = |what: &str| Err(ImageError::Variant(ImageFormat::Jpeg, what.into()));
    match frame.marker {
        0xC0..=0xC2 => {}
        0xC3 | 0xC7 | 0xCB | 0xCF => return variant("a lossless JPEG"),
        0xC5 | 0xC6 => return variant("a hierarchical JPEG"),
        _ => return variant("an arithmetic-coded JPEG"),
    }
    if frame.precision != 8 {
        return variant(&format!("a {}-bit JPEG", frame.precision));
    }
    check_size(frame.width, frame.height)?;
    if !matches!(frame.components, 1 | 3 | 4) {
        return variant(&format!("a JPEG with {} colour components", frame.components));
    }

    let side = MAX_SIDE as usize;
    let out = if frame.components == 1 { ColorSpace::Luma } else { ColorSpace::RGB };
    let options = DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(side)
        .set_max_height(side)
        .jpeg_set_out_colorspace(out);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder.decode_headers().map_err(|e| corrupt(e.to_string()))?;
    let info = decoder.info().ok_or_else(|| corrupt("no frame header".into()))?;
    let found = (u32::from(info.width), u32::from(info.height), info.components);
    if found != (frame.width, frame.height, frame.components) {
        return Err(corrupt("its frame headers disagree".into()));
    }
    let expected = decoder.output_buffer_size();
    let pixels = decoder.decode().map_err(|e| {
        corrupt(format!(
            "its data does not hold the {} × {} pixels its header gives ({e})",
            frame.width, frame.height
        ))
    })?;
    if Some(pixels.len()) != expected {
        return Err(corrupt("it decodes to fewer pixels than its header gives".into()));
    }
    Ok(Header { width: frame.width, height: frame.height, components: frame.components })
}

/// The first frame header, found by walking the segments from SOI.
fn frame(bytes: &[u8]) -> Result<Frame, ImageError> {
    let mut i = 2;
    loop {
        // Markers may be preceded by any number of 0xFF fill bytes.
        if bytes.get(i) != Some(&0xFF) {
            return Err(match bytes.get(i) {
                None => corrupt("the file ends before its frame header".into()),
                Some(_) => {
                    corrupt("it has bytes out of place between its headers".into())
                }
            });
        }
        while bytes.get(i) == Some(&0xFF) {
            i += 1;
        }
        let Some(&marker) = bytes.get(i) else {
            return Err(corrupt("the file ends before its frame header".into()));
        };
        i += 1;
        match marker {
            // Markers without a length: TEM, RSTn, SOI.
            0x01 | 0xD0..=0xD8 => continue,
            0xD9 | 0xDA => {
                return Err(corrupt(
                    "it has no frame header before its image data".into(),
                ))
            }
            _ => {}
        }
        let len = match bytes.get(i..i + 2) {
            Some(&[a, b]) => usize::from(u16::from_be_bytes([a, b])),
            _ => return Err(corrupt("the file ends inside a header".into())),
        };
        let Some(body) = bytes.get(i + 2..i + len.max(2)) else {
            return Err(corrupt("the file ends inside a header".into()));
        };
        let is_frame =
            (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker);
        if is_frame {
            let Some(&[precision, h0, h1, w0, w1, components]) = body.get(..6) else {
                return Err(corrupt("its frame header is too short".into()));
            };
            if body.len() < 6 + 3 * usize::from(components) {
                return Err(corrupt("its frame header is too short".into()));
            }
            return Ok(Frame {
                marker,
                precision,
                width: u32::from(u16::from_be_bytes([w0, w1])),
                height: u32::from(u16::from_be_bytes([h0, h1])),
                components,
            });
        }
        i += len.max(2);
    }
}

fn corrupt(why: String) -> ImageError {
    ImageError::Corrupt(ImageFormat::Jpeg, why)
}

#[cfg(test)]
mod tests {
    use super::super::tiny;
    use super::*;

    fn sample(width: u16, height: u16, components: u8) -> Vec<u8> {
        tiny::jpeg(width, height, components, |x, y, c| {
            (x * 40 + y * 20 + u16::from(c) * 60) as u8
        })
    }

    /// Replaces the frame header's height and width.
    fn with_size(mut file: Vec<u8>, width: u16, height: u16) -> Vec<u8> {
        let at = file.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap() + 5;
        file[at..at + 2].copy_from_slice(&height.to_be_bytes());
        file[at + 2..at + 4].copy_from_slice(&width.to_be_bytes());
        file
    }

    #[test]
    fn good_jpegs_check() {
        for components in [1, 3] {
            let header = check(&sample(20, 12, components)).unwrap();
            assert_eq!((header.width, header.height), (20, 12));
            assert_eq!(header.components, components);
        }
    }

    #[test]
    fn a_header_that_promises_more_pixels_than_the_data_holds_is_an_error() {
        let liar = with_size(sample(16, 16, 3), 4000, 3000);
        let err = check(&liar).unwrap_err();
        assert!(matches!(err, ImageError::Corrupt(ImageFormat::Jpeg, _)), "{err:?}");
        let cut = sample(64, 64, 1);
        let cut = &cut[..cut.len() - 20];
        assert!(matches!(check(cut), Err(ImageError::Corrupt(..))), "{:?}", check(cut));
    }

    #[test]
    fn sizes_and_kinds_are_judged_on_the_header() {
        let zero = with_size(sample(8, 8, 1), 8, 0);
        assert_eq!(
            check(&zero).err(),
            Some(ImageError::ZeroSize { width: 8, height: 0 })
        );
        let huge = with_size(sample(8, 8, 1), 60_000, 60_000);
        assert_eq!(
            check(&huge).err(),
            Some(ImageError::TooLarge { width: 60_000, height: 60_000 })
        );
        let mut twelve = sample(8, 8, 1);
        let at = twelve.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        twelve[at + 4] = 12;
        assert!(matches!(check(&twelve), Err(ImageError::Variant(..))));
        twelve[at + 1] = 0xC9;
        assert!(matches!(check(&twelve), Err(ImageError::Variant(..))));
        assert!(check(&[0xFF, 0xD8, 0xFF, 0xDA, 0, 2]).is_err());
        assert!(check(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 200, 1]).is_err());
    }
}
