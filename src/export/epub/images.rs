//! Image blocks: the file the model checked is copied into `OEBPS/images/` once and
//! shown in a `<figure>`; an image without alt text is a warning. The media type and,
//! where the source's name says otherwise, the extension come from the checked format.

use std::path::PathBuf;

use crate::diag::{Diagnostic, Span};
use crate::model::Image;

use super::xhtml::{escape, Writer};

/// An image file copied into the EPUB.
pub(super) struct ImageResource {
    /// The file on disk it was read from.
    pub path: PathBuf,
    /// Its path inside `OEBPS/` (`images/…`).
    pub href: String,
    /// Its media type.
    pub media_type: &'static str,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl Writer<'_> {
    pub(super) fn image(&mut self, out: &mut String, image: &Image, span: &Span) {
        self.media_uses += 1;
        if image.alt.trim().is_empty() {
            self.missing_alt = true;
            self.diags.push(
                Diagnostic::warning(
                    span.clone(),
                    format!("image `{}` has no alt text", image.src),
                )
                .with_hint(
                    "describe the image in the brackets: `![what it shows](file)`",
                ),
            );
        }
        let Some(href) = self.add_image(image, span) else { return };
        out.push_str("<figure class=\"image\">\n");
        out.push_str(&format!(
            "<img src=\"{}\" alt=\"{}\"/>\n",
            escape(&href),
            escape(&image.alt)
        ));
        if let Some(caption) = &image.caption {
            out.push_str("<figcaption>");
            self.text(out, caption);
            out.push_str("</figcaption>\n");
        }
        out.push_str("</figure>\n");
    }

    /// Adds an image's file once and returns its path in the EPUB; `None` after an
    /// error.
    fn add_image(&mut self, image: &Image, span: &Span) -> Option<String> {
        if let Some(known) = self.images.iter().find(|r| r.path == image.path) {
            return Some(known.href.clone());
        }
        let Some(data) = &image.data else {
            // Only a model built by hand can get here: the model's build loads every image.
            self.diags.push(Diagnostic::error(
                span.clone(),
                format!("image `{}` was not loaded", image.src),
            ));
            return None;
        };
        let format = data.format();
        let media_type = format.media_type();
        let bytes = data.bytes().to_vec();
        // The name in the EPUB says what the content is.
        let path = std::path::Path::new(&image.src);
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let name = if format.has_extension(ext) {
            image.src.clone()
        } else {
            let stem = image.src.strip_suffix(ext).unwrap_or(&image.src);
            let stem = stem.strip_suffix('.').unwrap_or(stem);
            format!("{stem}.{}", format.extension())
        };
        let stem: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' })
            .collect();
        let mut href = format!("images/{}", stem.trim_start_matches('.'));
        if self.images.iter().any(|r| r.href == href) || href == "images/cover.png" {
            href = format!(
                "images/{}-{}",
                self.images.len() + 1,
                stem.trim_start_matches('.')
            );
        }
        self.images.push(ImageResource {
            path: image.path.clone(),
            href: href.clone(),
            media_type,
            bytes,
        });
        Some(href)
    }
}
