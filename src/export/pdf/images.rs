//! Image XObjects: PNGs decoded (printpdf's decoder, the one layout uses to check them)
//! and stored losslessly with Flate, alpha as a soft mask; JPEGs passed through (DCT).

use printpdf::{RawImage, RawImageData, RawImageFormat};

use crate::layout::ImageFormat;

use super::writer::{deflate, reference, Ref, Writer};

/// One image, encoded and ready to write.
pub struct ImageObject {
    /// Width and height in pixels.
    size: (usize, usize),
    /// Colour space and bits per component, e.g. `/ColorSpace/DeviceRGB/BitsPerComponent 8`,
    /// plus the filter and any /Decode.
    dict: String,
    data: Vec<u8>,
    /// The compressed alpha channel (same bit depth), if not fully opaque.
    alpha: Option<(String, Vec<u8>)>,
}

impl ImageObject {
    /// Encodes an image file; `None` if it cannot be decoded.
    pub fn new(data: &[u8], format: ImageFormat) -> Option<Self> {
        match format {
            ImageFormat::Png => png(data),
            ImageFormat::Jpeg { width, height, components } => {
                let space = match components {
                    1 => "DeviceGray",
                    4 => "DeviceCMYK",
                    _ => "DeviceRGB",
                };
                let decode =
                    if components == 4 { "/Decode[1 0 1 0 1 0 1 0]" } else { "" };
                Some(Self {
                    size: (width as usize, height as usize),
                    dict: format!(
                        "/ColorSpace/{space}/BitsPerComponent 8/Filter/DCTDecode{decode}"
                    ),
                    data: data.to_vec(),
                    alpha: None,
                })
            }
        }
    }

    /// Writes the XObject (and its soft mask); returns its reference.
    pub fn write(&self, w: &mut Writer) -> Ref {
        let id = w.reserve();
        let (width, height) = self.size;
        let mut dict =
            format!("/Type/XObject/Subtype/Image/Width {width}/Height {height}")
                .into_bytes();
        dict.extend_from_slice(self.dict.as_bytes());
        if let Some((mask_dict, mask)) = &self.alpha {
            let mask_id = w.reserve();
            let head =
                format!("/Type/XObject/Subtype/Image/Width {width}/Height {height}");
            w.stream(mask_id, format!("{head}{mask_dict}").as_bytes(), mask);
            dict.extend_from_slice(b"/SMask ");
            reference(&mut dict, mask_id);
        }
        w.stream(id, &dict, &self.data);
        id
    }
}

fn png(data: &[u8]) -> Option<ImageObject> {
    let raw = RawImage::decode_from_bytes(data, &mut Vec::new()).ok()?;
    use RawImageFormat as F;
    let (colour, alpha, bgr) = match raw.data_format {
        F::R8 | F::R16 => (1, false, false),
        F::RG8 | F::RG16 => (1, true, false),
        F::RGB8 | F::RGB16 | F::RGBF32 => (3, false, false),
        F::RGBA8 | F::RGBA16 | F::RGBAF32 => (3, true, false),
        F::BGR8 => (3, false, true),
        F::BGRA8 => (3, true, true),
    };
    let channels = colour + usize::from(alpha);
    // Samples as big-endian bytes at 8 or 16 bits (floats become 8 bits).
    let (bits, samples): (u8, Vec<u8>) = match raw.pixels {
        RawImageData::U8(v) => (8, v),
        RawImageData::U16(v) => (16, v.iter().flat_map(|s| s.to_be_bytes()).collect()),
        RawImageData::F32(v) => {
            (8, v.iter().map(|s| (s.clamp(0.0, 1.0) * 255.0).round() as u8).collect())
        }
    };
    let bytes = usize::from(bits / 8);
    let pixels = raw.width.checked_mul(raw.height)?;
    if samples.len() < pixels * channels * bytes {
        return None;
    }
    let mut colour_data = Vec::with_capacity(pixels * colour * bytes);
    let mut alpha_data = Vec::with_capacity(if alpha { pixels * bytes } else { 0 });
    for px in samples.chunks_exact(channels * bytes).take(pixels) {
        let (c, a) = px.split_at(colour * bytes);
        if bgr {
            colour_data.extend_from_slice(&[c[2], c[1], c[0]]);
        } else {
            colour_data.extend_from_slice(c);
        }
        alpha_data.extend_from_slice(a);
    }
    let opaque = alpha_data.iter().all(|&b| b == 0xFF);
    let space = if colour == 1 { "DeviceGray" } else { "DeviceRGB" };
    Some(ImageObject {
        size: (raw.width, raw.height),
        dict: format!("/ColorSpace/{space}/BitsPerComponent {bits}/Filter/FlateDecode"),
        data: deflate(&colour_data),
        alpha: (alpha && !opaque).then(|| {
            (
                format!(
                    "/ColorSpace/DeviceGray/BitsPerComponent {bits}/Filter/FlateDecode"
                ),
                deflate(&alpha_data),
            )
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(
        width: u32,
        height: u32,
        colour: png::ColorType,
        depth: png::BitDepth,
        data: &[u8],
    ) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(colour);
        encoder.set_depth(depth);
        encoder.write_header().unwrap().write_image_data(data).unwrap();
        out
    }

    fn inflate(data: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(data).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn rgba_png_gets_a_soft_mask() {
        let pixels: Vec<u8> = (0..4u8).flat_map(|i| [i * 60, 10, 20, i * 80]).collect();
        let file = encode(2, 2, png::ColorType::Rgba, png::BitDepth::Eight, &pixels);
        let image = ImageObject::new(&file, ImageFormat::Png).unwrap();
        assert!(image.dict.contains("/DeviceRGB/BitsPerComponent 8"), "{}", image.dict);
        assert_eq!(
            inflate(&image.data),
            [0, 10, 20, 60, 10, 20, 120, 10, 20, 180, 10, 20]
        );
        let (mask_dict, mask) = image.alpha.as_ref().expect("soft mask");
        assert!(mask_dict.contains("/DeviceGray"));
        assert_eq!(inflate(mask), [0, 80, 160, 240]);
    }

    #[test]
    fn opaque_and_sixteen_bit_pngs_are_lossless_without_mask() {
        let pixels: Vec<u8> = vec![0x12, 0x34, 0xAB, 0xCD];
        let file =
            encode(2, 1, png::ColorType::Grayscale, png::BitDepth::Sixteen, &pixels);
        let image = ImageObject::new(&file, ImageFormat::Png).unwrap();
        assert!(image.dict.contains("/DeviceGray/BitsPerComponent 16"), "{}", image.dict);
        assert_eq!(inflate(&image.data), pixels);
        assert!(image.alpha.is_none());
        let opaque: Vec<u8> = vec![1, 2, 3, 255, 4, 5, 6, 255];
        let file = encode(2, 1, png::ColorType::Rgba, png::BitDepth::Eight, &opaque);
        assert!(ImageObject::new(&file, ImageFormat::Png).unwrap().alpha.is_none());
        assert!(ImageObject::new(b"\x89PNG broken", ImageFormat::Png).is_none());
    }
}
