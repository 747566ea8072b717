//! The PDF standards a build declares, and what would break them, found in the model
//! (so the diagnostic points at the source line) before the PDF is written.

use crate::diag::Diagnostic;
use crate::model::{visit, BlockKind, Document, Meta, PdfStandard};

/// The metadata the PDF is written with: the standards asked for on the command line
/// (`requested`), else in the manifest, else PDF/UA-1; and the problems found.
///
/// PDF/UA-1 is the default because every PDF is tagged and the sample and benchmark
/// books pass the checks we can run; claiming it costs nothing when nothing breaks it.
/// An image without a text alternative breaks it: when PDF/UA-1 (or PDF/A-2a) was
/// asked for, that is an error at the image; when it is only the default, a warning,
/// and the PDF then does not claim PDF/UA-1.
pub fn standards(doc: &Document, requested: &[PdfStandard]) -> (Meta, Vec<Diagnostic>) {
    let (mut list, explicit) = match (requested, doc.meta.pdf_standards.as_slice()) {
        ([], []) => (vec![PdfStandard::Ua1], false),
        ([], manifest) => (manifest.to_vec(), true),
        (cli, _) => (cli.to_vec(), true),
    };
    list.sort();
    list.dedup();
    let mut problems = Vec::new();
    let tagged = list.iter().any(|s| matches!(s, PdfStandard::Ua1 | PdfStandard::A2a));
    if tagged {
        let mut images = Vec::new();
        visit::each_block(doc, &mut |b| {
            if let BlockKind::Image(image) = &b.kind {
                if image.alt.trim().is_empty() {
                    images.push((b.span.clone(), image.src.clone()));
                }
            }
        });
        for (span, src) in images {
            let message = format!("image `{src}` has no text alternative");
            let d = if explicit {
                Diagnostic::error(span, message)
                    .with_hint("PDF/UA-1 and PDF/A-2a need one for every image")
            } else {
                Diagnostic::warning(
                    span,
                    format!("{message}; the PDF will not claim PDF/UA-1"),
                )
            };
            problems.push(d.with_hint(
                "describe what it shows: `![The route of the railway](map.png)`",
            ));
        }
        if !explicit && !problems.is_empty() {
            list.retain(|s| *s != PdfStandard::Ua1);
        }
    }
    (Meta { pdf_standards: list, ..doc.meta.clone() }, problems)
}
