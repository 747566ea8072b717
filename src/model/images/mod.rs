//! Image files: read once, through the world, and checked once, when the document is
//! built, so both writers take the same checked image from the model and neither
//! touches the disk nor guesses.
//!
//! 1. **Read** each file named by an image block (the same file once).
//! 2. **Check** it (`data.rs`): the format from the first bytes (PNG or JPEG; anything
//!    else is an error), the header's size against the limits before any pixel buffer
//!    exists, then every pixel decoded (`png.rs`, `jpeg.rs`). A file whose name says
//!    another format than its content gives a warning, and the content wins.
//! 3. **Keep** the result in the block's [`ImageData`]. Results are remembered by the
//!    bytes' SHA-256 between builds (watch mode), so an unchanged image is not decoded
//!    again.

mod data;
mod jpeg;
mod png;
/// A tiny JPEG encoder, shared with the integration tests.
#[cfg(test)]
#[path = "../../../tests/harness/jpeg.rs"]
pub(crate) mod tiny;

use std::collections::HashMap;

use sha2::{Digest, Sha256};

pub use data::{ImageData, ImageError, ImageFormat, MAX_PIXELS, MAX_SIDE};
pub use png::Pixels;

use super::{Block, BlockKind, Document, Image};
use crate::diag::{Diagnostic, Sink, Span};
use crate::limits;
use crate::memo::Memo;
use crate::world::{FileError, World};

/// Reads and checks every image block's file into its [`ImageData`]; a file that
/// cannot be read (missing, outside the briefing folder, too large) or does not check
/// is an error at the image's line.
pub(super) fn load_images(
    doc: &mut Document,
    world: &World,
    memo: &Memo,
    sink: &mut Sink,
) {
    // The same file shown twice is read once (and reported once per place).
    let mut by_src: HashMap<String, Result<ImageData, Failure>> = HashMap::new();
    for (img, span) in image_blocks(doc) {
        let result = by_src
            .entry(img.src.clone())
            .or_insert_with(|| load(world, &img.src, memo))
            .clone();
        match result {
            Ok(data) => {
                check_extension(img, &data, &span, sink);
                img.data = Some(data);
            }
            Err(Failure::Read(e)) => {
                let mut d = Diagnostic::error(
                    span,
                    format!("failed to read image `{}` ({e})", img.src),
                );
                // The image is named in a section file, often one in `sections/`.
                let relative = matches!(e, FileError::NotFound)
                    || (matches!(e, FileError::Outside) && img.src.starts_with("../"));
                if relative {
                    d = d.with_hint(
                        "image paths are relative to the briefing folder, not to the section \
                         file: `images/route.png`, not `../images/route.png`",
                    );
                }
                if !matches!(e, FileError::NotFound) {
                    d = d.with_hint(e.hint());
                }
                sink.push(d);
            }
            Err(Failure::Check(e)) => {
                sink.push(
                    Diagnostic::error(span, e.message(&img.src)).with_hint(e.hint()),
                );
            }
        }
    }
}

#[derive(Clone)]
enum Failure {
    Read(FileError),
    Check(ImageError),
}

/// Reads and checks one file, or takes the check from the memo.
fn load(world: &World, src: &str, memo: &Memo) -> Result<ImageData, Failure> {
    let bytes = world.read(src, limits::IMAGE_BYTES).map_err(Failure::Read)?;
    let hash: [u8; 32] = Sha256::digest(&bytes).into();
    // The check is a function of the bytes alone, so their digest is its whole key.
    let checked = memo.get_or("image", &hash, || ImageData::decode_hashed(bytes, hash));
    (*checked).clone().map_err(Failure::Check)
}

/// The content decides the format; a name that says otherwise is worth a warning,
/// since other tools go by the name.
fn check_extension(img: &Image, data: &ImageData, span: &Span, sink: &mut Sink) {
    let format = data.format();
    let path = std::path::Path::new(&img.src);
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if format.has_extension(ext) {
        return;
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("image");
    sink.push(
        Diagnostic::warning(
            span.clone(),
            format!(
                "image `{}` holds a {} image; it is used as one",
                img.src,
                format.name()
            ),
        )
        .with_hint(format!(
            "rename the file to `{stem}.{}` so its name says what it is",
            format.extension()
        )),
    );
}

/// Every image block with its span, in the sections and the footnotes.
fn image_blocks(doc: &mut Document) -> Vec<(&mut Image, Span)> {
    let mut out = Vec::new();
    // Blocks are walked with an explicit stack: lists and quotes may nest deeply.
    let mut stack: Vec<&mut [Block]> = Vec::new();
    let mut sections: Vec<&mut super::Section> = doc.sections.iter_mut().collect();
    while let Some(s) = sections.pop() {
        stack.push(&mut s.blocks);
        sections.extend(s.children.iter_mut());
    }
    for f in &mut doc.footnotes {
        stack.push(&mut f.blocks);
    }
    while let Some(blocks) = stack.pop() {
        for block in blocks {
            match &mut block.kind {
                BlockKind::Image(img) => out.push((img, block.span.clone())),
                BlockKind::List(l) => {
                    stack.extend(l.items.iter_mut().map(|i| i.blocks.as_mut_slice()));
                }
                BlockKind::Quote(b) => stack.push(b),
                BlockKind::Aside(a) => stack.push(&mut a.blocks),
                _ => {}
            }
        }
    }
    // In the order of the source, for the order of the messages.
    out.sort_by_key(|(_, span)| (span.file, span.range.start));
    out
}
