//! A tiny baseline JPEG encoder for tests: every 8 × 8 block is one flat shade, so only
//! DC coefficients are coded (the AC table holds just end-of-block). Real decoders
//! (libjpeg in poppler, zune-jpeg) read the result; no encoder library is needed.
//! Included with `#[path]` by the unit tests (`model::tiny_jpeg`) and the integration
//! tests that need a JPEG.

/// A baseline JPEG of `width` × `height` pixels with 1 (grey) or 3 (YCbCr) components;
/// block (bx, by) of component c has the shade `shade(bx, by, c)`.
pub fn jpeg(
    width: u16,
    height: u16,
    components: u8,
    shade: impl Fn(u16, u16, u8) -> u8,
) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    // JFIF, version 1.1, no density.
    segment(&mut out, 0xE0, b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00");
    // Quantisation table 0: all ones, so a coefficient is coded as it is.
    let mut dqt = vec![0];
    dqt.extend([1; 64]);
    segment(&mut out, 0xDB, &dqt);
    let mut sof = vec![8];
    sof.extend(height.to_be_bytes());
    sof.extend(width.to_be_bytes());
    sof.push(components);
    for c in 1..=components {
        sof.extend([c, 0x11, 0]);
    }
    segment(&mut out, 0xC0, &sof);
    // DC table 0: categories 0–11, four-bit codes 0000–1011 (canonical order).
    let mut dht = vec![0x00, 0, 0, 0, 12];
    dht.extend([0; 12]);
    dht.extend(0..12);
    segment(&mut out, 0xC4, &dht);
    // AC table 0: end-of-block only, the one-bit code `0`.
    let mut dht = vec![0x10, 1];
    dht.extend([0; 15]);
    dht.push(0x00);
    segment(&mut out, 0xC4, &dht);
    let mut sos = vec![components];
    for c in 1..=components {
        sos.extend([c, 0x00]);
    }
    sos.extend([0, 63, 0]);
    segment(&mut out, 0xDA, &sos);

    let mut bits = Bits::default();
    let mut previous = vec![0i32; usize::from(components)];
    for by in 0..height.div_ceil(8) {
        for bx in 0..width.div_ceil(8) {
            for c in 0..components {
                // A flat block of value v has the DC coefficient 8 × (v − 128).
                let dc = 8 * (i32::from(shade(bx, by, c)) - 128);
                let diff = dc - previous[usize::from(c)];
                previous[usize::from(c)] = dc;
                let size = 32 - diff.unsigned_abs().leading_zeros();
                bits.put(size, 4);
                if size > 0 {
                    let v = if diff > 0 { diff } else { diff + (1 << size) - 1 };
                    bits.put(v as u32, size);
                }
                bits.put(0, 1);
            }
        }
    }
    out.extend(bits.finish());
    out.extend([0xFF, 0xD9]);
    out
}

fn segment(out: &mut Vec<u8>, marker: u8, body: &[u8]) {
    out.extend([0xFF, marker]);
    out.extend(u16::try_from(body.len() + 2).unwrap().to_be_bytes());
    out.extend(body);
}

/// Entropy-coded bits, most significant first, with 0xFF bytes stuffed.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, count: u32) {
        for i in (0..count).rev() {
            self.acc = (self.acc << 1) | ((value >> i) & 1);
            self.n += 1;
            if self.n == 8 {
                let byte = self.acc as u8;
                self.out.push(byte);
                if byte == 0xFF {
                    self.out.push(0);
                }
                self.acc = 0;
                self.n = 0;
            }
        }
    }

    /// Pads the last byte with ones.
    fn finish(mut self) -> Vec<u8> {
        while self.n != 0 {
            self.put(1, 1);
        }
        self.out
    }
}
