//! Image files: read once, through the world, when the document is built, so both
//! writers take the same bytes from the model and neither touches the disk.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Block, BlockKind, Document, Image, ImageData};
use crate::diag::{Diagnostic, Sink};
use crate::world::{limits, FileError, World};

/// Reads every image block's file into its [`ImageData`]; a file that cannot be read
/// (missing, outside the briefing folder, too large) is an error at the image's line.
pub(super) fn load_images(doc: &mut Document, world: &World, sink: &mut Sink) {
    // The same file shown twice is read once.
    let mut read: HashMap<String, Result<ImageData, FileError>> = HashMap::new();
    // Blocks are walked with an explicit stack: lists and quotes may nest deeply.
    let mut stack: Vec<&mut [Block]> = Vec::new();
    for s in &mut doc.sections {
        push_section(s, &mut stack);
    }
    for f in &mut doc.footnotes {
        stack.push(&mut f.blocks);
    }
    while let Some(blocks) = stack.pop() {
        for block in blocks {
            let span = block.span.clone();
            match &mut block.kind {
                BlockKind::Image(img) => {
                    let result = read
                        .entry(img.src.clone())
                        .or_insert_with(|| read_image(world, img))
                        .clone();
                    match result {
                        Ok(data) => img.data = data,
                        Err(e) => sink.push(
                            Diagnostic::error(
                                span,
                                format!("failed to read image `{}` ({e})", img.src),
                            )
                            .with_hint(e.hint()),
                        ),
                    }
                }
                BlockKind::List(l) => {
                    stack.extend(l.items.iter_mut().map(|i| i.blocks.as_mut_slice()));
                }
                BlockKind::Quote(b) => stack.push(b),
                BlockKind::Aside(a) => stack.push(&mut a.blocks),
                _ => {}
            }
        }
    }
}

fn push_section<'a>(s: &'a mut super::Section, stack: &mut Vec<&'a mut [Block]>) {
    let mut sections = vec![s];
    while let Some(s) = sections.pop() {
        stack.push(&mut s.blocks);
        sections.extend(s.children.iter_mut());
    }
}

fn read_image(world: &World, img: &Image) -> Result<ImageData, FileError> {
    let bytes = world.read(&img.src, limits::IMAGE)?;
    Ok(ImageData(Arc::new(bytes)))
}
