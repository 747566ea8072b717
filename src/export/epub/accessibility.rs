//! Accessibility metadata (schema.org and EPUB Accessibility 1.1): what the book
//! offers, said only where the writer knows it to be true.
//!
//! The conformance claim ("EPUB Accessibility 1.1 - WCAG 2.2 Level AA") is written
//! only when the manifest names who evaluated the book (`[book]
//! accessibility-certifier`) and nothing the writer can see contradicts it: every
//! image has a text alternative and the book's language is known. What the writer
//! produces by itself (structure, navigation, language of parts, contrast of its
//! stylesheet and charts, page list) is checked by the test suite with DAISY Ace,
//! EPUBCheck and headless Chromium; the certifier vouches for the author's content
//! (meaningful alt text, headings that describe their sections).

use crate::model::Document;

use super::xhtml::Writer;
use super::BuilderKey;

/// The conformance statement written with `dcterms:conformsTo`.
pub(super) const CONFORMANCE: &str = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA";

/// Whether the book claims [`CONFORMANCE`], and who certified it.
pub(super) fn certifier<'a>(doc: &'a Document, key: &BuilderKey) -> Option<&'a str> {
    let certifier = doc.meta.accessibility_certifier.as_deref()?.trim();
    let ok = !certifier.is_empty() && !key.missing_alt && key.language != "und";
    ok.then_some(certifier)
}

/// The `<meta property>` pairs for the package document, in order.
pub(super) fn metadata(
    doc: &Document,
    key: &BuilderKey,
    w: &Writer,
) -> Vec<(&'static str, String)> {
    let visual = !w.images.is_empty();
    let charts = w.images.iter().any(|i| i.href.contains("chart-"));
    let mut out = vec![("schema:accessMode", "textual".to_string())];
    if visual {
        out.push(("schema:accessMode", "visual".into()));
    }
    out.push((
        "schema:accessModeSufficient",
        match key.missing_alt {
            true => "textual,visual",
            false => "textual",
        }
        .into(),
    ));
    let mut features = vec!["structuralNavigation", "tableOfContents", "readingOrder"];
    if visual && !key.missing_alt {
        features.push("alternativeText");
    }
    if key.paged {
        features.extend(["pageBreakMarkers", "pageNavigation"]);
    }
    features.push("displayTransformability");
    for f in features {
        out.push(("schema:accessibilityFeature", f.into()));
    }
    out.push(("schema:accessibilityHazard", "none".into()));
    out.push(("schema:accessibilitySummary", summary(doc, key, visual, charts)));
    if key.paged {
        // The printed edition is the PDF built from the same manifest; it shares the
        // book's identifier.
        out.push(("pageBreakSource", format!("urn:uuid:{}", doc.meta.identifier)));
    }
    if let Some(who) = certifier(doc, key) {
        out.push(("dcterms:conformsTo", CONFORMANCE.into()));
        out.push(("a11y:certifiedBy", who.to_string()));
    }
    out
}

/// A plain description of what the book contains and offers, in the book's language.
fn summary(doc: &Document, key: &BuilderKey, visual: bool, charts: bool) -> String {
    let l = &doc.meta.locale;
    let mut parts = vec!["a11y-structure"];
    if key.paged {
        parts.push("a11y-pages");
    }
    parts.push("a11y-tables");
    if charts {
        parts.push("a11y-charts");
    }
    match (visual, key.missing_alt) {
        (true, true) => parts.push("a11y-images-missing"),
        (true, false) if !charts => parts.push("a11y-images"),
        _ => {}
    }
    parts.extend(["a11y-language", "a11y-contrast"]);
    let sentences: Vec<&str> = parts.into_iter().map(|k| l.plain(k)).collect();
    sentences.join(l.plain("sentence-space"))
}
