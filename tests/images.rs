//! Images are checked once, when the document is built, for both books: a file that
//! does not decode, is cut short, lies about its size, has no pixels, is over the size
//! limit or is not a PNG or JPEG is an error at its Markdown line (in `build` and
//! `check`) and nothing is written; a good PNG and a good JPEG reach both books intact
//! (qpdf, poppler and EPUBCheck, which share no code with us, agree).

mod harness;
#[path = "harness/jpeg.rs"]
mod tiny_jpeg;

use std::path::Path;

use harness::*;
use tiny_jpeg::jpeg;

/// The base briefing in a temporary folder with `files` under `img/`, and one image
/// line per entry of `shown` appended to `sections/one.md`. Returns the folder and the
/// line number of the first image line.
fn briefing(files: &[(&str, &[u8])], shown: &[&str]) -> (tempfile::TempDir, usize) {
    let dir = temp_dir();
    copy_tree(&root().join("tests/suite/base"), dir.path());
    std::fs::create_dir_all(dir.path().join("img")).unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join("img").join(name), bytes).unwrap();
    }
    let section = dir.path().join("sections/one.md");
    let mut text = std::fs::read_to_string(&section).unwrap();
    let line = text.lines().count() + 2;
    for name in shown {
        text.push_str(&format!("\n![A picture of the route](img/{name})\n"));
    }
    std::fs::write(&section, text).unwrap();
    (dir, line)
}

fn run(command: &str, dir: &Path, out: &Path) -> std::process::Output {
    let dir = dir.to_str().unwrap();
    let mut args = vec!["--diagnostic-format", "short", command, dir];
    if command == "build" {
        args.extend(["--out", out.to_str().unwrap()]);
    }
    briefbook(&args)
}

/// `build` and `check` both exit 1 with `message` at the image's line, and nothing is
/// written.
fn assert_rejected(name: &str, bytes: &[u8], message: &str) {
    let (dir, line) = briefing(&[(name, bytes)], &[name]);
    let out = dir.path().join("out");
    for command in ["build", "check"] {
        let o = run(command, dir.path(), &out);
        let stderr = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{command} {name}:\n{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        let want = format!("sections/one.md:{line}:1: error: {message}");
        assert!(stderr.contains(&want), "{command} {name}: want `{want}` in\n{stderr}");
    }
    assert!(!out.exists(), "{name}: a failed build wrote {}", out.display());
    assert!(!dir.path().join("build").exists());
}

fn png_file(width: u32, height: u32, colour: png::ColorType, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(colour);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header().unwrap().write_image_data(data).unwrap();
    out
}

/// An RGBA gradient with a transparent corner.
fn rgba_png(width: u32, height: u32) -> Vec<u8> {
    let data: Vec<u8> = (0..height)
        .flat_map(|y| (0..width).map(move |x| (x, y)))
        .flat_map(|(x, y)| {
            [(x * 4) as u8, (y * 6) as u8, 160, if x < 8 { 0 } else { 255 }]
        })
        .collect();
    png_file(width, height, png::ColorType::Rgba, &data)
}

fn crc(data: &[u8]) -> u32 {
    let mut c = flate2::Crc::new();
    c.update(data);
    c.sum()
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend(u32::try_from(data.len()).unwrap().to_be_bytes());
    out.extend(kind);
    out.extend(data);
    out.extend(crc(&[kind.as_slice(), data].concat()).to_be_bytes());
}

/// `file` with the IHDR's width and height replaced (and its CRC made right again).
fn with_png_size(mut file: Vec<u8>, width: u32, height: u32) -> Vec<u8> {
    file[16..20].copy_from_slice(&width.to_be_bytes());
    file[20..24].copy_from_slice(&height.to_be_bytes());
    let sum = crc(&file[12..29]);
    file[29..33].copy_from_slice(&sum.to_be_bytes());
    file
}

/// `file` with the first frame header's height and width replaced.
fn with_jpeg_size(mut file: Vec<u8>, width: u16, height: u16) -> Vec<u8> {
    let at = file.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap() + 5;
    file[at..at + 2].copy_from_slice(&height.to_be_bytes());
    file[at + 2..at + 4].copy_from_slice(&width.to_be_bytes());
    file
}

fn shade(x: u16, y: u16, c: u8) -> u8 {
    (x * 30 + y * 45 + u16::from(c) * 70) as u8
}

const GIF: &[u8] =
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\
    \x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";

const SVG: &[u8] = b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
    width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\"/></svg>\n";

#[test]
fn a_png_that_does_not_decode_is_an_error() {
    let good = rgba_png(40, 30);
    // A byte changed inside the image data: its chunk's checksum no longer matches.
    let mut flipped = good.clone();
    let mid = good.len() / 2;
    flipped[mid] ^= 0x5A;
    assert_rejected(
        "flipped.png",
        &flipped,
        "image `img/flipped.png` is not a valid PNG file",
    );
    // Checksums right, but the compressed data is noise.
    let mut noise = good[..33].to_vec();
    chunk(&mut noise, b"IDAT", &[0x78, 0x9C, 0xFF, 0x13, 0x42, 0x00, 0x07, 0x99]);
    chunk(&mut noise, b"IEND", &[]);
    assert_rejected("noise.png", &noise, "image `img/noise.png` is not a valid PNG file");
}

#[test]
fn a_truncated_png_is_an_error() {
    let good = rgba_png(40, 30);
    let cut = &good[..good.len() * 2 / 3];
    assert_rejected(
        "cut.png",
        cut,
        "image `img/cut.png` is not a valid PNG file: the file ends",
    );
}

#[test]
fn a_png_bomb_is_refused_on_its_header() {
    // 30,000 × 30,000 pixels (3.6 GB as RGBA) in a file of a few dozen bytes.
    let bomb =
        with_png_size(png_file(2, 2, png::ColorType::Rgba, &[0; 16]), 30_000, 30_000);
    assert_rejected(
        "bomb.png",
        &bomb,
        "image `img/bomb.png` is 30000 × 30000 pixels, more than the books accept",
    );
}

#[test]
fn a_jpeg_whose_header_lies_about_its_size_is_an_error() {
    let liar = with_jpeg_size(jpeg(16, 16, 3, shade), 4000, 3000);
    assert_rejected(
        "liar.jpg",
        &liar,
        "image `img/liar.jpg` is not a valid JPEG file: its data does not hold the 4000 × 3000 pixels",
    );
    let cut = jpeg(64, 64, 1, shade);
    let cut = &cut[..cut.len() - 24];
    assert_rejected("cut.jpg", cut, "image `img/cut.jpg` is not a valid JPEG file");
}

#[test]
fn an_image_without_pixels_is_an_error() {
    let png = with_png_size(png_file(1, 1, png::ColorType::Rgb, &[0; 3]), 0, 16);
    assert_rejected("empty.png", &png, "image `img/empty.png` has no pixels (0 × 16)");
    let jpg = with_jpeg_size(jpeg(8, 8, 1, shade), 8, 0);
    assert_rejected("empty.jpg", &jpg, "image `img/empty.jpg` has no pixels (8 × 0)");
    assert_rejected("nothing.png", b"", "image `img/nothing.png` is an empty file");
}

#[test]
fn other_formats_are_errors_decided_by_content() {
    let cannot = "which the books cannot show";
    assert_rejected(
        "anim.gif",
        GIF,
        &format!("image `img/anim.gif` is a GIF image, {cannot}"),
    );
    assert_rejected(
        "logo.svg",
        SVG,
        &format!("image `img/logo.svg` is an SVG drawing, {cannot}"),
    );
    // The name says PNG; the content decides.
    assert_rejected(
        "gif.png",
        GIF,
        &format!("image `img/gif.png` is a GIF image, {cannot}"),
    );
    assert_rejected(
        "notes.png",
        b"Route notes\n",
        "`img/notes.png` is a text file, not an image",
    );
    assert_rejected(
        "random.jpg",
        &[0x00, 0x13, 0x9A, 0x00, 0xFE],
        "`img/random.jpg` is not a PNG or JPEG image",
    );
}

#[test]
fn a_missing_image_is_an_error() {
    let (dir, line) = briefing(&[], &["nowhere.png"]);
    let o = run("check", dir.path(), &dir.path().join("out"));
    assert_eq!(o.status.code(), Some(1));
    let want = format!(
        "sections/one.md:{line}:1: error: failed to read image `img/nowhere.png`"
    );
    assert!(text(&o.stderr).contains(&want), "{}", text(&o.stderr));
}

/// Builds the briefing in `dir` into `out`; returns the warnings printed.
fn build_ok(dir: &Path, out: &Path) -> String {
    let o = run("build", dir, out);
    let stderr = text(&o.stderr);
    assert!(o.status.success(), "build failed:\n{stderr}");
    stderr
}

/// The rows of `pdfimages -list`: (type, width, height, colour, encoding).
fn pdf_images(pdf: &Path) -> Vec<(String, u32, u32, String, String)> {
    let o = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    text(&o.stdout)
        .lines()
        .skip(2)
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let n = |i: usize| f[i].parse().unwrap();
            (f[2].to_string(), n(3), n(4), f[5].to_string(), f[8].to_string())
        })
        .collect()
}

fn epub_entry(epub: &Path, name: &str) -> Vec<u8> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut entry = zip.by_name(name).unwrap_or_else(|_| panic!("no {name} in the EPUB"));
    let mut out = Vec::new();
    entry.read_to_end(&mut out).unwrap();
    out
}

/// The media type the EPUB's manifest gives the file at `href`.
fn media_type(epub: &Path, href: &str) -> String {
    let opf = String::from_utf8(epub_entry(epub, "OEBPS/content.opf")).unwrap();
    let doc = roxmltree::Document::parse(&opf).unwrap();
    let item = doc.descendants().find(|n| n.attribute("href") == Some(href));
    let item = item.unwrap_or_else(|| panic!("{href} is not in the manifest"));
    item.attribute("media-type").unwrap().to_string()
}

#[test]
fn a_good_png_and_a_good_jpeg_reach_both_books() {
    let png = rgba_png(60, 40);
    let photo = jpeg(64, 48, 3, shade);
    let grey = jpeg(40, 24, 1, shade);
    let files: &[(&str, &[u8])] =
        &[("route.png", &png), ("photo.jpg", &photo), ("grey.jpeg", &grey)];
    let (dir, _) = briefing(files, &["route.png", "photo.jpg", "grey.jpeg"]);
    let out = dir.path().join("out");
    build_ok(dir.path(), &out);
    let pdf = out.join("briefing.pdf");

    let qpdf = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(qpdf.status.success(), "qpdf --check:\n{}", text(&qpdf.stdout));
    let mut images = pdf_images(&pdf);
    images.sort();
    let row = |t: &str, w, h, c: &str, e: &str| (t.into(), w, h, c.into(), e.into());
    assert_eq!(
        images,
        [
            row("image", 40, 24, "gray", "jpeg"),
            row("image", 60, 40, "rgb", "image"),
            row("image", 64, 48, "rgb", "jpeg"),
            row("smask", 60, 40, "gray", "image"),
        ]
    );

    // Poppler renders every page without complaint, and decodes the embedded grey
    // JPEG to exactly the shades it was made of (flat 8 × 8 blocks).
    let pages = dir.path().join("page");
    let o = tool(
        "pdftoppm",
        &["-r", "20", "-png", pdf.to_str().unwrap(), pages.to_str().unwrap()],
    );
    assert!(o.status.success() && o.stderr.is_empty(), "pdftoppm:\n{}", text(&o.stderr));
    let extracted = dir.path().join("extracted");
    let o =
        tool("pdfimages", &["-png", pdf.to_str().unwrap(), extracted.to_str().unwrap()]);
    assert!(o.status.success() && o.stderr.is_empty(), "pdfimages:\n{}", text(&o.stderr));
    let mut grey_found = false;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap();
        if !name.starts_with("extracted") {
            continue;
        }
        let decoder = png::Decoder::new(std::io::BufReader::new(
            std::fs::File::open(&path).unwrap(),
        ));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        if (info.width, info.height, info.color_type)
            != (40, 24, png::ColorType::Grayscale)
        {
            continue;
        }
        grey_found = true;
        for y in 0..24u16 {
            for x in 0..40u16 {
                let got = i32::from(buf[usize::from(y) * 40 + usize::from(x)]);
                let want = i32::from(shade(x / 8, y / 8, 0));
                assert!((got - want).abs() <= 1, "pixel ({x}, {y}): {got}, want {want}");
            }
        }
    }
    assert!(grey_found, "the grey JPEG was not extracted from the PDF");

    // The EPUB carries the files as they are, with their media types.
    let epub = out.join("briefing.epub");
    assert_eq!(epub_entry(&epub, "OEBPS/images/img_route.png"), png);
    assert_eq!(epub_entry(&epub, "OEBPS/images/img_photo.jpg"), photo);
    assert_eq!(epub_entry(&epub, "OEBPS/images/img_grey.jpeg"), grey);
    assert_eq!(media_type(&epub, "images/img_route.png"), "image/png");
    assert_eq!(media_type(&epub, "images/img_photo.jpg"), "image/jpeg");
    assert_eq!(media_type(&epub, "images/img_grey.jpeg"), "image/jpeg");
    epubcheck(&epub);
}

#[test]
fn a_name_that_disagrees_with_the_content_gives_a_warning_and_the_content_wins() {
    let photo = jpeg(32, 24, 3, shade);
    let (dir, line) = briefing(&[("photo.png", &photo)], &["photo.png"]);
    let out = dir.path().join("out");
    let stderr = build_ok(dir.path(), &out);
    let want = format!(
        "sections/one.md:{line}:1: warning: image `img/photo.png` holds a JPEG image; it is used as one"
    );
    assert!(stderr.contains(&want), "{stderr}");
    let rows = pdf_images(&out.join("briefing.pdf"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].4, "jpeg");
    let epub = out.join("briefing.epub");
    assert_eq!(epub_entry(&epub, "OEBPS/images/img_photo.jpg"), photo);
    assert_eq!(media_type(&epub, "images/img_photo.jpg"), "image/jpeg");
    epubcheck(&epub);
}

#[test]
fn an_unchanged_image_is_not_decoded_again_by_the_next_build() {
    use briefbook::compile::{compile_with, Cache};
    let (dir, _) = briefing(
        &[("a.png", &rgba_png(20, 10)), ("b.jpg", &jpeg(16, 8, 3, shade))],
        &["a.png", "b.jpg", "a.png"],
    );
    let mut cache = Cache::default();
    let mut decoded = || {
        let world = briefbook::world::World::new(dir.path()).unwrap();
        let options = briefbook::source::LoadOptions {
            source_date_epoch: Some(0),
            ..Default::default()
        };
        let mut sources = briefbook::diag::SourceMap::default();
        compile_with(
            &world,
            &mut sources,
            &options,
            &mut Vec::new(),
            &mut cache,
            &mut |_| {},
        )
        .unwrap();
        cache.model.images.decoded
    };
    assert_eq!(decoded(), 2, "first build: both files");
    assert_eq!(decoded(), 0, "nothing changed");
    std::fs::write(dir.path().join("img/a.png"), rgba_png(20, 12)).unwrap();
    assert_eq!(decoded(), 1, "only the changed file");
}
