//! The generated cover image: a plain 1200×1800 PNG with a title band and marking
//! stripes. It carries no text; the cover page's XHTML carries the real title.
//! (PNG, not SVG: e-readers and calibre render raster covers without a browser engine.)

/// Cover width in pixels.
pub(super) const WIDTH: u32 = 1200;
/// Cover height in pixels.
pub(super) const HEIGHT: u32 = 1800;

/// Palette: background, title band, accent stripe, marking stripes.
const PALETTE: [u8; 12] = [
    0x1f, 0x3a, 0x5f, // deep blue
    0xf2, 0xf4, 0xf7, // off-white
    0xc8, 0x8a, 0x12, // amber
    0x9a, 0x1c, 0x1c, // marking red
];

/// The palette index of the pixel in row `y`.
fn row_colour(y: u32) -> u8 {
    match y {
        0..=59 | 1740.. => 3,
        620..=1019 => 1,
        1020..=1039 => 2,
        _ => 0,
    }
}

/// Encodes the cover as an indexed-colour PNG (deterministic: no time chunk).
pub(super) fn cover_png() -> Result<Vec<u8>, String> {
    let mut data = Vec::with_capacity((WIDTH * HEIGHT) as usize);
    for y in 0..HEIGHT {
        let c = row_colour(y);
        data.extend(std::iter::repeat_n(c, WIDTH as usize));
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(PALETTE.to_vec());
    let err = |e: png::EncodingError| format!("failed to encode the cover image ({e})");
    let mut writer = encoder.write_header().map_err(err)?;
    writer.write_image_data(&data).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_is_a_png_of_the_right_size() {
        let png = cover_png().unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(std::io::Cursor::new(&png[..]));
        let reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (WIDTH, HEIGHT));
    }
}
