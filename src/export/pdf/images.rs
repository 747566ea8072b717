//! Image XObjects, from the images the model checked: PNGs decoded again (by printpdf,
//! whose decoder is built on the `png` crate that checked them) and stored losslessly
//! with Flate, alpha as a soft mask; JPEGs passed through (DCT), their frame header's
//! size and components being the ones the decoder found.

use crate::model::{ImageData, ImageFormat};

/// Decoded samples, interleaved.
struct Pixels {
    width: usize,
    height: usize,
    /// Colour channels: 1 (grey) or 3 (RGB).
    colour: u8,
    alpha: bool,
    /// 8 or 16.
    bits: u8,
    samples: Vec<u8>,
}

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
    /// About how many bytes the objects take in the file.
    pub fn size(&self) -> usize {
        self.data.len() + self.alpha.as_ref().map_or(0, |a| a.1.len()) + 512
    }

    /// Encodes a checked image. The model decoded it already, so an error here (a PNG
    /// that no longer decodes) is a bug, given as a message.
    pub fn new(image: &ImageData) -> Result<Self, String> {
        match image.format() {
            ImageFormat::Png => png(image),
            ImageFormat::Jpeg => {
                let components = image.components();
                let space = match components {
                    1 => "DeviceGray",
                    4 => "DeviceCMYK",
                    _ => "DeviceRGB",
                };
                let decode =
                    if components == 4 { "/Decode[1 0 1 0 1 0 1 0]" } else { "" };
                Ok(Self {
                    size: (image.width() as usize, image.height() as usize),
                    dict: format!(
                        "/ColorSpace/{space}/BitsPerComponent 8/Filter/DCTDecode{decode}"
                    ),
                    data: image.bytes().to_vec(),
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

/// A PNG decoded by printpdf (the model's check decoded it already, with the `png` crate
/// that printpdf's decoder is built on), as 8- or 16-bit big-endian samples.
fn png(image: &ImageData) -> Result<ImageObject, String> {
    use printpdf::{RawImage, RawImageData, RawImageFormat as F};
    let decoded = crate::guard::catch(|| {
        RawImage::decode_from_bytes(image.bytes(), &mut Vec::new())
    })
    .ok_or("the PNG decoder failed on a checked PNG")?;
    let raw = decoded.map_err(|e| format!("a checked PNG no longer decodes ({e})"))?;
    let (colour, alpha, bgr) = match raw.data_format {
        F::R8 | F::R16 => (1, false, false),
        F::RG8 | F::RG16 => (1, true, false),
        F::RGB8 | F::RGB16 | F::RGBF32 => (3, false, false),
        F::RGBA8 | F::RGBA16 | F::RGBAF32 => (3, true, false),
        F::BGR8 => (3, false, true),
        F::BGRA8 => (3, true, true),
    };
    let (bits, samples): (u8, Vec<u8>) = match raw.pixels {
        RawImageData::U8(v) => (8, v),
        RawImageData::U16(v) => (16, v.iter().flat_map(|s| s.to_be_bytes()).collect()),
        RawImageData::F32(v) => {
            (8, v.iter().map(|s| (s.clamp(0.0, 1.0) * 255.0).round() as u8).collect())
        }
    };
    let mut p =
        Pixels { width: raw.width, height: raw.height, colour, alpha, bits, samples };
    if bgr {
        let step = usize::from(p.colour) + usize::from(p.alpha);
        p.samples.chunks_exact_mut(step).for_each(|px| px.swap(0, 2));
    }
    let (colour, alpha) = (usize::from(p.colour), p.alpha);
    let channels = colour + usize::from(alpha);
    let bytes = usize::from(p.bits / 8);
    let size = p.width * p.height * channels * bytes;
    if p.samples.len() < size {
        return Err("a PNG decoded to fewer samples than its size".into());
    }
    p.samples.truncate(size);
    // Without alpha the samples are the colour data as they are (no second copy of a
    // large image); with alpha they are split in two.
    let (colour_data, alpha_data) = if alpha {
        let mut colour_data = Vec::with_capacity(size / channels * colour);
        let mut alpha_data = Vec::with_capacity(size / channels);
        for px in p.samples.chunks_exact(channels * bytes) {
            let (c, a) = px.split_at(colour * bytes);
            colour_data.extend_from_slice(c);
            alpha_data.extend_from_slice(a);
        }
        (colour_data, alpha_data)
    } else {
        (std::mem::take(&mut p.samples), Vec::new())
    };
    let opaque = alpha_data.iter().all(|&b| b == 0xFF);
    let space = if colour == 1 { "DeviceGray" } else { "DeviceRGB" };
    let bits = p.bits;
    Ok(ImageObject {
        size: (p.width, p.height),
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
    use crate::model::tiny_jpeg as tiny;

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
        let image = ImageObject::new(&ImageData::decode(file).unwrap()).unwrap();
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
        let image = ImageObject::new(&ImageData::decode(file).unwrap()).unwrap();
        assert!(image.dict.contains("/DeviceGray/BitsPerComponent 16"), "{}", image.dict);
        assert_eq!(inflate(&image.data), pixels);
        assert!(image.alpha.is_none());
        let opaque: Vec<u8> = vec![1, 2, 3, 255, 4, 5, 6, 255];
        let file = encode(2, 1, png::ColorType::Rgba, png::BitDepth::Eight, &opaque);
        assert!(ImageObject::new(&ImageData::decode(file).unwrap())
            .unwrap()
            .alpha
            .is_none());
        // A PNG that does not decode never becomes ImageData, so never reaches here.
        assert!(ImageData::decode(b"\x89PNG broken".to_vec()).is_err());
    }

    #[test]
    fn palette_transparency_becomes_a_soft_mask() {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, 3, 1);
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_palette(vec![255, 0, 0, 0, 0, 255]);
        encoder.set_trns(vec![255, 0]);
        encoder.write_header().unwrap().write_image_data(&[0, 1, 0]).unwrap();
        let image = ImageObject::new(&ImageData::decode(out).unwrap()).unwrap();
        assert_eq!(inflate(&image.data), [255, 0, 0, 0, 0, 255, 255, 0, 0]);
        assert_eq!(inflate(&image.alpha.expect("soft mask").1), [255, 0, 255]);
    }

    #[test]
    fn jpegs_pass_through_with_their_frame_header() {
        for (components, space) in
            [(1, "DeviceGray"), (3, "DeviceRGB"), (4, "DeviceCMYK")]
        {
            let file = tiny::jpeg(24, 16, components, |x, y, c| {
                (x * 50 + y * 30 + u16::from(c)) as u8
            });
            let image =
                ImageObject::new(&ImageData::decode(file.clone()).unwrap()).unwrap();
            assert_eq!(image.size, (24, 16));
            assert!(image.dict.contains(space), "{}", image.dict);
            assert!(image.dict.contains("/DCTDecode"));
            assert_eq!(image.dict.contains("/Decode["), components == 4);
            assert_eq!(image.data, file);
        }
    }
}
